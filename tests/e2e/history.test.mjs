// End-to-end: the library forgets nothing. Revisions can be compared and restored, a trashed
// post comes back, emptying the trash asks first, the index view opens a draft, and odd search
// queries are just text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, stopApp, freshLibraryPath, openPostByTitle, postTitles, editorText, typeAtEnd, waitForSaved, textOf, chooseProfile, whenIdle } from "./galley.mjs";

const ENTER = "\uE007";

test("a revision is compared with the current text and restored", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await openPostByTitle(browser, "eBPF");
    const original = await editorText(browser);
    await typeAtEnd(browser, `${ENTER}${ENTER}A paragraph I will regret.`);
    await waitForSaved(browser);
    await browser.$("#history-button").click();
    await browser.waitUntil(async () => (await browser.$$("#history-list li")).length >= 2, { timeout: 5000 });
    const oldest = await browser.$("#history-list li:last-child");
    await oldest.click();
    await browser.waitUntil(async () => (await textOf(browser, "#history-diff")).includes("+ A paragraph I will regret."), {
      timeout: 5000,
      timeoutMsg: "the diff does not show the added paragraph",
    });
    await browser.$("#history-restore").click();
    await browser.waitUntil(async () => (await editorText(browser)) === original, {
      timeout: 5000,
      timeoutMsg: "the editor did not show the restored text",
    });
    // The regretted text is itself kept as a revision: nothing is lost.
    await browser.waitUntil(async () => (await browser.$$("#history-list li")).length >= 3, { timeout: 5000 });
    const reasons = await browser.execute(() => Array.from(document.querySelectorAll("#history-list .why")).map((e) => e.textContent));
    assert.ok(reasons.some((r) => r.startsWith("restored")), JSON.stringify(reasons));
  } finally {
    await stopApp(browser);
  }
});

test("trash, restore, and emptying the trash asks first", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await openPostByTitle(browser, "x86-64");
    await browser.$("#trash-button").click();
    await browser.waitUntil(async () => !(await postTitles(browser)).some((t) => t.includes("x86-64")), { timeout: 5000 });
    await browser.$("#status-filter").selectByAttribute("value", "trash");
    await browser.waitUntil(async () => (await postTitles(browser)).some((t) => t.includes("x86-64")), { timeout: 5000 });
    // Restore it.
    await browser.$("#post-list .row-action").click();
    await browser.waitUntil(async () => (await postTitles(browser)).length === 0, { timeout: 5000 });
    await browser.$("#status-filter").selectByAttribute("value", "");
    await browser.waitUntil(async () => (await postTitles(browser)).some((t) => t.includes("x86-64")), { timeout: 5000 });
    // Trash it again and empty the trash: a question comes first; cancel keeps the post.
    await openPostByTitle(browser, "x86-64");
    await browser.$("#trash-button").click();
    await browser.$("#status-filter").selectByAttribute("value", "trash");
    await browser.waitUntil(async () => (await postTitles(browser)).length === 1, { timeout: 5000 });
    await browser.$("#empty-trash").click();
    await browser.waitUntil(async () => (await textOf(browser, "#confirm-text")).includes("cannot be undone"), { timeout: 5000 });
    await browser.$("#confirm-cancel").click();
    assert.equal((await postTitles(browser)).length, 1);
    await browser.$("#empty-trash").click();
    await browser.$("#confirm-ok").click();
    await browser.waitUntil(async () => (await postTitles(browser)).length === 0, { timeout: 5000 });
  } finally {
    await stopApp(browser);
  }
});

test("the index view lists posts newest first and opens one", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await browser.$("#index-button").click();
    await browser.waitUntil(async () => (await browser.$$(".index-entry")).length === 3, { timeout: 5000 });
    const entries = await browser.execute(() =>
      Array.from(document.querySelectorAll(".index-entry")).map((e) => ({
        category: e.querySelector(".index-category").textContent,
        title: e.querySelector("h2").textContent,
        meta: e.querySelector(".index-meta").textContent,
      })),
    );
    const dates = entries.map((e) => /\d{4}-\d{2}-\d{2}/.exec(e.meta)?.[0]);
    assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
    assert.ok(entries.every((e) => /\d+ min read/.test(e.meta) && e.category === "Blog"), JSON.stringify(entries));
    await browser.$(".index-entry:last-child").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === entries[2].title, { timeout: 5000 });
    assert.equal(await browser.$("#index-view").isDisplayed(), false);

    // The index shows the reading time of the profile chosen in the status bar, the same figure
    // the status bar shows for the open post.
    const minutesFor = async (profile) => {
      await chooseProfile(browser, profile);
      await browser.$("#index-button").click();
      await browser.waitUntil(async () => (await textOf(browser, "#index-profile")).toLowerCase() === profile, { timeout: 5000 });
      const shown = await browser.execute((title) => {
        const entry = Array.from(document.querySelectorAll(".index-entry")).find((e) => e.querySelector("h2").textContent === title);
        const minutes = Array.from(entry.querySelectorAll(".index-meta span")).find((span) => span.textContent.endsWith("min read"));
        return /^(\d+) min read$/.exec(minutes.textContent)[1];
      }, entries[2].title);
      // The open post's statistics arrive once its text settles (200 ms after it opened): wait
      // for the status bar to show them rather than reading a figure of the post shown before.
      let statusBar = null;
      await browser
        .waitUntil(
          async () => {
            statusBar = Number(/(\d+) min read/.exec(await textOf(browser, "#stat-minutes"))[1]);
            return statusBar === Number(shown);
          },
          { timeout: 5000 },
        )
        .catch(() => {});
      await browser.keys("Escape");
      return { shown: Number(shown), statusBar };
    };
    const galley = await minutesFor("galley");
    const zola = await minutesFor("zola");
    assert.equal(galley.shown, galley.statusBar);
    assert.equal(zola.shown, zola.statusBar);
    assert.ok(galley.shown > zola.shown, `code counts for Galley, not for Zola: ${JSON.stringify({ galley, zola })}`);
    // The choice is remembered (localStorage, shared by every session of these tests): put it back.
    await minutesFor("galley");
  } finally {
    await stopApp(browser);
  }
});

test("odd search queries give results or nothing, never an error", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    for (const query of ['"unbalanced', "title: (", "NEAR(a b", "-", "*", "goroutine AND OR NOT", "'; DROP TABLE posts; --"]) {
      await browser.$("#search").setValue(query);
      await whenIdle(browser); // the search ran (its debounce and the list load are over)
      assert.equal(await browser.$(".toast").isExisting(), false, `an error appeared for ${query}`);
    }
    await browser.$("#search").setValue("goroutine");
    await browser.waitUntil(async () => (await postTitles(browser)).some((t) => t.includes("Go Concurrency")), { timeout: 5000 });
  } finally {
    await stopApp(browser);
  }
});
