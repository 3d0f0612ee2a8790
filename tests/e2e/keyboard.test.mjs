// End-to-end: real key presses (X events from xdotool, not WebDriver's synthetic ones) pass the
// native menu's accelerators the way a writer's keyboard does: typing lands in the editor, Ctrl+Z
// and Ctrl+Shift+Z undo and redo it, and a menu shortcut (Ctrl+N) runs its action.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startApp, stopApp, freshLibraryPath, openPostByTitle, editorText, postTitles, whenIdle } from "./galley.mjs";

function xdotool(...args) {
  try {
    return execFileSync("xdotool", args, { env: process.env, stdio: ["ignore", "pipe", "pipe"] }).toString();
  } catch (error) {
    if (error.code === "ENOENT") throw new Error("xdotool is missing: run scripts/install-deps.sh --test");
    throw error;
  }
}

/** Puts the pointer over the app's window: Xvfb has no window manager, so keys go where it points. */
function pointAtApp() {
  const windows = xdotool("search", "--onlyvisible", "--name", "Galley").trim().split("\n").filter(Boolean);
  assert.ok(windows.length > 0, "no visible Galley window");
  xdotool("mousemove", "300", "300");
}

test("typing, Ctrl+Z and Ctrl+Shift+Z from the keyboard reach the editor through the menu", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await openPostByTitle(browser, "Go Concurrency");
    await whenIdle(browser);
    const before = await editorText(browser);
    await browser.execute(() => document.querySelector(".cm-content").focus());
    pointAtApp();
    xdotool("key", "--clearmodifiers", "ctrl+End");
    xdotool("type", "--delay", "20", "XYZZY");
    await browser.waitUntil(async () => (await editorText(browser)).endsWith("XYZZY"), { timeout: 5000, timeoutMsg: "typed keys never reached the editor" });
    xdotool("key", "--clearmodifiers", "ctrl+z");
    await browser.waitUntil(async () => (await editorText(browser)) === before, { timeout: 5000, timeoutMsg: "Ctrl+Z did not undo the typing" });
    xdotool("key", "--clearmodifiers", "ctrl+shift+z");
    await browser.waitUntil(async () => (await editorText(browser)).endsWith("XYZZY"), { timeout: 5000, timeoutMsg: "Ctrl+Shift+Z did not redo it" });
  } finally {
    await stopApp(browser);
  }
});

test("a menu shortcut pressed on the keyboard runs its action (Ctrl+N makes a new draft)", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await whenIdle(browser);
    const count = (await postTitles(browser)).length;
    pointAtApp();
    xdotool("key", "--clearmodifiers", "ctrl+n");
    await browser.waitUntil(async () => (await postTitles(browser)).length === count + 1, { timeout: 5000, timeoutMsg: "Ctrl+N made no draft" });
  } finally {
    await stopApp(browser);
  }
});
