// End-to-end: a linked site folder that is hostile or clumsy. An idle app opens no file of its
// site folder (reading a post with `cat` must not set off a read loop), and a site folder gone
// at start is shown to the writer instead of being dropped silently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startApp, stopApp, freshLibraryPath } from "./galley.mjs";

const cli = process.env.GALLEY_CLI;
const hasPython = spawnSync("python3", ["--version"]).status === 0;
if (!hasPython && process.env.CI === "true") throw new Error("python3 is needed to watch file opens (inotify)");

// Prints every file opened in a folder tree (inotify IN_OPEN), one path per line, after "ready".
const OPEN_MONITOR = `
import ctypes, os, select, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
if fd < 0: sys.exit("inotify_init1 failed")
names = {}
for top, dirs, files in os.walk(sys.argv[1]):
    wd = libc.inotify_add_watch(fd, top.encode(), 0x20)
    if wd < 0: sys.exit("inotify_add_watch failed: " + top)
    names[wd] = top
print("ready", flush=True)
while True:
    select.select([fd], [], [])
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        continue
    i = 0
    while i < len(data):
        wd, mask, cookie, length = struct.unpack_from("iIII", data, i)
        name = data[i + 16:i + 16 + length].split(b"\\0")[0].decode(errors="replace")
        print(os.path.join(names.get(wd, "?"), name) if name else names.get(wd, "?"), flush=True)
        i += 16 + length
`;

/** Starts watching opens under `root`; resolves once the watches are in place. */
async function watchOpens(root) {
  const child = spawn("python3", ["-c", OPEN_MONITOR, root], { stdio: ["ignore", "pipe", "inherit"] });
  const monitor = { child, opens: [], lastAt: Date.now() };
  let buffered = "";
  await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the open monitor exited (${code})`)));
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop();
      for (const line of lines) {
        if (line === "ready") resolve();
        else {
          monitor.opens.push(relative(root, line));
          monitor.lastAt = Date.now();
        }
      }
    });
  });
  return monitor;
}

function makeSite() {
  const site = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "hostile-"));
  mkdirSync(join(site, "content", "posts"), { recursive: true });
  writeFileSync(join(site, "hugo.toml"), 'title = "Hostile"\n');
  for (const name of ["plain", "second", "third"]) {
    writeFileSync(join(site, "content", "posts", `${name}.md`), `---\ntitle: "Post ${name}"\n---\n\nText of ${name}.\n`);
  }
  return site;
}

test("an idle app with a linked site opens no file in it, even after a cat", { skip: cli && hasPython ? false : "GALLEY_CLI or python3 missing" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  const monitor = await watchOpens(site);
  const browser = await startApp(library);
  try {
    // The start-up comparison reads each post once; then the folder must go quiet.
    await browser.waitUntil(async () => Date.now() - monitor.lastAt > 1500, {
      timeout: 20000,
      interval: 100,
      timeoutMsg: `the app kept opening files: ${monitor.opens.slice(-10).join(", ")}`,
    });
    const before = monitor.opens.length;
    assert.ok(readFileSync(join(site, "content", "posts", "plain.md"), "utf8").includes("Text of plain"));
    // Nothing should happen, so there is no condition to await: watch for a few seconds (well
    // past the watcher's 250 ms debounce and a sync round trip).
    await sleep(4000);
    // Our own read is seen (the monitor works); the app added nothing.
    assert.deepEqual(monitor.opens.slice(before), ["content/posts/plain.md"]);
  } finally {
    monitor.child.kill("SIGTERM");
    await stopApp(browser);
  }
});

test("a site folder gone at start is shown to the writer", { skip: cli ? false : "GALLEY_CLI not set" }, async () => {
  const library = freshLibraryPath();
  const site = makeSite();
  execFileSync(cli, ["--library", library, "import", site], { stdio: "ignore" });
  rmSync(site, { recursive: true });
  const browser = await startApp(library);
  try {
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector(".toast")?.textContent ?? "")).includes("cannot be found"),
      { timeout: 10000, interval: 100, timeoutMsg: "no message about the missing site folder" },
    );
    const message = await browser.execute(() => document.querySelector(".toast").textContent);
    assert.ok(message.includes(site), message);
  } finally {
    await stopApp(browser);
  }
});
