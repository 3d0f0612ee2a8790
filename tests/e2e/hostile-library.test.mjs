// End-to-end: a library as a clumsy user or another program leaves it (issue 10). A post without
// a title shows its file name in the list and the index, a status Galley does not know shows as
// "unknown status"; a save that fails (here: another program
// holds the library's write lock) says why in the status bar, keeps the text and saves it once the
// lock is gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { startApp, stopApp, freshLibraryPath, postTitles, typeAtEnd, textOf, editorText } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;
const sqlite3 = "/usr/bin/sqlite3";
const missing = (what) => {
  if (process.env.CI === "true") throw new Error(`${what} is missing on CI`);
  return `${what} is missing`;
};

/** A library holding one imported post without a title (a redirect stub) and one with a title. */
function libraryWithStub() {
  const library = freshLibraryPath();
  const site = join(dirname(library), "site");
  mkdirSync(site);
  writeFileSync(join(site, "moved-away.md"), "---\naliases: [/old/]\n---\n");
  writeFileSync(join(site, "kept.md"), "---\ntitle: A titled post\n---\nText.\n");
  execFileSync(cli, ["--library", library, "import", site]);
  // Another tool wrote a status the schema does not allow.
  execFileSync(sqlite3, [library, "PRAGMA ignore_check_constraints = ON; UPDATE posts SET status = 'live' WHERE title = 'A titled post';"]);
  return library;
}

const tools = !cli ? missing("GALLEY_CLI") : !existsSync(sqlite3) ? missing(sqlite3) : false;

test("a post without a title shows its file name, an unknown status shows as such", { skip: tools }, async () => {
  const browser = await startApp(libraryWithStub());
  try {
    const titles = await postTitles(browser);
    assert.ok(titles.includes("moved-away.md (no title)"), `rows: ${JSON.stringify(titles)}`);
    assert.ok(titles.includes("A titled post"));
    assert.ok(!titles.some((t) => t.trim() === ""), "no empty row");
    const badges = await browser.execute(() => Array.from(document.querySelectorAll("#post-list .badge")).map((b) => b.textContent));
    assert.ok(badges.includes("unknown status"), `badges: ${JSON.stringify(badges)}`);
    await browser.keys(["Control", "i"]);
    await browser.waitUntil(async () => (await textOf(browser, "#index-list")).includes("moved-away.md"), {
      timeout: 5000,
      timeoutMsg: "the index view does not show the file name",
    });
    assert.match(await textOf(browser, "#index-list"), /moved-away\.md \(no title\)/);
  } finally {
    await stopApp(browser);
  }
});

test("a failed save says why, keeps the text and saves it when it can", { skip: existsSync(sqlite3) ? false : missing(sqlite3) }, async () => {
  const library = freshLibraryPath();
  const browser = await startApp(library);
  // Another program takes the library's write lock and keeps it until its input ends.
  const locker = spawn(sqlite3, [library], { stdio: ["pipe", "ignore", "inherit"] });
  try {
    locker.stdin.write("BEGIN IMMEDIATE;\nINSERT INTO settings (key, value) VALUES ('e2e-lock', 'held');\n");
    const typed = `Typed while locked ${Date.now()}`;
    await typeAtEnd(browser, ` ${typed}`);
    await browser.waitUntil(async () => (await textOf(browser, "#save-state")).startsWith("save failed"), {
      timeout: 20000,
      timeoutMsg: "the save did not fail while another program held the lock",
    });
    const words = await textOf(browser, "#save-state");
    assert.match(words, /another program holds the library locked/);
    assert.match(words, /your text is kept in the editor and saved again/);
    assert.ok((await editorText(browser)).endsWith(typed), "the text stays in the editor");
    // Switching to another post and back still shows the unsaved text, not the library's older one.
    const own = await browser.$("#fm-title").getValue();
    const rows = await postTitles(browser);
    const other = rows.findIndex((title) => title !== own);
    const back = rows.indexOf(own);
    assert.ok(other >= 0 && back >= 0, `rows: ${JSON.stringify(rows)}`);
    for (const [index, title] of [[other, rows[other]], [back, own]]) {
      await (await browser.$$("#post-list .post-item"))[index].click();
      await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === title, {
        timeout: 20000,
        timeoutMsg: `the post "${title}" did not open while saves were failing`,
      });
    }
    assert.ok((await editorText(browser)).endsWith(typed), "reopening the post lost the unsaved text");
    locker.stdin.end("ROLLBACK;\n");
    await browser.waitUntil(async () => (await textOf(browser, "#save-state")) === "saved", {
      timeout: 20000,
      timeoutMsg: "the text was not saved once the lock was gone",
    });
    const stored = execFileSync(sqlite3, [library, `SELECT count(*) FROM posts WHERE body LIKE '%${typed}%'`], { encoding: "utf8" });
    assert.equal(stored.trim(), "1", "the library holds the typed text");
  } finally {
    locker.kill();
    await stopApp(browser);
  }
});
