// End-to-end: hostile links and stylesheets found by the hardening review (issue 10, points 2,
// 4 and 5). A link to `/` must never load anything into the preview frame; a site stylesheet
// must never make the preview send a request, and one that is a link to /dev/zero must not hang
// the app at start; a fixed stylesheet is picked up live from the watcher.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { startApp, stopApp, freshLibraryPath, previewText, previewCount, textOf, openPostByTitle, startBeaconServer } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;
const work = process.env.GALLEY_E2E_WORK ?? "/tmp";

/** Marks the preview frame's document, so a later check sees whether it was replaced. */
async function markPreviewDocument(browser) {
  await browser.execute(() => {
    document.getElementById("preview").contentDocument.galleyMark = "still the preview";
  });
}

/** True while the preview frame still holds the marked document (no page was loaded into it). */
async function previewIsIntact(browser) {
  return browser.execute(() => {
    const doc = document.getElementById("preview").contentDocument;
    return doc.galleyMark === "still the preview" && doc.getElementById("galley-preview") !== null;
  });
}

async function clickInPreview(browser, selector) {
  await browser.switchFrame(await browser.$("#preview"));
  await browser.$(selector).click();
  await browser.switchFrame(null);
}

test("links to the site root or index.html never load anything into the preview", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await browser.$("#new-draft").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Untitled draft", { timeout: 5000 });
    await browser.execute((t) => window.galley.replaceText(t), "[home](/)\n\n[index](index.html)\n\n[about](/about/?x=1)\n\nfirst words\n");
    await browser.waitUntil(async () => (await previewCount(browser, 'a[href="/"]')) === 1, { timeout: 10000 });
    await markPreviewDocument(browser);
    for (const [href, shown] of [["/", "/"], ["index.html", "/index.html"], ["/about/?x=1", "/about/?x=1"]]) {
      await clickInPreview(browser, `a[href="${href}"]`);
      await browser.waitUntil(async () => (await textOf(browser, "#link-url")) === shown && (await browser.$("#link-bar").isDisplayed()), {
        timeout: 5000,
        timeoutMsg: `clicking ${href} did not explain where the link points`,
      });
      assert.match(await textOf(browser, "#link-bar"), /points into your site/);
      assert.equal(await browser.$("#link-open").isDisplayed(), false, "nothing to open without the site's base URL");
      assert.ok(await previewIsIntact(browser), `clicking ${href} navigated the preview frame`);
      await browser.$("#link-cancel").click();
    }
    // The preview still follows typing.
    await browser.execute((t) => window.galley.replaceText(t), "[home](/)\n\nsecond words after the clicks\n");
    await browser.waitUntil(async () => (await previewText(browser)).includes("second words after the clicks"), {
      timeout: 10000,
      timeoutMsg: "the preview stopped following the editor after a link was clicked",
    });
    assert.ok(await browser.$("#post-list").isExisting(), "the app navigated away");
  } finally {
    await stopApp(browser);
  }
});

/** Sets the preview stylesheet in a library that no app has open (the app picks it with a system dialog). */
function setPreviewStylesheet(library, path) {
  const script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"INSERT INTO settings (key, value) VALUES ('preview_css', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value\", (sys.argv[2],))\nc.commit()\n";
  execFileSync("python3", ["-c", script, library, path]);
}

async function previewBorderTop(browser) {
  return browser.execute(() => {
    const doc = document.getElementById("preview").contentDocument;
    return getComputedStyle(doc.body).borderTopWidth;
  });
}

test("a site stylesheet never phones home, cannot hang the app, and reloads from the watcher", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const server = await startBeaconServer();
  const { hits, origin } = server;
  const site = mkdtempSync(join(work, "css-site-"));
  mkdirSync(join(site, "content", "posts"), { recursive: true });
  writeFileSync(join(site, "content", "posts", "leaky.md"), "---\ntitle: Acquire and release\n---\n\n## Acquire semantics\n\nText with [a link to the about page](/about/).\n");
  writeFileSync(join(site, "hugo.toml"), "baseURL = 'https://example.org/blog/'\ntitle = 'A blog'\n");
  const sheet = join(site, "theme.css");
  writeFileSync(
    sheet,
    `body { border-top: 7px solid rgb(1, 2, 3); }\nh2 { background: url("${origin}/leak-h2"); }\n` +
      `h2[id^="acq"] { background-image: url(${origin}/attribute-leak); }\n@import url(${origin}/import.css);\n` +
      `@font-face { font-family: leak; src: url(${origin}/font.woff2); }\nh2 { font-family: leak; cursor: url(${origin}/cursor), auto; }\n`,
  );
  const library = freshLibraryPath();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  setPreviewStylesheet(library, sheet);
  let browser = await startApp(library);
  try {
    await openPostByTitle(browser, "Acquire and release");
    await browser.waitUntil(async () => (await previewBorderTop(browser)) === "7px", { timeout: 10000, timeoutMsg: "the site stylesheet was not applied" });
    await browser.waitUntil(async () => (await previewCount(browser, "h2")) === 1, { timeout: 5000 });
    // Proves that nothing is fetched, so there is no condition to await: give any background,
    // font or cursor time to load.
    await browser.pause(1500);
    assert.deepEqual(hits, [], `the preview fetched what the stylesheet named: ${hits.join(", ")}`);
    assert.match(await browser.execute(() => document.getElementById("site-css").title), /Not loaded/);
    // A site-relative link opens the published page, resolved against the site's baseURL.
    await clickInPreview(browser, 'a[href="/about/"]');
    await browser.waitUntil(async () => (await textOf(browser, "#link-url")) === "https://example.org/blog/about/", {
      timeout: 5000,
      timeoutMsg: "the site-relative link was not resolved against the site's base URL",
    });
    assert.ok(await browser.$("#link-open").isDisplayed());
    await browser.$("#link-cancel").click();
    await stopApp(browser);

    // The stylesheet becomes a link to /dev/zero: the app still starts (the list appears), says
    // why in words, and the preview falls back to Galley's own style.
    rmSync(sheet);
    symlinkSync("/dev/zero", sheet);
    browser = await startApp(library);
    await browser.waitUntil(async () => (await browser.execute(() => document.getElementById("site-css").title)).includes("not a regular file"), {
      timeout: 10000,
      timeoutMsg: "no word about the unreadable stylesheet",
    });
    assert.ok(await browser.execute(() => document.getElementById("site-css").classList.contains("error-text")));
    assert.notEqual(await previewBorderTop(browser), "7px");

    // Fixed on disk: the watcher brings it in without a restart or a poll.
    rmSync(sheet);
    writeFileSync(sheet, "body { border-top: 9px solid rgb(1, 2, 3); }\n");
    await browser.waitUntil(async () => (await previewBorderTop(browser)) === "9px", { timeout: 10000, timeoutMsg: "the fixed stylesheet was not picked up" });
    assert.equal(await browser.execute(() => document.getElementById("site-css").classList.contains("error-text")), false);
    assert.deepEqual(hits, []);
  } finally {
    await stopApp(browser);
    server.close();
  }
});
