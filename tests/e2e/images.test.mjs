// End-to-end: figures in the window. A PNG pasted into the editor lands with the post
// and paints in the preview; undo removes the link; "Load remote images" off sends nothing; a
// missing image paints a placeholder; an SVG with a script is only an <img> and never runs; a
// hugo export through the dialog writes the post as a leaf bundle with its images on disk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { createServer } from "node:http";
import { networkInterfaces } from "node:os";
import { startApp, stopApp, freshLibraryPath, whenIdle, editorText, textOf } from "./galley.mjs";

/** A solid-colour RGB PNG of `width` x `height`. */
function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

/** Every image of the preview: its src, whether it finished loading, its natural size. */
async function previewImages(browser) {
  return browser.execute(() =>
    Array.from(document.getElementById("preview").contentDocument.querySelectorAll("img")).map((img) => ({
      src: img.getAttribute("src") ?? "",
      complete: img.complete,
      width: img.naturalWidth,
      height: img.naturalHeight,
    })),
  );
}

/** Waits until the preview's images all finished loading and returns them. */
async function loadedImages(browser, count) {
  await whenIdle(browser);
  let images = [];
  await browser.waitUntil(
    async () => {
      images = await previewImages(browser);
      return images.length === count && images.every((image) => image.complete);
    },
    { timeout: 10000, timeoutMsg: `the preview's ${count} image(s) did not load: ${JSON.stringify(images)}` },
  );
  return images;
}

/** Replaces the open post's text (one edit) and waits for the preview. */
async function setText(browser, text) {
  // The first post opens after the list appears: wait for it, or its text would replace ours.
  await browser.waitUntil(() => browser.execute(() => window.galley.currentPostId() !== null), { timeout: 10000, timeoutMsg: "no post opened" });
  await whenIdle(browser);
  await browser.execute((value) => window.galley.replaceText(value), text);
  await whenIdle(browser);
}

/** Pastes files into the editor as the clipboard would: a ClipboardEvent carrying a DataTransfer
 *  (WebKitGTK under Xvfb did not hand an image put on the X clipboard by xclip to the page's paste
 *  event, so the event is built in the page; everything after it is the app's real path). */
async function pasteFile(browser, name, type, bytes) {
  await browser.execute(
    (fileName, fileType, data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], fileName, { type: fileType }));
      const event = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
      document.querySelector(".cm-content").dispatchEvent(event);
    },
    name,
    type,
    Array.from(bytes),
  );
}

test("an image pasted from the clipboard is stored with the post and painted in the preview", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await setText(browser, "Before.\n\n");
    await browser.execute(() => window.galley.placeCursor(window.galley.editorText().length));
    await pasteFile(browser, "image.png", "image/png", png(40, 30, [200, 40, 40]));
    await browser.waitUntil(async () => /!\[\]\([a-z0-9-]+-1\.png\)/.test(await editorText(browser)), {
      timeout: 10000,
      timeoutMsg: "the pasted image's link never appeared",
    });
    const text = await editorText(browser);
    const name = /!\[\]\(([a-z0-9-]+-1\.png)\)/.exec(text)[1];
    const title = await browser.$("#fm-title").getValue();
    assert.ok(name.startsWith(`${title.toLowerCase().split(/[^a-z0-9]+/).slice(0, 2).join("-")}-`), `named after "${title}": ${name}`);
    // The alt text (empty) is where the cursor is: typing fills it.
    assert.equal(await browser.execute(() => window.galley.cursor()), text.indexOf("![](") + 2);
    const [image] = await loadedImages(browser, 1);
    assert.match(image.src, /^galley-asset:\/\/localhost\/post\/\d+\//);
    assert.deepEqual([image.width, image.height], [40, 30], "the stored PNG itself paints");
    // One undo removes the link (the image stays with the post).
    await browser.keys(["Control", "z"]);
    await browser.waitUntil(async () => (await editorText(browser)) === "Before.\n\n", {
      timeout: 5000,
      timeoutMsg: "one undo did not remove the link",
    });
    await setText(browser, `Again: ![again](${name})\n`);
    const [again] = await loadedImages(browser, 1);
    assert.equal(again.width, 40, "the image is still stored after the undo");
  } finally {
    await stopApp(browser);
  }
});

test("missing images show a placeholder; an SVG with a script is only an image and never runs", async () => {
  const browser = await startApp(freshLibraryPath());
  try {
    await setText(browser, "![](nowhere/missing.png)\n\n![](/images/absent.png)\n");
    const missing = await loadedImages(browser, 2);
    for (const image of missing) assert.ok(image.width > 100 && image.height > 20, `a visible placeholder: ${JSON.stringify(image)}`);

    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20"><script>parent.parent.document.title="ran"; top.document.body.dataset.svgRan="yes"</script><rect width="50" height="20" fill="blue"/></svg>`;
    await setText(browser, "");
    await pasteFile(browser, "evil.svg", "image/svg+xml", Buffer.from(svg));
    await browser.waitUntil(async () => (await editorText(browser)).includes("![](evil.svg)"), { timeout: 10000, timeoutMsg: "the SVG was not attached" });
    const [image] = await loadedImages(browser, 1);
    assert.deepEqual([image.width, image.height], [50, 20], "the SVG paints as an image");
    const ran = await browser.execute(() => ({
      title: document.title,
      flag: document.body.dataset.svgRan ?? null,
      inline: document.getElementById("preview").contentDocument.querySelectorAll("svg, script").length,
    }));
    assert.deepEqual(ran, { title: "Galley", flag: null, inline: 0 });
  } finally {
    await stopApp(browser);
  }
});

/** A tiny HTTP server counting requests, on this machine's first non-loopback IPv4 address (the
 *  sanitizer drops loopback URLs before the setting is even asked). */
async function startRemoteServer() {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
  if (!address) return null;
  const hits = [];
  const server = createServer((request, response) => {
    hits.push(request.url);
    response.writeHead(200, { "content-type": "image/png" });
    response.end(png(8, 8, [0, 120, 0]));
  });
  await new Promise((resolve) => server.listen(0, address, resolve));
  return { hits, origin: `http://${address}:${server.address().port}`, close: () => server.close() };
}

test("with Load remote images off the preview sends no request at all", async (t) => {
  const beacon = await startRemoteServer();
  if (!beacon) {
    assert.ok(process.env.CI !== "true", "no non-loopback IPv4 address for the remote image server");
    t.skip("no non-loopback IPv4 address on this machine");
    return;
  }
  const browser = await startApp(freshLibraryPath());
  try {
    await browser.$("#load-remote-images").click();
    await browser.waitUntil(() => browser.execute(() => !document.getElementById("load-remote-images").checked && window.galley.idle()), {
      timeout: 5000,
    });
    await setText(browser, `![remote](${beacon.origin}/off.png)\n\n<img src="${beacon.origin}/raw.png">\n`);
    const off = await loadedImages(browser, 2);
    for (const image of off) assert.match(image.src, /^galley-asset:\/\/localhost\/remote\//);
    assert.deepEqual(beacon.hits, [], "nothing reached the server");

    // The same text with the setting on does reach it (so the check above can fail).
    await browser.$("#load-remote-images").click();
    await whenIdle(browser);
    await browser.waitUntil(async () => beacon.hits.length >= 1, { timeout: 10000, timeoutMsg: "the remote image was never requested" });
  } finally {
    await stopApp(browser);
    beacon.close();
  }
});


test("an imported bundle post shows its images, and an image changed on disk refreshes the preview", { skip: process.env.GALLEY_CLI ? false : "GALLEY_CLI not set" }, async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { execFileSync } = await import("node:child_process");
  const site = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "bundle-site-"));
  const bundle = join(site, "content", "posts", "bundle");
  mkdirSync(join(bundle, "img"), { recursive: true });
  mkdirSync(join(site, "static", "images"), { recursive: true });
  writeFileSync(join(site, "hugo.toml"), 'title = "Bundles"\n');
  writeFileSync(join(bundle, "index.md"), '---\ntitle: "Bundle post"\n---\n\n![diagram](diagram.png)\n\n![nested](img/nested.png)\n\n![abs](/images/abs.png)\n');
  writeFileSync(join(bundle, "diagram.png"), png(40, 30, [0, 0, 200]));
  writeFileSync(join(bundle, "img", "nested.png"), png(20, 10, [0, 200, 0]));
  writeFileSync(join(site, "static", "images", "abs.png"), png(12, 12, [200, 200, 0]));
  const library = freshLibraryPath();
  execFileSync(process.env.GALLEY_CLI, ["--library", library, "import", site], { stdio: "ignore" });
  const browser = await startApp(library);
  try {
    const titles = await browser.execute(() => Array.from(document.querySelectorAll("#post-list .post-title")).map((e) => e.textContent));
    const index = titles.findIndex((title) => title.includes("Bundle post"));
    assert.ok(index >= 0, JSON.stringify(titles));
    await (await browser.$$("#post-list .post-item"))[index].click();
    await browser.waitUntil(async () => (await browser.$("#fm-title").getValue()) === "Bundle post", { timeout: 10000 });
    const images = await loadedImages(browser, 3);
    assert.deepEqual(images.map((image) => [image.width, image.height]), [[40, 30], [20, 10], [12, 12]], JSON.stringify(images));

    // `git pull` changes the diagram: the watcher takes it into the library and the open preview
    // loads it again.
    writeFileSync(join(bundle, "diagram.png"), png(64, 16, [200, 0, 0]));
    await browser.waitUntil(async () => (await previewImages(browser))[0]?.width === 64, {
      timeout: 15000,
      timeoutMsg: "the changed image never reached the open preview",
    });
  } finally {
    await stopApp(browser);
  }
});

test("export with the hugo preset writes a post with images as a bundle on disk", { skip: process.env.GALLEY_CLI ? false : "GALLEY_CLI not set" }, async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, existsSync } = await import("node:fs");
  const { join, dirname } = await import("node:path");
  const { execFileSync } = await import("node:child_process");
  const root = mkdtempSync(join(process.env.GALLEY_E2E_WORK ?? "/tmp", "hugo-export-"));
  // The empty site folder, imported first so the library is linked to it (the app's export target).
  const site = join(root, "site");
  mkdirSync(site);
  // A bundle post imported from elsewhere: the post the export must turn back into a bundle.
  const bundle = join(root, "source", "content", "posts", "figures");
  mkdirSync(join(bundle, "img"), { recursive: true });
  writeFileSync(join(bundle, "index.md"), '---\ntitle: "Figures travel"\ndate: 2026-11-30\n---\n\nThe diagram: ![diagram](diagram.png)\n\nNested: ![nested](img/nested.png)\n');
  const images = { "diagram.png": png(48, 24, [10, 20, 200]), "img/nested.png": png(16, 8, [200, 90, 0]) };
  for (const [name, bytes] of Object.entries(images)) writeFileSync(join(bundle, name), bytes);
  const library = freshLibraryPath();
  execFileSync(process.env.GALLEY_CLI, ["--library", library, "import", site], { stdio: "ignore" });
  execFileSync(process.env.GALLEY_CLI, ["--library", library, "import", join(root, "source")], { stdio: "ignore" });
  const browser = await startApp(library);
  const planRows = () =>
    browser.execute(() => Array.from(document.querySelectorAll("#site-plan tr")).map((tr) => Array.from(tr.children).map((td) => td.textContent)));
  try {
    await browser.waitUntil(async () => (await textOf(browser, "#site-folder")).includes(site), {
      timeout: 5000,
      timeoutMsg: "the empty site folder is not the linked one",
    });
    await browser.$("#site-export").click();
    await browser.$("#export-preset").selectByAttribute("value", "hugo");
    let rows = [];
    await browser.waitUntil(async () => (rows = await planRows()).some((row) => /^content\/posts\/[^/]+\/index\.md$/.test(row[1])), {
      timeout: 10000,
      timeoutMsg: `the hugo dry run shows no bundle: ${JSON.stringify(rows)}`,
    });
    const slug = /^content\/posts\/([^/]+)\/index\.md$/.exec(rows.find((row) => /^content\/posts\/[^/]+\/index\.md$/.test(row[1]))[1])[1];
    await browser.$("#site-confirm").click();
    await browser.waitUntil(async () => (await textOf(browser, "#site-summary")).startsWith("Wrote"), {
      timeout: 10000,
      timeoutMsg: "the export did not finish",
    });

    // On disk: the leaf bundle, its images beside index.md byte for byte, every link resolving.
    const dir = join(site, "content", "posts", slug);
    const index = join(dir, "index.md");
    assert.ok(existsSync(index), `${index} was not written: ${JSON.stringify(rows)}`);
    assert.deepEqual(readdirSync(dir, { recursive: true }).sort(), ["diagram.png", "img", "img/nested.png", "index.md"]);
    const text = readFileSync(index, "utf8");
    assert.ok(text.includes("title: "), text);
    const links = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
    assert.equal(links.length, 2, text);
    for (const link of links) {
      const target = join(dirname(index), link);
      assert.ok(existsSync(target), `the link ${link} in index.md does not resolve: ${text}`);
      const original = Object.entries(images).find(([name]) => target.endsWith(name));
      assert.ok(original, `the link ${link} points at an unexpected file`);
      assert.ok(readFileSync(target).equals(original[1]), `${link} is not byte for byte the imported image`);
    }
    assert.deepEqual(links.map((link) => link.replace(/^\.\//, "")).sort(), Object.keys(images).sort(), "each image is linked once");
  } finally {
    await stopApp(browser);
  }
});
