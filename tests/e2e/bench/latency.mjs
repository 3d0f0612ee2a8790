// In-app keystroke-to-painted-preview benchmark (issue 3, point 3): generates the 20k/300k-word
// posts (`node latency.mjs generate DIR`) and measures one app session (run via scripts/bench-app.sh).
import { readFileSync, readdirSync, writeFileSync, mkdirSync, appendFileSync, readlinkSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

function stripFrontMatter(text) {
  for (const fence of ["---\n", "+++\n"]) {
    if (text.startsWith(fence)) {
      const end = text.indexOf(`\n${fence}`, fence.length - 1);
      if (end >= 0) return text.slice(end + fence.length + 1);
    }
  }
  return text;
}

/** The same document as benches/render.rs `generate(words)`: content/*.md repeated as numbered parts. */
export function generate(words) {
  const dir = join(root, "content");
  const bodies = readdirSync(dir).filter((f) => f.endsWith(".md")).sort()
    .map((f) => stripFrontMatter(readFileSync(join(dir, f), "utf8")));
  let doc = "# A very long technical post\n\n";
  let count = 6;
  let part = 0;
  while (count < words) {
    const body = bodies[part % bodies.length];
    part += 1;
    let chunk = `## Part ${part}\n\n`;
    let inCode = false;
    let previousBlank = true;
    for (const raw of body.split("\n").slice(0, body.endsWith("\n") ? -1 : undefined)) {
      const trimmed = raw.trimStart();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) inCode = !inCode;
      const proseStart = !inCode && previousBlank && /^\p{L}/u.test(trimmed);
      const line = raw.replaceAll("[^", `[^p${part}-`);
      chunk += line;
      if (proseStart) chunk += ` (part ${part})`;
      chunk += "\n";
      previousBlank = line.trim() === "";
    }
    chunk += "\n";
    doc += chunk;
    count += chunk.split(/\s+/).filter(Boolean).length;
  }
  return doc;
}

if (process.argv[2] === "generate") {
  const out = process.argv[3];
  for (const [size, words] of [["20k", 20000], ["300k", 300000]]) {
    const body = generate(words);
    mkdirSync(join(out, size), { recursive: true });
    writeFileSync(join(out, size, `bench-${size}.md`), `---\ntitle: "Benchmark post ${size}"\n---\n\n${body}`);
    const n = body.split(/\s+/).filter(Boolean).length;
    console.log(`${size}: ${n} words, ${Buffer.byteLength(body)} bytes, ${body.split("\n").length - 1} lines`);
  }
  process.exit(0);
}

// ---- summary of a results file (one JSON object per session and phase) ---------------------
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1; // nearest-rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
const median = (values) => percentile(values, 50);
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : "–");

function summarize(file) {
  const runs = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  console.log("| post | mode | run | preview p50 / p95 (ms) | floor p50 / p95 (ms) | p95 ratio | code preview p50 / p95 | code floor p50 / p95 | n |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of runs) {
    if (r.error) {
      console.log(`| ${r.size} | ${r.mode} | ${r.run} | failed: ${r.error} | | | | | |`);
      continue;
    }
    const p = r.prose.preview, f = r.prose.floor, cp = r.code?.preview ?? [], cf = r.code?.floor ?? [];
    const ratio = percentile(p, 95) / percentile(f, 95);
    console.log(`| ${r.size} | ${r.mode} | ${r.run} | ${fmt(median(p))} / ${fmt(percentile(p, 95))} | ${fmt(median(f))} / ${fmt(percentile(f, 95))} | ${ratio.toFixed(2)}x | ${fmt(median(cp))} / ${fmt(percentile(cp, 95))} | ${fmt(median(cf))} / ${fmt(percentile(cf, 95))} | ${p.length}+${f.length} |`);
  }
  console.log("\nWhere the preview keystroke's time goes (medians over the prose preview keys, ms):");
  console.log("| post | mode | run | key→editor DOM | key→IPC sent | IPC round trip (render_preview or the galley-preview scheme) | reply→patched | patched→2nd frame | payload KB | doc.toString() | JSON of the text |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of runs) {
    if (r.error || !r.stages) continue;
    const s = r.stages;
    console.log(`| ${r.size} | ${r.mode} | ${r.run} | ${fmt(s.editor)} | ${fmt(s.send)} | ${fmt(s.ipc)} | ${fmt(s.apply)} | ${fmt(s.paint)} | ${fmt(s.kb)} | ${r.pageCosts?.docToString.toFixed(1)} | ${r.pageCosts?.json.toFixed(1)} |`);
  }
}

if (process.argv[2] === "summarize") {
  summarize(process.argv[3]);
  process.exit(0);
}

// ---- one measured session ---------------------------------------------------------------
const { startApp, stopApp, openPostByTitle, editorText, whenIdle } = await import("../galley.mjs");
const size = process.env.BENCH_SIZE ?? "20k";
const mode = process.env.BENCH_MODE ?? "default";
const run = Number(process.env.BENCH_RUN ?? 1);
const keys = Number(process.env.BENCH_KEYS ?? 60);
const warmup = Number(process.env.BENCH_WARMUP ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const out = process.env.BENCH_OUT;
const library = process.env.BENCH_LIBRARY;
const TYPED = "the quick brown fox jumps over a lazy dog ";
let typed = 0;

/** In-page probes: key events, the render request (Tauri's IPC goes through fetch; the keystroke
 *  path is a synchronous XMLHttpRequest),
 *  the preview patch (a MutationObserver on the preview article) and the editor's DOM update. */
function installProbes() {
  const probe = (window.__bench = { keys: [], fetchSeen: 0 });
  const current = () => probe.keys[probe.keys.length - 1];
  document.addEventListener("keydown", (e) => probe.keys.push({ t0: e.timeStamp, seen: performance.now() }), true);
  const realFetch = window.fetch.bind(window);
  window.fetch = (url, init) => {
    const isRender = String(url).includes("render_preview");
    if (!isRender) return realFetch(url, init);
    probe.fetchSeen += 1;
    const rec = current();
    if (rec && rec.send === undefined) {
      rec.send = performance.now();
      rec.bytes = typeof init?.body === "string" ? init.body.length : init?.body?.byteLength ?? 0;
    }
    return realFetch(url, init).then((response) => {
      const json = response.json.bind(response);
      response.json = () => json().then((value) => {
        if (rec && rec.recv === undefined) {
          rec.recv = performance.now();
          // Runs after every microtask queued now, i.e. after the app's await + preview.apply.
          setTimeout(() => { if (rec.appliedTask === undefined) rec.appliedTask = performance.now(); }, 0);
        }
        return value;
      });
      return response;
    });
  };
  // The keystroke path: a synchronous XMLHttpRequest to the galley-preview scheme.
  const realOpen = XMLHttpRequest.prototype.open;
  const realSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.__benchPreview = String(url).includes("galley-preview");
    return realOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!this.__benchPreview) return realSend.call(this, body);
    probe.fetchSeen += 1;
    const rec = current();
    const fresh = rec && rec.send === undefined;
    if (fresh) {
      rec.send = performance.now();
      rec.bytes = typeof body === "string" ? body.length : 0;
    }
    const result = realSend.call(this, body);
    if (fresh) rec.recv = performance.now();
    return result;
  };
  const article = document.getElementById("preview").contentDocument.getElementById("galley-preview");
  new MutationObserver(() => {
    const rec = current();
    if (rec && rec.recv !== undefined && rec.applied === undefined) rec.applied = performance.now();
  }).observe(article, { childList: true, subtree: true, characterData: true });
  new MutationObserver(() => {
    const rec = current();
    if (rec && rec.editor === undefined) rec.editor = performance.now();
  }).observe(document.querySelector(".cm-content"), { childList: true, subtree: true, characterData: true });
}

/** Waits until the preview's DOM has not changed for `quietMs` (highlighting done). */
async function waitQuiet(browser, quietMs, timeoutMs) {
  return browser.executeAsync((quiet, timeout, done) => {
    const article = document.getElementById("preview").contentDocument.getElementById("galley-preview");
    let last = performance.now();
    const start = last;
    const observer = new MutationObserver(() => (last = performance.now()));
    observer.observe(article, { childList: true, subtree: true, characterData: true, attributes: true });
    const check = () => {
      const now = performance.now();
      if (now - last >= quiet || now - start > timeout) {
        observer.disconnect();
        done({ waited: Math.round(now - start), blocks: article.children.length });
      } else setTimeout(check, 100);
    };
    check();
  }, quietMs, timeoutMs);
}

/** Puts the cursor at `offset` in the editor and scrolls it into view (the app's test hook,
 *  which uses CodeMirror's public API). */
async function placeCursor(browser, offset) {
  const ok = await browser.execute((at) => {
    window.galley.placeCursor(at);
    return window.galley.cursor() === at;
  }, offset);
  if (!ok) throw new Error("could not place the cursor");
  await whenIdle(browser, 60000); // scroll sync settles
  // CodeMirror parses a long post in the background after a jump; until it has caught up with
  // the visible lines every keystroke also does some of that parsing, whichever condition runs
  // first would pay for it.
  await browser.waitUntil(() => browser.execute(() => window.galley.editorParsedToViewport()), {
    timeout: 60000,
    interval: 200,
    timeoutMsg: "the editor never finished parsing up to the cursor",
  });
}

async function cursorHead(browser) {
  return browser.execute(() => window.galley.cursor());
}

/** Types `count` single keys, one at a time, each after the previous one's sample landed. */
async function typeKeys(browser, content, count) {
  let missed = 0;
  for (let i = 0; i < count; i++) {
    const before = await browser.execute(() => window.galley.latency.samples.length);
    const ch = TYPED[typed++ % TYPED.length];
    await content.addValue(ch);
    const landed = await browser.executeAsync((n, done) => {
      const start = performance.now();
      const check = () => {
        if (window.galley.latency.samples.length > n) done(true);
        else if (performance.now() - start > 5000) done(false);
        else setTimeout(check, 4);
      };
      check();
    }, before);
    if (!landed) missed++;
    await sleep(40 + Math.floor(Math.random() * 20));
  }
  return missed;
}

async function measure(browser, content, previewShown, count) {
  await browser.execute(() => window.galley.latency.clear());
  await browser.execute(() => (window.__bench.keys = []));
  const missed = await typeKeys(browser, content, count);
  const samples = await browser.execute(() => window.galley.latency.samples.slice());
  const probes = await browser.execute(() => window.__bench.keys.slice());
  const wrongKind = samples.filter((s) => s.preview !== previewShown).length;
  return { ms: samples.filter((s) => s.preview === previewShown).map((s) => s.ms), probes, samples, missed, wrongKind };
}

async function setPreview(browser, shown) {
  const hidden = await browser.execute(() => document.getElementById("panes").classList.contains("preview-hidden"));
  if (hidden === !shown) return;
  await browser.execute(() => window.galley.togglePreview());
  await whenIdle(browser, 60000);
  if (shown) await waitQuiet(browser, 500, 10000);
}

/** Median time of each stage of the preview path, from the probes of the prose preview keys. */
function stages(probeSets) {
  const all = probeSets.flat();
  const pick = (f) => median(all.map(f).filter((x) => Number.isFinite(x) && x >= 0));
  return {
    editor: pick((k) => k.editor - k.t0),
    send: pick((k) => k.send - k.t0),
    ipc: pick((k) => k.recv - k.send),
    apply: pick((k) => (k.applied ?? k.appliedTask) - k.recv),
    paint: pick((k) => k.end - (k.applied ?? k.appliedTask)),
    kb: pick((k) => k.bytes / 1024),
    keys: all.length,
  };
}

/** Attaches each sample's end time to the probe of its key (one key at a time, in order). */
function joinSamples(result) {
  const probes = result.probes.filter((p) => p.t0 !== undefined);
  result.samples.forEach((s, i) => { if (probes[i]) probes[i].end = probes[i].t0 + s.ms; });
  return probes;
}

/** The environment the app process actually got (to check the rendering mode reached it). */
function appEnvironment() {
  const app = process.env.GALLEY_APP;
  const env = {};
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== app) continue;
      const vars = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      for (const v of vars) if (/^(WEBKIT_|GDK_|LIBGL_)/.test(v)) env[v.split("=")[0]] = v.slice(v.indexOf("=") + 1);
      env.pid = pid;
    } catch { /* gone or not ours */ }
  }
  return env;
}

/** True when process `pid` is `ancestor` or runs under it (WebKit may start its web process
 *  through a sandbox helper). */
function descendsFrom(pid, ancestor) {
  for (let depth = 0; pid && pid !== "0" && depth < 8; depth++) {
    if (pid === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    } catch {
      return false;
    }
  }
  return false;
}

/** CPU time (clock ticks) used so far by the app's web processes (descendants of `appPid`). */
function webProcessTicks(appPid) {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (!stat.includes("(WebKitWebProces") || !descendsFrom(fields[1], String(appPid))) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* gone */ }
  }
  return ticks;
}

/** Waits until the web process has settled (at most 80 ms of CPU in a second; a blinking cursor
 *  costs some). After a 300k-word post opens, the page's main thread stays busy for about five
 *  seconds with the preview hidden or shown alike (CodeMirror parsing ahead), which would slow down
 *  whichever condition is measured first. Returns the milliseconds waited. */
async function waitWebProcessIdle(appPid, timeoutMs = 30000) {
  const start = Date.now();
  if (!appPid) return null;
  let last = webProcessTicks(appPid);
  while (Date.now() - start < timeoutMs) {
    await sleep(1000);
    const now = webProcessTicks(appPid);
    if (now - last <= 8) return Date.now() - start;
    last = now;
  }
  return Date.now() - start;
}

const record = { size, mode, run, keys, warmup, rounds, date: new Date().toISOString() };
let browser;
try {
  browser = await startApp(library);
  record.appEnv = appEnvironment();
  const t = Date.now();
  await openPostByTitle(browser, `Benchmark post ${size}`);
  record.settle = await waitQuiet(browser, 1500, 120000);
  record.openMs = Date.now() - t;
  await browser.execute(installProbes);
  // What the page itself pays per keystroke for the whole-text hand-off (onChange + invoke).
  record.pageCosts = await browser.execute(() => {
    const time = (f) => { const t = performance.now(); for (let i = 0; i < 5; i++) f(); return (performance.now() - t) / 5; };
    const text = window.galley.editorText();
    return { docToString: time(() => window.galley.editorText()), json: time(() => JSON.stringify({ text, reset: false })) };
  });
  const text = await editorText(browser);
  const middle = Math.floor(text.length / 2);
  const proseAt = text.indexOf(" (part ", middle);
  const fence = text.indexOf("\n```go\n", middle);
  const content = await browser.$(".cm-content");

  record.prose = { preview: [], floor: [] };
  const probeSets = [];
  let missed = 0;
  let wrongKind = 0;
  const perRound = Math.ceil(keys / rounds);
  await placeCursor(browser, proseAt);
  record.idleWaitMs = await waitWebProcessIdle(record.appEnv.pid);
  for (let round = 0; round < rounds; round++) {
    // Alternate which condition goes first, so drifts within a round cancel out.
    for (const shown of round % 2 === 0 ? [true, false] : [false, true]) {
      await setPreview(browser, shown);
      await typeKeys(browser, content, round === 0 ? warmup : Math.ceil(warmup / 2));
      const result = await measure(browser, content, shown, perRound);
      record.prose[shown ? "preview" : "floor"].push(...result.ms);
      if (shown) probeSets.push(joinSamples(result));
      missed += result.missed;
      wrongKind += result.wrongKind;
    }
  }
  record.stages = stages(probeSets);
  record.fetchSeen = await browser.execute(() => window.__bench.fetchSeen);
  // The keys must have gone where the cursor was put (prose paragraph in the middle).
  const head = await cursorHead(browser);
  record.proseCursorOk = head > proseAt && head <= proseAt + typed;

  // Secondary: a keystroke inside a Go code block in the middle of the post.
  if (fence > 0 && process.env.BENCH_CODE !== "0") {
    record.code = { preview: [], floor: [] };
    await setPreview(browser, true);
    const now = await editorText(browser); // the prose edits may have moved the fence
    const codeStart = now.indexOf("\n```go\n", middle) + "\n```go\n".length;
    await placeCursor(browser, codeStart);
    const start = typed;
    for (const shown of [true, false]) {
      await setPreview(browser, shown);
      await typeKeys(browser, content, Math.ceil(warmup / 2));
      const result = await measure(browser, content, shown, Math.ceil(keys / 2));
      record.code[shown ? "preview" : "floor"].push(...result.ms);
      missed += result.missed;
    }
    const head2 = await cursorHead(browser);
    record.codeCursorOk = head2 === codeStart + (typed - start);
  }
  record.missed = missed;
  record.wrongKind = wrongKind;
} catch (error) {
  record.error = String(error?.message ?? error).split("\n")[0];
} finally {
  if (browser) await stopApp(browser);
}
if (out) appendFileSync(out, JSON.stringify(record) + "\n");
const p = record.prose;
if (p) {
  console.log(`${size} ${mode} run ${run}: preview p50 ${fmt(median(p.preview))} p95 ${fmt(percentile(p.preview, 95))}; floor p50 ${fmt(median(p.floor))} p95 ${fmt(percentile(p.floor, 95))}; ratio ${(percentile(p.preview, 95) / percentile(p.floor, 95)).toFixed(2)}x; stages ${JSON.stringify(record.stages)}; cursor ok ${record.proseCursorOk}/${record.codeCursorOk}; idle wait ${record.idleWaitMs} ms; missed ${record.missed}; env ${JSON.stringify(record.appEnv)}`);
}
if (record.error) {
  console.error(`${size} ${mode} run ${run} failed: ${record.error}`);
  process.exit(1);
}
