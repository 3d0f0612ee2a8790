// End-to-end (issue 10, point 1): one line of HTML once killed the app. A writer's own
// `data-line="18446744073709551615"` overflowed the renderer's line arithmetic: on the keystroke
// scheme the panic aborted the process, through the command it poisoned the preview for every post
// until restart, and since that post opens first, every launch. Pasted and typed, the app lives on,
// the preview follows typing, and the app starts again on that library with that post open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, stopApp, freshLibraryPath, previewText, previewCount, editorText, typeAtEnd, waitForSaved } from "./galley.mjs";

const HOSTILE = '<div data-line="18446744073709551615">x</div>';

/** The app still answers, its page is its own, and the preview shows no failure. */
async function assertAlive(browser) {
  assert.equal(await browser.getTitle(), "Galley", "the app is gone or its page was replaced");
  assert.ok(await browser.$("#post-list").isExisting(), "the main page is gone");
  assert.equal(await previewCount(browser, ".galley-render-error"), 0, "the preview reports a failure");
  assert.equal(await previewCount(browser, '[data-line="18446744073709551615"]'), 0, "the writer's data-line reached the preview");
}

/** How many blocks of the preview are the line's `<div>x</div>`. */
async function lineBlocks(browser) {
  return browser.execute(() =>
    Array.from(document.getElementById("preview").contentDocument.querySelectorAll("#galley-preview div")).filter((el) => el.textContent === "x").length,
  );
}

/** Types `word` at the end and waits for the preview to show it. */
async function previewFollows(browser, word) {
  await typeAtEnd(browser, `\uE007\uE007${word}`);
  await browser.waitUntil(async () => (await previewText(browser)).includes(word), {
    timeout: 10000,
    timeoutMsg: `the preview no longer follows typing (waiting for "${word}")`,
  });
}

test("a writer's huge data-line neither kills the app nor breaks the preview, now or at the next start", async () => {
  const library = freshLibraryPath();
  let browser = await startApp(library);
  try {
    await browser.$("#new-draft").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Untitled draft", { timeout: 5000 });
    await previewFollows(browser, "Before the line.");

    // Pasted as one edit (a small change: the synchronous keystroke scheme).
    const pasted = `${await editorText(browser)}\n\n${HOSTILE}\n`;
    await browser.execute((t) => window.galley.replaceText(t), pasted);
    await browser.waitUntil(async () => (await lineBlocks(browser)) === 1, {
      timeout: 10000,
      timeoutMsg: "the pasted line never reached the preview",
    });
    await assertAlive(browser);
    await previewFollows(browser, "After the paste.");

    // Typed key by key, on the keystroke path.
    await typeAtEnd(browser, `\uE007\uE007${HOSTILE}`);
    await browser.waitUntil(async () => (await editorText(browser)).split("18446744073709551615").length === 3, {
      timeout: 10000,
      timeoutMsg: "the typed line did not reach the editor",
    });
    await browser.waitUntil(async () => (await lineBlocks(browser)) === 2, { timeout: 10000, timeoutMsg: "the typed line never reached the preview" });
    await assertAlive(browser);
    await previewFollows(browser, "After the typing.");

    // The whole text again through the asynchronous command (what opening a post does).
    await browser.execute(() => window.galley.rerenderPreview());
    await previewFollows(browser, "After a full render.");
    await assertAlive(browser);
    await waitForSaved(browser);
  } finally {
    await stopApp(browser);
  }

  // The post with the line is the most recently changed: it opens first at the next start.
  browser = await startApp(library);
  try {
    await browser.waitUntil(async () => (await editorText(browser)).includes(HOSTILE), {
      timeout: 10000,
      timeoutMsg: "the post with the line did not open at start",
    });
    await browser.waitUntil(async () => (await previewText(browser)).includes("After a full render."), {
      timeout: 10000,
      timeoutMsg: "the preview did not render the post at start",
    });
    assert.equal(await lineBlocks(browser), 2);
    await assertAlive(browser);
    await previewFollows(browser, "Typed after the restart.");
    await assertAlive(browser);
  } finally {
    await stopApp(browser);
  }
});
