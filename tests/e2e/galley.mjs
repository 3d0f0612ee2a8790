// Helpers for the end-to-end tests: start the real app on a library through tauri-driver, and
// read or drive the editor, the preview and the status bar.
import { remote } from "webdriverio";
import { spawn } from "node:child_process";
import { mkdtempSync, openSync } from "node:fs";
import { createServer, connect } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const app = process.env.GALLEY_APP;
const driverPath = process.env.GALLEY_TAURI_DRIVER;
const work = process.env.GALLEY_E2E_WORK ?? "/tmp";

if (!app || !driverPath) throw new Error("GALLEY_APP / GALLEY_TAURI_DRIVER not set: run the tests through scripts/e2e.sh");

/** A TCP port nobody listens on now (and the one after it, for WebKitWebDriver). */
async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const ok = await Promise.all([port, port + 1].map((p) => new Promise((resolve) => {
      const server = createServer().once("error", () => resolve(false)).listen(p, "127.0.0.1", () => server.close(() => resolve(true)));
    })));
    if (ok.every(Boolean)) return port;
  }
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1").once("connect", () => { socket.end(); resolve(true); }).once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

/**
 * Each app session gets its own tauri-driver (and WebKitWebDriver), so a test that kills the app
 * cannot leave a broken driver behind for the next one.
 */
async function startDriver() {
  const port = await freePort();
  const log = openSync(join(work, `tauri-driver-${port}.log`), "a");
  const driver = spawn(driverPath, ["--port", String(port), "--native-port", String(port + 1), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", log, log],
  });
  await waitForPort(port, 10000);
  return { port, driver };
}

/** A fresh, empty folder for one test's library. */
export function freshLibraryPath() {
  return join(mkdtempSync(join(work, "library-")), "library.sqlite3");
}

/**
 * Starts the app on `libraryPath` and waits until its first post is open. A library created now
 * gets Galley's three sample posts (`--with-samples`, a documented app flag: only the default
 * library gets them by itself), which many tests use. `args` are added to the app's command line
 * (files to open, `--new-draft`).
 */
export async function startApp(libraryPath, { args = [] } = {}) {
  const { port, driver } = await startDriver();
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryCount: 2,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: app, args: ["--library", libraryPath, "--with-samples", ...args] },
    },
  });
  browser.galleyDriver = driver;
  await browser.waitUntil(async () => (await postTitles(browser)).length > 0, {
    timeout: 20000,
    timeoutMsg: "the library list never appeared",
  });
  return browser;
}

/** Closes the app (if it still runs) and stops its driver. */
export async function stopApp(browser) {
  try {
    await browser.deleteSession();
  } catch {
    // The app may already be gone (a test killed it).
  }
  browser.galleyDriver.kill("SIGTERM");
}

export async function postTitles(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll("#post-list .post-title")).map((e) => e.textContent),
  );
}

/** Clicks the library row whose title contains `text`. */
export async function openPostByTitle(browser, text) {
  const titles = await postTitles(browser);
  const index = titles.findIndex((title) => title.includes(text));
  if (index < 0) throw new Error(`no post titled like "${text}" in the library: ${JSON.stringify(titles)}`);
  await (await browser.$$("#post-list .post-item"))[index].click();
  await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()).includes(text), {
    timeout: 10000,
    timeoutMsg: `the post "${text}" did not open`,
  });
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

/** An element's text content (WebKitWebDriver's getText reports "" for some visible elements). */
export async function textOf(browser, selector) {
  return browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
}

export async function readingMinutes(browser) {
  const text = await textOf(browser, "#stat-minutes");
  const match = /(\d+) min read/.exec(text);
  if (!match) throw new Error(`unexpected reading time text: ${text}`);
  return Number(match[1]);
}

/**
 * Puts the cursor at the end of the document and types `text` (Enter as \uE007) through
 * WebDriver's element send-keys, which types repeated characters faithfully (the Actions API
 * drops the second of two identical keys in WebKitWebDriver).
 */
export async function typeAtEnd(browser, text) {
  await browser.$(".cm-scroller").click();
  await browser.keys(["Control", "End"]);
  await browser.$(".cm-content").addValue(text);
}

/** Picks a reading-time profile in the status bar, as the writer would. */
export async function chooseProfile(browser, profile) {
  await browser.execute((value) => {
    const select = document.getElementById("profile");
    select.value = value;
    select.dispatchEvent(new Event("change"));
  }, profile);
}

/**
 * Waits until the app is idle (`window.galley.idle()`): no preview render in flight or waiting, no
 * awaited highlighting, statistics counted for the current text, nothing left to save, no list
 * load, site sync or scroll being followed. Tests wait on this instead of sleeping.
 */
export async function whenIdle(browser, timeout = 10000) {
  try {
    await browser.waitUntil(() => browser.execute(() => window.galley.idle()), { timeout, interval: 50 });
  } catch (error) {
    const busy = await browser.execute(() => window.galley.busy()).catch(() => "unknown");
    throw new Error(`the app never became idle (busy: ${JSON.stringify(busy)})`, { cause: error });
  }
}

export async function waitForSaved(browser) {
  await browser.waitUntil(async () => (await textOf(browser, "#save-state")) === "saved", {
    timeout: 10000,
    timeoutMsg: "the draft was not saved",
  });
}

/** A local HTTP server that records every request it gets: a beacon for "nothing may load". */
export async function startBeaconServer() {
  const hits = [];
  const server = createHttpServer((req, res) => {
    hits.push(req.url);
    res.end("x");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { hits, origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
