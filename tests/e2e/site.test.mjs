// End-to-end: the site folder. A site imported by the CLI is the app's linked folder; the export
// dialog shows a dry run (create / update / unchanged) and writes the preset's files; the import
// action brings in a post that appeared in the folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, postTitles, textOf } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;

function makeSite() {
  const site = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "site-"));
  mkdirSync(join(site, "content", "posts"), { recursive: true });
  writeFileSync(join(site, "hugo.toml"), 'title = "Test site"\n');
  writeFileSync(
    join(site, "content", "posts", "scheduler.md"),
    "---\ntitle: \"Inside the scheduler\"\ndate: 2025-02-03\n# a comment that must survive\nsummary: \"How goroutines get a thread.\"\ntags: [go]\n---\n\nThe runtime parks goroutines.\n",
  );
  return site;
}

async function planRows(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll("#site-plan tr")).map((tr) => Array.from(tr.children).map((td) => td.textContent)),
  );
}

test("export and import through the site dialogs", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  // Three posts of the writer's own (the CLI adds no sample posts, and those are never exported).
  execFileSync(cli, ["--library", library, "import", join("..", "..", "content")], { stdio: "ignore" });
  const browser = await startApp(library);
  try {
    await browser.waitUntil(async () => (await textOf(browser, "#site-folder")).includes(site), {
      timeout: 5000,
      timeoutMsg: "the linked site folder is not shown",
    });
    // Export with "keep": the imported post is unchanged, the three other posts are new files.
    await browser.$("#site-export").click();
    await browser.waitUntil(async () => (await planRows(browser)).length >= 4, { timeout: 10000, timeoutMsg: "no dry run" });
    const rows = await planRows(browser);
    assert.deepEqual(
      rows.find((row) => row[1] === "content/posts/scheduler.md")?.[0],
      "unchanged",
      JSON.stringify(rows),
    );
    assert.equal(rows.filter((row) => row[0] === "create").length, 3, JSON.stringify(rows));
    // Hugo preset: everything goes under content/posts/<slug>.md.
    await browser.$("#export-preset").selectByAttribute("value", "hugo");
    await browser.waitUntil(async () => (await planRows(browser)).some((row) => row[1].startsWith("content/posts/go-")), {
      timeout: 10000,
      timeoutMsg: "the hugo dry run did not show",
    });
    await browser.$("#site-confirm").click();
    await browser.waitUntil(async () => (await textOf(browser, "#site-summary")).startsWith("Wrote"), {
      timeout: 10000,
      timeoutMsg: "the export did not finish",
    });
    const written = execFileSync("ls", [join(site, "content", "posts")], { encoding: "utf8" });
    assert.ok(written.includes("go-concurrency-patterns-that-survive-production.md"), written);
    const original = readFileSync(join(site, "content", "posts", "scheduler.md"), "utf8");
    assert.ok(original.includes("# a comment that must survive"), original);
    await browser.$("#site-confirm").click(); // Done
    assert.equal(await browser.$("#site-dialog").isDisplayed(), false);

    // A post written elsewhere appears in the folder; the import action brings it in.
    writeFileSync(join(site, "content", "posts", "from-vim.md"), "---\ntitle: \"Written in vim\"\n---\n\nHello.\n");
    await browser.$("#site-import").click();
    await browser.waitUntil(async () => (await planRows(browser)).some((row) => row[0] === "create" && row[1].endsWith("from-vim.md")), {
      timeout: 10000,
      timeoutMsg: "the import plan did not list the new file",
    });
    await browser.$("#site-confirm").click();
    await browser.waitUntil(async () => (await postTitles(browser)).includes("Written in vim"), {
      timeout: 10000,
      timeoutMsg: "the imported post is not in the library",
    });
    assert.ok(existsSync(join(site, "content", "posts", "from-vim.md")));
  } finally {
    await stopApp(browser);
  }
});
