// Makes the README's screenshot: the real app under Xvfb on a fresh library, the Go post open
// with a highlighted code block in view. Run by `make screenshot` (scripts/e2e.sh runs it).
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { startApp, stopApp, freshLibraryPath, openPostByTitle, previewCount, whenIdle } from "./galley.mjs";

const out = resolve(process.env.GALLEY_SCREENSHOT ?? "../../docs/screenshot.png");
const browser = await startApp(freshLibraryPath());
try {
  await openPostByTitle(browser, "Go Concurrency");
  await browser.waitUntil(async () => (await previewCount(browser, "pre code .hl-go")) > 0, { timeout: 15000 });
  // Scroll the editor to the first Go block; scroll sync brings the preview along.
  await browser.execute(() => {
    const doc = document.getElementById("preview").contentDocument;
    const code = doc.querySelector("pre.code");
    const line = Number(code?.closest("[data-line]")?.getAttribute("data-line") ?? 1);
    const heading = Array.from(doc.querySelectorAll("h2")).find((h) => Number(h.dataset.line) < line);
    (heading ?? code)?.scrollIntoView({ block: "start" });
  });
  // The editor followed the preview, highlighting and statistics landed.
  await whenIdle(browser);
  // The editor's Go grammar loads on demand: wait until its code is coloured too.
  await browser.waitUntil(
    () =>
      browser.execute(() => {
        const prose = getComputedStyle(document.querySelector(".cm-content")).color;
        return Array.from(document.querySelectorAll(".cm-content span")).some((span) => span.textContent === "func" && getComputedStyle(span).color !== prose);
      }),
    { timeout: 10000, timeoutMsg: "Go code in the editor is not coloured" },
  );
  // Nothing to wait for but the compositor painting the last frames.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  execFileSync("import", ["-window", "root", out]);
  console.log(`screenshot: ${out}`);
} finally {
  await stopApp(browser);
}
