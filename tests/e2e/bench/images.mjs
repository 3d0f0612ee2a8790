// Benchmark "opening a post with 50 images until every image has painted" (issue 12): generates
// the Hugo site (`node images.mjs generate DIR`), measures one app session (scripts/bench-images.sh).
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export const IMAGES = 50;
export const TITLES = { images: "Fifty figures", text: "Fifty figures, text only", other: "Another post" };
const MARKERS = { images: "marker-figures-with-images", text: "marker-figures-text-only" };

/** The prose around the figures: the same in both posts, so the only difference is the images. */
function body(withImages) {
  let text = `First paragraph (${withImages ? MARKERS.images : MARKERS.text}).\n\n`;
  for (let i = 1; i <= IMAGES; i++) {
    text += `## Figure ${i}\n\nThe measurement behind figure ${i}: the scheduler parks the goroutine, the timer fires, and the\nlatency histogram shifts right by a few microseconds under load.\n\n`;
    if (withImages) text += `![Figure ${i}](figure-${String(i).padStart(2, "0")}.png)\n\n`;
  }
  return text;
}

/** A Hugo site: a leaf bundle with 50 varied 800x600 PNGs (imagemagick), the same post without
 *  its image links, and a short post to switch from. */
function generate(out) {
  const bundle = join(out, "content", "posts", "fifty-figures");
  const text = join(out, "content", "posts", "fifty-figures-text");
  mkdirSync(bundle, { recursive: true });
  mkdirSync(text, { recursive: true });
  writeFileSync(join(out, "hugo.toml"), 'title = "Figures benchmark"\n');
  writeFileSync(join(bundle, "index.md"), `---\ntitle: "${TITLES.images}"\ndate: 2026-11-30\n---\n\n${body(true)}`);
  writeFileSync(join(text, "index.md"), `---\ntitle: "${TITLES.text}"\ndate: 2026-11-30\n---\n\n${body(false)}`);
  writeFileSync(join(out, "content", "posts", "another.md"), `---\ntitle: "${TITLES.other}"\ndate: 2026-12-01\n---\n\nA short post to switch from (the newest, so the app opens it first).\n`);
  let bytes = 0;
  for (let i = 1; i <= IMAGES; i++) {
    const hue = (i * 37) % 360;
    const file = join(bundle, `figure-${String(i).padStart(2, "0")}.png`);
    const x = 80 + ((i * 53) % 500);
    const y = 60 + ((i * 29) % 400);
    // A chart-like figure: gradient, a grid, a jagged data line, a bar and a disc.
    const line = Array.from({ length: 80 }, (_, k) => `${k * 10},${300 + Math.round(200 * Math.sin((k + i) / 7) * Math.cos(k * i))}`).join(" ");
    const grid = Array.from({ length: 15 }, (_, k) => `line ${k * 56},0 ${k * 56},600 line 0,${k * 42} 800,${k * 42}`).join(" ");
    execFileSync("convert", [
      "-size", "800x600", `gradient:hsl(${hue},60%,35%)-hsl(${(hue + 120) % 360},70%,80%)`,
      "-fill", `hsl(${(hue + 200) % 360},80%,50%)`, "-draw", `circle ${x},${y} ${x + 40 + i},${y}`,
      "-stroke", "#ffffff60", "-draw", grid, "-stroke", "#101010", "-strokewidth", "2", "-fill", "none", "-draw", `polyline ${line}`,
      "-stroke", "none", "-fill", "#202020", "-draw", `rectangle 40,${520 - i * 4} ${60 + i * 12},560`,
      file,
    ]);
    bytes += readFileSync(file).length;
  }
  console.log(`${IMAGES} PNGs of 800x600, ${(bytes / 1048576).toFixed(1)} MiB, in ${bundle}`);
}

if (process.argv[2] === "generate") {
  generate(process.argv[3]);
  process.exit(0);
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]; // nearest-rank
}
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : "–");

function summarize(file) {
  const sessions = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
  console.log("| post | opens | first open of each session (ms) | median (ms) | p95 (ms) |");
  console.log("|---|---|---|---|---|");
  const all = { images: [], text: [], decoded: [] };
  const first = { images: [], text: [], decoded: [] };
  for (const s of sessions) {
    if (s.error) console.log(`| session failed: ${s.error} | | | | |`);
    for (const kind of ["images", "text", "decoded"]) {
      all[kind].push(...(s[kind] ?? []));
      if (s[kind]?.length) first[kind].push(s[kind][0]);
    }
  }
  const labels = {
    images: `${IMAGES} images (800x600 PNG): all complete, naturalWidth > 0, + 1 frame`,
    text: "same text, no images",
    decoded: `${IMAGES} images: all img.decode() resolved (off-screen ones too)`,
  };
  for (const kind of ["images", "text", "decoded"]) {
    const ms = all[kind];
    console.log(`| ${labels[kind]} | ${ms.length} | ${first[kind].map(fmt).join(", ")} | ${fmt(percentile(ms, 50))} | ${fmt(percentile(ms, 95))} |`);
  }
  const ratio = (p) => percentile(all.images, p) / percentile(all.text, p);
  console.log(`\nratio images / text only: median ${ratio(50).toFixed(1)}x, p95 ${ratio(95).toFixed(1)}x`);
}

if (process.argv[2] === "summarize") {
  summarize(process.argv[3]);
  process.exit(0);
}

// ---- one measured session ---------------------------------------------------------------
const { startApp, stopApp, openPostByTitle, whenIdle } = await import("../galley.mjs");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const out = process.env.BENCH_OUT;

/** In the page: clicks the library row titled `title` (performance.now() at the click) and resolves with
 *  the milliseconds until the preview shows the post (its marker), every <img> in the preview has
 *  `complete && naturalWidth > 0`, and one requestAnimationFrame after that has run. Checked once
 *  per frame. */
async function openAndTime(browser, title, marker, expectedImages) {
  return browser.executeAsync(
    (name, mark, count, done) => {
      const row = Array.from(document.querySelectorAll("#post-list .post-item")).find((item) => item.querySelector(".post-title")?.textContent === name);
      if (!row) return done({ error: `no post titled "${name}" in the list` });
      const t0 = performance.now();
      row.click();
      const check = () => {
        const doc = document.getElementById("preview").contentDocument;
        const article = doc?.getElementById("galley-preview");
        const images = doc ? Array.from(doc.querySelectorAll("img")) : [];
        const shown = article?.textContent.includes(mark) && images.length === count;
        if (shown && images.every((img) => img.complete && img.naturalWidth > 0)) {
          requestAnimationFrame(() => {
            const ms = performance.now() - t0;
            // Secondary: WebKit decodes an image only when it is drawn, so the off-screen ones are
            // still undecoded here; img.decode() on all of them gives the time to have every one ready.
            Promise.all(images.map((img) => img.decode().catch(() => null))).then(() => {
              const decodedMs = performance.now() - t0;
              done({ ms, decodedMs, widths: images.map((img) => img.naturalWidth), srcs: images.slice(0, 1).map((img) => img.getAttribute("src")) });
            });
          });
        } else if (performance.now() - t0 > 60000) {
          done({ error: `timed out: marker ${!!article?.textContent.includes(mark)}, ${images.length} images, ${images.filter((img) => img.complete && img.naturalWidth > 0).length} painted` });
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    title,
    marker,
    expectedImages,
  );
}

const record = { runs, images: [], text: [], decoded: [], date: new Date().toISOString() };
let browser;
try {
  browser = await startApp(process.env.BENCH_LIBRARY);
  await browser.setTimeout({ script: 120000 });
  for (let run = 0; run < runs; run++) {
    // Alternate which post goes first, so drifts within a run cancel out.
    for (const kind of run % 2 === 0 ? ["images", "text"] : ["text", "images"]) {
      await openPostByTitle(browser, TITLES.other);
      await whenIdle(browser, 60000);
      const result = await openAndTime(browser, TITLES[kind], MARKERS[kind], kind === "images" ? IMAGES : 0);
      if (result.error) throw new Error(`${kind}, run ${run + 1}: ${result.error}`);
      // The images painted are the post's own 800x600 PNGs, not placeholders.
      if (kind === "images" && !result.widths.every((w) => w === 800)) throw new Error(`not the post's images: widths ${result.widths}, ${result.srcs}`);
      record[kind].push(result.ms);
      if (kind === "images") record.decoded.push(result.decodedMs);
      await whenIdle(browser, 60000);
    }
  }
} catch (error) {
  record.error = String(error?.message ?? error).split("\n")[0];
} finally {
  if (browser) await stopApp(browser);
}
if (out) appendFileSync(out, JSON.stringify(record) + "\n");
console.log(`images: ${record.images.map(fmt).join(" ")} ms (decoded ${record.decoded.map(fmt).join(" ")}); text only: ${record.text.map(fmt).join(" ")} ms`);
if (record.error) {
  console.error(`bench-images failed: ${record.error}`);
  process.exit(1);
}
