// Helpers for the end-to-end tests: start the real app on a library through tauri-driver, and
// read or drive the editor, the preview and the status bar.
import { remote } from "webdriverio";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";

const app = process.env.GALLEY_APP;
const port = Number(process.env.GALLEY_E2E_PORT ?? 4444);
const work = process.env.GALLEY_E2E_WORK ?? "/tmp";

if (!app) throw new Error("GALLEY_APP is not set: run the tests through scripts/e2e.sh");

/** A fresh, empty folder for one test's library. */
export function freshLibraryPath() {
  return join(mkdtempSync(join(work, "library-")), "library.sqlite3");
}

/** Starts the app on `libraryPath` and waits until its first post is open. */
export async function startApp(libraryPath) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryCount: 2,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: app, args: ["--library", libraryPath] },
    },
  });
  await browser.waitUntil(async () => (await postTitles(browser)).length > 0, {
    timeout: 20000,
    timeoutMsg: "the library list never appeared",
  });
  return browser;
}

export async function postTitles(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll("#post-list .post-title")).map((e) => e.textContent),
  );
}

/** Clicks the library row whose title contains `text`. */
export async function openPostByTitle(browser, text) {
  const rows = await browser.$$("#post-list .post-item");
  for (const row of rows) {
    if ((await row.$(".post-title").getText()).includes(text)) {
      await row.click();
      await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()).includes(text), {
        timeout: 10000,
        timeoutMsg: `the post "${text}" did not open`,
      });
      return;
    }
  }
  throw new Error(`no post titled like "${text}" in the library`);
}

/** The preview frame's visible text. */
export async function previewText(browser) {
  return browser.execute(() => document.getElementById("preview").contentDocument.body.innerText);
}

/** Runs `query` (a CSS selector) inside the preview frame and returns how many elements match. */
export async function previewCount(browser, selector) {
  return browser.execute(
    (sel) => document.getElementById("preview").contentDocument.querySelectorAll(sel).length,
    selector,
  );
}

export async function editorText(browser) {
  return browser.execute(() => window.galley.editorText());
}

export async function readingMinutes(browser) {
  const text = await browser.$("#stat-minutes").getText();
  const match = /(\d+) min read/.exec(text);
  if (!match) throw new Error(`unexpected reading time text: ${text}`);
  return Number(match[1]);
}

/** Puts the cursor at the end of the document and types `keys` (Enter as \uE007). */
export async function typeAtEnd(browser, keys) {
  await browser.$(".cm-scroller").click();
  await browser.keys(["Control", "End"]);
  await browser.keys(keys);
}

export async function waitForSaved(browser) {
  await browser.waitUntil(async () => (await browser.$("#save-state").getText()) === "saved", {
    timeout: 10000,
    timeoutMsg: "the draft was not saved",
  });
}
