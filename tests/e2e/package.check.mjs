// End-to-end for `make test-package` only (not named *.test.mjs, so `make test` leaves it out):
// the app unpacked from the .deb (scripts/test-package.sh passes its path) opens a Markdown file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, whenIdle, previewText } from "./galley.mjs";

test("the packaged app opens a Markdown file as a post", async () => {
  const file = join(mkdtempSync(join(process.env.GALLEY_E2E_WORK, "post-")), "packaged.md");
  writeFileSync(file, "---\ntitle: Installed from the package\n---\nThe *packaged* app renders this.\n");
  const browser = await startApp(freshLibraryPath(), { args: [file] });
  try {
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Installed from the package", {
      timeout: 20000,
      timeoutMsg: "the packaged app did not open the file",
    });
    await whenIdle(browser);
    assert.match(await previewText(browser), /The packaged app renders this\./);
  } finally {
    await stopApp(browser);
  }
});
