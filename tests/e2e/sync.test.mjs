// End-to-end: the linked site folder flows back. A post rewritten on disk shows up in the open
// editor and preview within a second, keeping the undo history; a post changed on both sides
// gets a banner with the choices, and nothing is lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, openPostByTitle, postTitles, editorText, previewText, typeAtEnd, waitForSaved } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;
const HEAD = "---\ntitle: \"Watched post\"\ndate: 2025-03-04\n---\n\n";

function makeSite() {
  const site = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "watched-"));
  mkdirSync(join(site, "content", "posts"), { recursive: true });
  writeFileSync(join(site, "hugo.toml"), 'title = "Watched"\n');
  writeFileSync(join(site, "content", "posts", "watched.md"), `${HEAD}First version of the text.\n`);
  return site;
}

test("a post rewritten on disk updates the open editor and preview", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  const browser = await startApp(library);
  try {
    await openPostByTitle(browser, "Watched post");
    await browser.waitUntil(async () => (await previewText(browser)).includes("First version"), { timeout: 5000 });
    // vim-style save: write a temp file, rename it over the post.
    const file = join(site, "content", "posts", "watched.md");
    const started = Date.now();
    writeFileSync(`${file}.tmp`, `${HEAD}Second version, written in vim.\n`);
    renameSync(`${file}.tmp`, file);
    await browser.waitUntil(
      async () => (await editorText(browser)).includes("Second version") && (await previewText(browser)).includes("Second version"),
      { timeout: 5000, interval: 50, timeoutMsg: "the editor and preview did not take the new text" },
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms (must be within one second)`);
    // The outside change is one undoable step: undo brings back the first version.
    await browser.$(".cm-content").click();
    await browser.keys(["Control", "z"]);
    await browser.waitUntil(async () => (await editorText(browser)).includes("First version"), { timeout: 3000 });
  } finally {
    await stopApp(browser);
  }
});

test("a post changed on both sides shows the conflict banner; keep both loses nothing", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  const browser = await startApp(library);
  try {
    await openPostByTitle(browser, "Watched post");
    await typeAtEnd(browser, "Typed in Galley.");
    await waitForSaved(browser);
    const file = join(site, "content", "posts", "watched.md");
    writeFileSync(file, `${HEAD}Edited elsewhere at the same time.\n`);
    await browser.waitUntil(async () => await browser.$("#conflict-banner").isDisplayed(), {
      timeout: 5000,
      timeoutMsg: "no conflict banner",
    });
    await browser.$("#conflict-diff-toggle").click();
    const diff = await browser.execute(() => document.getElementById("conflict-diff").textContent);
    assert.ok(diff.includes("Edited elsewhere") && diff.includes("Typed in Galley."), diff);
    // Nothing was overwritten while the banner is up.
    assert.ok((await editorText(browser)).includes("Typed in Galley."));
    assert.ok(readFileSync(file, "utf8").includes("Edited elsewhere"));
    await browser.$("#conflict-both").click();
    await browser.waitUntil(async () => !(await browser.$("#conflict-banner").isDisplayed()), { timeout: 5000 });
    await browser.waitUntil(async () => (await postTitles(browser)).filter((t) => t === "Watched post").length === 2, {
      timeout: 5000,
      timeoutMsg: "keep both did not add the disk version as a second post",
    });
    assert.ok((await editorText(browser)).includes("Typed in Galley."));
  } finally {
    await stopApp(browser);
  }
});

test("a post whose file is deleted from the site keeps a 'not on site' badge until the file is back", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  const browser = await startApp(library);
  const badge = () =>
    browser.execute(() =>
      Array.from(document.querySelectorAll("#post-list .post-item"))
        .filter((item) => item.querySelector(".badge.missing"))
        .map((item) => item.querySelector(".post-title").textContent),
    );
  try {
    await browser.waitUntil(async () => (await postTitles(browser)).includes("Watched post"), { timeout: 5000 });
    assert.deepEqual(await badge(), []);
    const file = join(site, "content", "posts", "watched.md");
    const text = readFileSync(file, "utf8");
    rmSync(file);
    await browser.waitUntil(async () => (await badge()).includes("Watched post"), {
      timeout: 5000,
      timeoutMsg: "no 'not on site' badge after the file was deleted",
    });
    // The post is still there, whole.
    await openPostByTitle(browser, "Watched post");
    assert.ok((await editorText(browser)).includes("First version of the text."));
    // The file comes back: the badge goes.
    writeFileSync(file, text);
    await browser.waitUntil(async () => (await badge()).length === 0, {
      timeout: 5000,
      timeoutMsg: "the badge stayed after the file came back",
    });
  } finally {
    await stopApp(browser);
  }
});
