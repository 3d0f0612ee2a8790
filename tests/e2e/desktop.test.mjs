// End-to-end: Galley as a desktop app. A Markdown file given on the command line opens as a post
// (imported once); a second launch hands its file to the running window and exits (one instance);
// the window's size and the panes are remembered across a restart; a shortcut goes through the
// native menu to its action.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, postTitles, whenIdle, textOf } from "./galley.mjs";

const app = process.env.GALLEY_APP;
const work = process.env.GALLEY_E2E_WORK;
/** Where tauri-plugin-window-state keeps the window's state (the app's config folder). */
const windowStateFile = join(process.env.XDG_CONFIG_HOME, "dev.galley.app", ".window-state.json");

function markdownFile(name, title, body) {
  const dir = mkdtempSync(join(work, "posts-"));
  const path = join(dir, name);
  writeFileSync(path, `---\ntitle: ${title}\n---\n${body}\n`);
  return path;
}

/** The app processes running on this library. */
function appProcesses(library) {
  try {
    return execFileSync("pgrep", ["-f", "--", `--library ${library}`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function waitFor(condition, message, timeout = 10000) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openTitle(browser) {
  return browser.$("#fm-title").getValue();
}

test("a file on the command line opens as a post; a second launch opens its file in the first window and exits", async () => {
  const library = freshLibraryPath();
  const first = markdownFile("from-the-file-manager.md", "Opened from the file manager", "First file.");
  const browser = await startApp(library, { args: [first] });
  try {
    await browser.waitUntil(async () => (await openTitle(browser)) === "Opened from the file manager", {
      timeout: 15000,
      timeoutMsg: "the file given on the command line did not open",
    });
    assert.match(await browser.execute(() => window.galley.editorText()), /First file\./);
    assert.ok((await postTitles(browser)).includes("Opened from the file manager"), "the imported post is in the list");
    assert.equal(appProcesses(library).length, 1);

    // Galley launched again (as "Open with Galley" does) with another file and the first one again.
    const second = markdownFile("second.md", "Handed to the running window", "Second file.");
    const launch = spawn(app, ["--library", library, second, first], { stdio: "ignore" });
    const exitCode = await new Promise((resolve) => launch.once("exit", (code) => resolve(code)));
    assert.equal(exitCode, 0, "the second launch hands its arguments over and exits successfully");
    await browser.waitUntil(async () => (await openTitle(browser)) === "Opened from the file manager", {
      timeout: 15000,
      timeoutMsg: "the second launch's files did not open in the first window",
    });
    await whenIdle(browser);
    const titles = await postTitles(browser);
    assert.ok(titles.includes("Handed to the running window"), `the second file was imported: ${titles}`);
    assert.equal(titles.filter((title) => title === "Opened from the file manager").length, 1, "the first file was found, not imported again");
    assert.equal(appProcesses(library).length, 1, "still one app process");

    // A file that is not a post is refused in words.
    const binary = markdownFile("binary.md", "x", "");
    writeFileSync(binary, Buffer.from([0x23, 0x20, 0x00, 0x01]));
    spawn(app, ["--library", library, binary], { stdio: "ignore" });
    await browser.waitUntil(async () => (await textOf(browser, ".toast")).includes("binary file"), {
      timeout: 15000,
      timeoutMsg: "no message about the binary file",
    });
  } finally {
    await stopApp(browser);
  }
});

test("the window's size and the panes are remembered across a restart", async () => {
  const library = freshLibraryPath();
  rmSync(windowStateFile, { force: true });
  let browser = await startApp(library);
  try {
    await browser.setWindowSize(1100, 700);
    // Saved once the window has settled (the state must survive a kill too).
    await browser.waitUntil(() => existsSync(windowStateFile) && JSON.parse(readFileSync(windowStateFile, "utf8")).main?.width === 1100, {
      timeout: 10000,
      timeoutMsg: `the window's size was not saved in ${windowStateFile}`,
    });
    await browser.keys(["Control", "Shift", "l"]);
    await browser.waitUntil(() => browser.execute(() => document.getElementById("app").classList.contains("library-hidden")), {
      timeout: 5000,
      timeoutMsg: "Ctrl+Shift+L did not hide the library",
    });
    await whenIdle(browser);
  } finally {
    await stopApp(browser);
  }
  // One instance per library: the restarted app must not find the first one still running.
  await waitFor(() => appProcesses(library).length === 0, "the app was still running after its session ended");
  browser = await startApp(library);
  try {
    const size = await browser.getWindowSize();
    assert.deepEqual([size.width, size.height], [1100, 700], "the window opens at its remembered size");
    assert.equal(await browser.execute(() => window.galley.paneLayout().library_hidden), true, "the library stays hidden");
  } finally {
    await stopApp(browser);
    rmSync(windowStateFile, { force: true }); // the next tests get the default window
  }
});

test("a native menu item triggers its action", async () => {
  const library = freshLibraryPath();
  const browser = await startApp(library);
  try {
    const before = (await postTitles(browser)).length;
    // WebDriver can neither click a GTK menu nor reach its accelerators (its keys go to the web
    // view), so the item is activated from the Rust side: a second launch with --menu-item runs the
    // same handler as a click (src-tauri/src/menu.rs), which sends the page the `menu` event.
    const launch = spawn(app, ["--library", library, "--menu-item", "new-draft"], { stdio: "ignore" });
    assert.equal(await new Promise((resolve) => launch.once("exit", resolve)), 0);
    await browser.waitUntil(async () => (await postTitles(browser)).length === before + 1, {
      timeout: 10000,
      timeoutMsg: "the menu's New Draft did not create a draft",
    });
    assert.deepEqual(await browser.execute(() => window.galley.menuLog()), ["new-draft"]);
    await whenIdle(browser);
  } finally {
    await stopApp(browser);
  }
});
