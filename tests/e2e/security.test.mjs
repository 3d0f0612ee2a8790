// End-to-end: the preview cannot be turned against the writer. The whole hostile corpus
// (tests/fixtures/hostile/cases.txt) plus beacons aimed at a local server goes into a draft; no
// script runs, no request leaves the page, the app never navigates; links in the preview scroll
// (anchors) or ask first (external); titles in the chrome are text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startApp, stopApp, freshLibraryPath, previewText, previewCount, textOf, postTitles, startBeaconServer } from "./galley.mjs";

const corpusPath = new URL("../fixtures/hostile/cases.txt", import.meta.url);

function hostileCases() {
  const cases = [];
  for (const line of readFileSync(corpusPath, "utf8").split("\n")) {
    if (line.startsWith("%%% ")) cases.push({ name: line.slice(4).trim(), lines: [] });
    else if (cases.length > 0) cases.at(-1).lines.push(line);
  }
  return cases.map((c) => ({ name: c.name, text: c.lines.join("\n") }));
}

/** Payloads that would reach our own server if anything got through. */
function beacons(origin) {
  return [
    `<img src="${origin}/img" onerror="window.top.document.title='PWNED'">`,
    `![beacon](${origin}/markdown-image)`,
    `<div style="background:url(${origin}/css-url)">css</div>`,
    `<link rel="stylesheet" href="${origin}/stylesheet">`,
    `<style>@import "${origin}/import"; body{background:url(${origin}/style-tag)}</style>`,
    `<iframe src="${origin}/iframe"></iframe>`,
    `<iframe srcdoc="<script>parent.parent.document.title='PWNED'</script>"></iframe>`,
    `<meta http-equiv="refresh" content="0;url=${origin}/refresh">`,
    `<object data="${origin}/object"></object><embed src="${origin}/embed">`,
    `<video poster="${origin}/poster" src="${origin}/video"></video><audio src="${origin}/audio"></audio>`,
    `<img srcset="${origin}/srcset 2x">`,
    `<svg><image href="${origin}/svg-image"/><script>window.top.document.title='PWNED'</script></svg>`,
    `<base href="${origin}/base/">\n\n![relative](relative.png)`,
    `<form action="${origin}/form"><button>go</button></form>`,
    `<a href="${origin}/link" ping="${origin}/ping">ping</a>`,
    `<details open ontoggle="window.top.document.title='PWNED'">x</details>`,
    `<body onload="window.top.document.title='PWNED'">`,
    `<script>window.top.document.title='PWNED'</script>`,
    `[click](javascript:window.top.document.title='PWNED')`,
  ];
}

test("the hostile corpus runs no script and sends no request", async () => {
  const server = await startBeaconServer();
  const { hits, origin } = server;
  const browser = await startApp(freshLibraryPath());
  try {
    const cases = hostileCases();
    assert.ok(cases.length >= 40, `only ${cases.length} hostile cases`);
    await browser.$("#new-draft").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Untitled draft", { timeout: 5000 });
    const marker = "END OF HOSTILE CORPUS";
    const text = [...cases.map((c) => c.text), ...beacons(origin), marker].join("\n\n");
    await browser.execute((t) => window.galley.replaceText(t), text);
    await browser.waitUntil(async () => (await previewText(browser)).includes(marker), { timeout: 15000 });
    // Proves that nothing happens, so there is no condition to await: give any image, frame or
    // refresh time to fire.
    await browser.pause(1500);
    assert.equal(await browser.getTitle(), "Galley", "a script changed the window title");
    assert.deepEqual(hits, [], `requests reached the beacon server: ${hits.join(", ")}`);
    const forbidden = "#galley-preview :is(script, iframe, object, embed, meta, base, form, style, link, svg, math, video, audio, [srcset], [style])";
    assert.equal(await previewCount(browser, forbidden), 0);
    const handlers = await browser.execute(() =>
      Array.from(document.getElementById("preview").contentDocument.querySelectorAll("*")).flatMap((el) =>
        Array.from(el.attributes).filter((a) => a.name.startsWith("on") || /^\s*(javascript|data|vbscript):/i.test(a.value)).map((a) => `${el.tagName} ${a.name}=${a.value}`),
      ),
    );
    assert.deepEqual(handlers, []);
    // The app is still itself: the main document was never replaced.
    assert.ok(await browser.$("#post-list").isExisting());
  } finally {
    await stopApp(browser);
    server.close();
  }
});

test("links in the preview scroll to anchors or ask before opening; titles stay text", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await browser.$("#new-draft").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Untitled draft", { timeout: 5000 });
    const filler = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of filler text.`).join("\n\n");
    const body = `[jump to the end](#the-end)\n\n[an outside page](https://example.com/post)\n\n${filler}\n\n## The end\n\nDone.\n`;
    await browser.execute((t) => window.galley.replaceText(t), body);
    await browser.waitUntil(async () => (await previewCount(browser, "#the-end")) === 1, { timeout: 10000 });
    await browser.switchFrame(await browser.$("#preview"));
    await browser.$('a[href="#the-end"]').click();
    await browser.switchFrame(null);
    await browser.waitUntil(async () => (await browser.execute(() => document.getElementById("preview").contentWindow.scrollY)) > 200, {
      timeout: 5000,
      timeoutMsg: "the anchor did not scroll the preview",
    });
    assert.ok(await browser.$("#post-list").isExisting(), "the app navigated away");
    await browser.execute(() => document.getElementById("preview").contentWindow.scrollTo(0, 0));
    await browser.switchFrame(await browser.$("#preview"));
    await browser.$('a[href="https://example.com/post"]').click();
    await browser.switchFrame(null);
    await browser.waitUntil(async () => await browser.$("#link-bar").isDisplayed(), { timeout: 5000, timeoutMsg: "no confirmation bar" });
    assert.equal(await textOf(browser, "#link-url"), "https://example.com/post");
    await browser.$("#link-cancel").click();
    // A title with markup is shown as text in the sidebar and the form.
    const title = `<img src=x onerror="document.title='PWNED'"> & <b>bold</b>`;
    await browser.$("#fm-toggle").click();
    await browser.$("#fm-title").setValue(title);
    await browser.waitUntil(async () => (await postTitles(browser)).includes(title), { timeout: 5000 });
    assert.equal(await browser.execute(() => document.querySelectorAll("#post-list img, #post-list b").length), 0);
    assert.equal(await browser.getTitle(), "Galley");
  } finally {
    await stopApp(browser);
  }
});
