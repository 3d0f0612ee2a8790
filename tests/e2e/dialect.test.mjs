// End-to-end: the preview speaks the linked site's Markdown dialect. A Hugo site whose config
// turns the typographer on: typed quotes and `--` show curly and as an en dash; a right-aligned
// table column shows right-aligned; choosing Galley's own dialect by hand turns the quotes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, openPostByTitle, previewText, typeAtEnd, whenIdle } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;

function makeSite() {
  const site = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "dialect-"));
  mkdirSync(join(site, "content", "posts"), { recursive: true });
  writeFileSync(join(site, "hugo.toml"), 'title = "Dialect"\n[markup.goldmark.extensions.typographer]\ndisable = false\n');
  writeFileSync(
    join(site, "content", "posts", "numbers.md"),
    '---\ntitle: "Numbers"\ndate: 2025-03-04\n---\n\n| name | ns/op |\n| :--- | ----: |\n| fast | 12 |\n| slow | 3456 |\n\n',
  );
  return site;
}

/** The computed text alignment of the preview's `selector`. */
async function alignment(browser, selector) {
  return browser.execute((sel) => {
    const frame = document.getElementById("preview");
    const element = frame.contentDocument.querySelector(sel);
    return element ? frame.contentWindow.getComputedStyle(element).textAlign : "missing";
  }, selector);
}

test("a Hugo site's typographer and table alignment show in the preview", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  const browser = await startApp(library);
  try {
    await openPostByTitle(browser, "Numbers");
    await whenIdle(browser);
    const choice = await browser.execute(() => document.getElementById("dialect").selectedOptions[0].textContent);
    assert.equal(choice, "As the site: Hugo");
    assert.equal(await alignment(browser, "td:nth-child(2)"), "right");
    assert.equal(await alignment(browser, "th:nth-child(2)"), "right");
    assert.equal(await alignment(browser, "td:nth-child(1)"), "left");

    await typeAtEnd(browser, '"quotes" -- dash');
    await whenIdle(browser);
    await browser.waitUntil(async () => (await previewText(browser)).includes("“quotes” – dash"), {
      timeout: 5000,
      timeoutMsg: `no curly quotes and en dash in the preview: ${await previewText(browser)}`,
    });

    // By hand: Galley's own dialect keeps the straight quotes (and the choice is remembered).
    await browser.execute(() => {
      const select = document.getElementById("dialect");
      select.value = "galley";
      select.dispatchEvent(new Event("change"));
    });
    await whenIdle(browser);
    await browser.waitUntil(async () => (await previewText(browser)).includes('"quotes" -- dash'), {
      timeout: 5000,
      timeoutMsg: `the preview did not switch to Galley's dialect: ${await previewText(browser)}`,
    });
  } finally {
    await stopApp(browser);
  }
});
