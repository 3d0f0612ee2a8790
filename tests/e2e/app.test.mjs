// End-to-end: the real app under Xvfb. Opens a sample post, types into the editor and watches
// the preview and reading time follow, and restarts the app to find the typed text still there.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  startApp,
  stopApp,
  freshLibraryPath,
  openPostByTitle,
  previewText,
  previewCount,
  editorText,
  readingMinutes,
  typeAtEnd,
  waitForSaved,
  chooseProfile,
  whenIdle,
} from "./galley.mjs";

const ENTER = "\uE007";

/** Opens the Go sample post and makes it `copies` times as long (headings numbered per copy),
 *  until the preview holds more than `chunks` chunks of blocks. */
async function openLongPost(browser, copies, chunks) {
  await openPostByTitle(browser, "Go");
  await browser.waitUntil(async () => (await previewCount(browser, "h2")) > 0, { timeout: 10000 });
  await browser.execute((n) => {
    const text = window.galley.editorText();
    window.galley.replaceText(Array.from({ length: n }, (_, i) => text.replaceAll("## ", `## ${i} `)).join("\n\n"));
  }, copies);
  await browser.waitUntil(async () => (await previewCount(browser, ".galley-chunk")) > chunks, {
    timeout: 10000,
    timeoutMsg: "the long post was not chunked",
  });
}

test("a sample post opens with its heading and a highlighted Go block in the preview", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await openPostByTitle(browser, "Go");
    await browser.waitUntil(async () => (await previewCount(browser, "h2")) > 0, {
      timeout: 10000,
      timeoutMsg: "no heading appeared in the preview",
    });
    const headings = await browser.execute(() =>
      Array.from(document.getElementById("preview").contentDocument.querySelectorAll("h2")).map((h) => h.textContent),
    );
    assert.ok(headings.length >= 2, `expected several headings, got ${JSON.stringify(headings)}`);
    // The first Go block is coloured by syntect (class-based spans), not plain text.
    await browser.waitUntil(async () => (await previewCount(browser, "pre code .hl-source.hl-go")) > 0, {
      timeout: 10000,
      timeoutMsg: "no highlighted Go code block in the preview",
    });
    assert.ok((await previewCount(browser, "pre code .hl-source.hl-go [class*='hl-keyword']")) > 0);
    // The editor colours fenced code too (the Go grammar loads on demand): "func" in a keyword
    // colour, not the prose colour.
    await browser.waitUntil(
      async () => browser.execute(() => {
        const prose = getComputedStyle(document.querySelector(".cm-content")).color;
        return Array.from(document.querySelectorAll(".cm-line span"))
          .some((span) => span.textContent === "func" && getComputedStyle(span).color !== prose);
      }),
      { timeout: 10000, timeoutMsg: "Go code in the editor is not coloured" },
    );
    // Every block in the preview carries its source line for scroll sync.
    assert.equal(await previewCount(browser, "article > .galley-chunk > :not([data-line], .galley-group)"), 0);
    assert.equal(await previewCount(browser, "article > .galley-chunk > .galley-group > :not([data-line])"), 0);
  } finally {
    await stopApp(browser);
  }
});

test("typing Markdown updates the preview and the reading time", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await browser.$("#new-draft").click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Untitled draft", {
      timeout: 10000,
    });
    // Galley's own profile (the status bar's choice is remembered between sessions).
    await chooseProfile(browser, "galley");
    // An empty draft reads in the minimum of one minute.
    await browser.waitUntil(async () => (await readingMinutes(browser)) === 1 && (await previewCount(browser, "article .galley-chunk > *")) === 0, {
      timeout: 10000,
      timeoutMsg: "the new draft's empty preview and 1 min read did not show",
    });
    await typeAtEnd(browser, `## Typed heading${ENTER}${ENTER}Some *typed* prose.${ENTER}${ENTER}`);
    await browser.waitUntil(async () => (await previewText(browser)).includes("Typed heading"), {
      timeout: 10000,
      timeoutMsg: "the typed heading never reached the preview",
    });
    assert.equal(await previewCount(browser, "h2"), 1);
    assert.equal(await previewCount(browser, "em"), 1);
    // 40 lines of code cost 2 s each: 80 s, so the post now takes 2 minutes.
    const code = Array.from({ length: 40 }, (_, i) => `x${i} := ${i}`).join(ENTER);
    await typeAtEnd(browser, "```go" + ENTER + code + ENTER + "```");
    await browser.waitUntil(async () => (await readingMinutes(browser)) === 2, {
      timeout: 15000,
      timeoutMsg: "the reading time did not change to 2 min",
    });
    assert.ok((await previewCount(browser, "pre code .hl-go")) > 0);
  } finally {
    await stopApp(browser);
  }
});

test("typed text is still there after the app restarts on the same library", async () => {
  const library = freshLibraryPath();
  let browser = await startApp(library);
  const marker = `Persisted ${Date.now()}`;
  try {
    await openPostByTitle(browser, "eBPF");
    await typeAtEnd(browser, `${ENTER}${ENTER}${marker} survives a restart.`);
    await waitForSaved(browser);
  } finally {
    await stopApp(browser);
  }
  browser = await startApp(library);
  try {
    await openPostByTitle(browser, "eBPF");
    assert.ok((await editorText(browser)).includes(`${marker} survives a restart.`));
    await browser.waitUntil(async () => (await previewText(browser)).includes(marker), { timeout: 10000 });
  } finally {
    await stopApp(browser);
  }
});

test("a keystroke's preview patch lands in the same task as the editor update; big pastes still arrive", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await openPostByTitle(browser, "Go");
    await browser.waitUntil(async () => (await previewCount(browser, "h2")) > 0, { timeout: 10000 });
    // The editor's change and the preview patch happen in one synchronous step (the
    // `galley-preview` keystroke path), so the browser paints both in the same frame.
    const sameTask = await browser.execute(() => {
      const text = window.galley.editorText();
      window.galley.replaceText(`${text}\n\nSame frame marker.\n`);
      return document.getElementById("preview").contentDocument.body.textContent.includes("Same frame marker.");
    });
    assert.equal(sameTask, true, "the preview did not change in the same task as the editor");
    // A large paste takes the asynchronous command instead and still reaches the preview.
    await browser.execute(() => {
      const paragraph = "Pasted paragraph with many words in it. ".repeat(40);
      const pasted = Array.from({ length: 20 }, (_, i) => `${paragraph}Block ${i}.`).join("\n\n");
      window.galley.replaceText(`${window.galley.editorText()}\n${pasted}\n\nEnd of paste.\n`);
    });
    await browser.waitUntil(async () => (await previewText(browser)).includes("End of paste."), {
      timeout: 10000,
      timeoutMsg: "the pasted text never reached the preview",
    });
    // Typing through real keys after the paste keeps both paths in step.
    await typeAtEnd(browser, "Typed after the paste.");
    await browser.waitUntil(async () => (await previewText(browser)).includes("Typed after the paste."), {
      timeout: 10000,
      timeoutMsg: "typing after the paste did not reach the preview",
    });
    assert.equal(await browser.execute(() => document.getElementById("preview").contentDocument.querySelectorAll("p").length > 20), true);
  } finally {
    await stopApp(browser);
  }
});

test("after edits all over a long post, the patched preview equals a fresh render, lines included", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    // Make the post long enough for many chunks of blocks, then edit it in place: new lines
    // (shifting every block below), deleted paragraphs, a heading typed in the middle.
    await openLongPost(browser, 12, 3);
    const edits = await browser.execute(() => {
      let seed = 7;
      const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      for (let i = 0; i < 60; i++) {
        const text = window.galley.editorText();
        const length = text.length;
        const at = random(length);
        const kind = random(4);
        const lineStart = at === 0 ? 0 : text.lastIndexOf("\n", at - 1) + 1;
        if (kind === 0) window.galley.edit({ from: at, insert: "\n\n" });
        else if (kind === 1) window.galley.edit({ from: at, to: Math.min(length, at + random(400)) });
        else if (kind === 2) window.galley.edit({ from: lineStart, insert: "## Typed heading\n\nAnd a paragraph.\n\n" });
        else window.galley.edit({ from: at, insert: "word " });
      }
      return 60;
    });
    assert.equal(edits, 60);
    // The preview's lines once every render in flight has landed.
    const settledLines = async () => {
      await whenIdle(browser);
      return browser.execute(() => window.galley.previewLines());
    };
    const patched = await settledLines();
    // Render from scratch; the old chunks are marked so the fresh render is known to have landed.
    await browser.execute(() => {
      for (const chunk of document.getElementById("preview").contentDocument.querySelectorAll(".galley-chunk")) chunk.dataset.stale = "1";
      window.galley.rerenderPreview();
    });
    await browser.waitUntil(async () => (await previewCount(browser, ".galley-chunk[data-stale]")) === 0, {
      timeout: 10000,
      timeoutMsg: "the fresh render never replaced the patched preview",
    });
    const fresh = await settledLines();
    assert.ok(fresh.length > 100, `expected a long preview, got ${fresh.length} elements`);
    assert.equal(patched.length, fresh.length);
    for (let i = 0; i < fresh.length; i++) {
      assert.deepEqual(patched[i], fresh[i], `element ${i} differs after the edits`);
    }
  } finally {
    await stopApp(browser);
  }
});

test("scrolling either side brings the same source line to the top of the other", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    // A long post, then new lines at the top so every block below has shifted source lines.
    await openLongPost(browser, 8, 2);
    await browser.execute(() => window.galley.edit({ from: 0, insert: "Intro line one.\n\nIntro line two.\n\n" }));
    await whenIdle(browser);

    // What each side shows at its top: the editor's first visible line; the source line of the
    // preview element at the top and of the one after it (data-line plus the chunk's pending
    // shift). The preview syncs by block, so the editor's line lies in the top block's range.
    const tops = () => browser.execute(() => {
      const editorLine = window.galley.editorTopLine();
      let previewLine = null;
      let nextLine = null;
      for (const element of document.getElementById("preview").contentDocument.querySelectorAll("[data-line]")) {
        const chunk = element.closest(".galley-chunk");
        const line = Number(element.dataset.line) + Number(chunk?.dataset.shift ?? 0);
        if (element.getBoundingClientRect().top > 10) {
          nextLine = line;
          break;
        }
        previewLine = line;
      }
      return { editorLine, previewLine, nextLine };
    });
    const inStep = ({ editorLine, previewLine, nextLine }) =>
      previewLine !== null && previewLine <= editorLine && (nextLine === null || editorLine < nextLine);

    // The editor leads: scroll it deep into the post (CodeMirror corrects its estimated line
    // heights as it renders, so read where it settled).
    await browser.execute(() => {
      const scroller = document.querySelector(".cm-scroller");
      scroller.scrollTop = scroller.scrollHeight * 0.6;
    });
    await browser.waitUntil(async () => inStep(await tops()), {
      timeout: 5000,
      timeoutMsg: "the preview did not follow the editor",
    });
    const first = await tops();
    assert.ok(first.editorLine > 500, `expected to be deep in the post: ${JSON.stringify(first)}`);

    // The preview leads: scroll it to a heading far above; the editor follows to its line (once
    // the editor's lead has run out: the idle signal includes scroll sync).
    await whenIdle(browser);
    await browser.execute(() => {
      const frame = document.getElementById("preview");
      const headings = Array.from(frame.contentDocument.querySelectorAll("h2"));
      frame.contentWindow.scrollBy(0, headings[Math.floor(headings.length * 0.3)].getBoundingClientRect().top);
    });
    await browser.waitUntil(async () => { const t = await tops(); return inStep(t) && t.editorLine < first.editorLine - 200; }, {
      timeout: 5000,
      timeoutMsg: "the editor did not follow the preview",
    });
    const second = await tops();
    const headingText = await browser.execute((line) => window.galley.editorText().split("\n")[line - 1], second.previewLine);
    assert.match(headingText, /^## /, `the preview's top element is the heading scrolled to: ${JSON.stringify(second)}`);
    assert.equal(second.editorLine, second.previewLine, "the editor shows the heading's line at its top");
  } finally {
    await stopApp(browser);
  }
});
