// The live preview: a sandboxed iframe (no scripts) whose DOM the page patches. Each render
// replaces only the blocks between the unchanged head and tail; highlighted code arrives later
// and replaces its block in place. Scroll position is exposed by source line for scroll sync.
import type { RenderOutput, HighlightedBlock } from "./ipc";

const CHUNK_CLASS = "galley-chunk";
const CHUNK_SIZE = 64;
/** Where scroll sync puts a block: this many pixels below the preview's top edge. An element
 *  counts as "at the top" up to two pixels further down (so the two directions agree). */
const TOP_MARGIN = 8;
const AT_TOP = TOP_MARGIN + 2;

/** The block itself and every element inside it that carries a source line, in document order. */
function lineElements(block: HTMLElement): HTMLElement[] {
  const inner = Array.from(block.querySelectorAll<HTMLElement>("[data-line]"));
  return block.dataset.line ? [block, ...inner] : inner;
}

/** An element's source line: its `data-line` plus the shift its chunk has not yet written back. */
function lineOf(element: HTMLElement): number {
  const chunk = element.closest<HTMLElement>(`.${CHUNK_CLASS}`);
  return Number(element.dataset.line) + Number(chunk?.dataset.shift ?? 0);
}

/** The first source line of a top-level block (a group of several elements has none itself). */
function blockLine(block: HTMLElement): number {
  const element = block.dataset.line ? block : block.querySelector<HTMLElement>("[data-line]");
  return element ? lineOf(element) : Number.NaN;
}

/** Writes a chunk's pending line shift into its elements (before blocks are added to it). */
function normalizeChunk(chunk: HTMLElement): void {
  const shift = Number(chunk.dataset.shift ?? 0);
  if (shift === 0) return;
  for (const block of Array.from(chunk.children) as HTMLElement[]) {
    for (const element of lineElements(block)) element.dataset.line = String(Number(element.dataset.line) + shift);
  }
  delete chunk.dataset.shift;
}

/** Splits an overfull chunk into chunks of CHUNK_SIZE blocks. */
function splitChunk(chunk: HTMLElement): void {
  const doc = chunk.ownerDocument;
  const blocks = Array.from(chunk.children);
  const fragment = doc.createDocumentFragment();
  for (let i = CHUNK_SIZE; i < blocks.length; i += CHUNK_SIZE) {
    const next = doc.createElement("div");
    next.className = CHUNK_CLASS;
    if (chunk.dataset.shift) next.dataset.shift = chunk.dataset.shift;
    next.append(...blocks.slice(i, i + CHUNK_SIZE));
    fragment.append(next);
  }
  chunk.after(fragment);
}

export class Preview {
  private frame: HTMLIFrameElement;
  private imageGeneration = 0;
  private article: HTMLElement | null = null;
  private themeStyle: HTMLStyleElement | null = null;
  private siteStyle: HTMLStyleElement | null = null;
  /** Highlighted HTML that arrived before its block did (events and replies may cross). */
  private early = new Map<string, string>();
  /** The top-level blocks in order. They live in chunks of about CHUNK_SIZE (plain divs), so a
   *  patch in a 300k-word post relays out one chunk and the list of chunks, not every block. */
  private blocks: HTMLElement[] = [];
  private byKey = new Map<string, HTMLElement>();

  constructor(frame: HTMLIFrameElement) {
    this.frame = frame;
  }

  /** Loads the post's images again: their bytes changed (a `git pull`), their URLs did not. */
  reloadImages(): void {
    const doc = this.frame.contentDocument;
    if (!doc) return;
    this.imageGeneration++;
    for (const img of Array.from(doc.querySelectorAll<HTMLImageElement>('img[src^="galley-asset:"]'))) {
      const url = (img.getAttribute("src") ?? "").replace(/\?.*$/, "");
      img.setAttribute("src", `${url}?v=${this.imageGeneration}`);
    }
  }

  /** Prepares the frame's document: the theme stylesheet and the article element. */
  init(): void {
    const doc = this.frame.contentDocument;
    if (!doc) throw new Error("the preview frame is not available");
    doc.open();
    doc.write('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    doc.close();
    this.themeStyle = doc.createElement("style");
    doc.head.appendChild(this.themeStyle);
    // The site's own stylesheet (when chosen) comes after Galley's, so it wins.
    this.siteStyle = doc.createElement("style");
    doc.head.appendChild(this.siteStyle);
    this.article = doc.createElement("article");
    this.article.id = "galley-preview";
    doc.body.appendChild(this.article);
  }

  setTheme(css: string, dark: boolean): void {
    if (this.themeStyle) this.themeStyle.textContent = css;
    this.frame.contentDocument?.documentElement.classList.toggle("dark", dark);
  }

  setSiteCss(css: string): void {
    if (this.siteStyle) this.siteStyle.textContent = css;
  }

  private element(key: string, html: string): HTMLElement {
    const doc = this.frame.contentDocument as Document;
    const template = doc.createElement("template");
    template.innerHTML = this.early.get(key) ?? html;
    this.early.delete(key);
    const nodes = Array.from(template.content.children);
    let element: HTMLElement;
    if (nodes.length === 1) element = nodes[0] as HTMLElement;
    else {
      element = doc.createElement("div");
      element.className = "galley-group";
      element.append(...nodes);
    }
    element.dataset.key = key;
    return element;
  }

  /** Applies one render: keep `keep_head` blocks, shift the lines of the last `keep_tail`, and
   *  put the new blocks in between. */
  apply(output: RenderOutput, reset: boolean): void {
    const article = this.article;
    if (!article) return;
    // (The early highlights stay: for a fresh render they may well have arrived first.)
    if (reset) {
      article.replaceChildren();
      this.blocks = [];
      this.byKey.clear();
    }
    const oldCount = this.blocks.length;
    const head = Math.min(output.keep_head, oldCount);
    const tail = Math.min(output.keep_tail, oldCount - head);
    // Remove the old middle.
    for (const block of this.blocks.splice(head, oldCount - tail - head)) {
      const chunk = block.parentElement;
      block.remove();
      if (this.byKey.get(block.dataset.key ?? "") === block) this.byKey.delete(block.dataset.key ?? "");
      if (chunk && chunk.childElementCount === 0) chunk.remove();
    }
    if (output.line_shift !== 0 && tail > 0) this.shiftLines(head, output.line_shift);
    if (output.blocks.length === 0) return;
    const created = output.blocks.map((block) => this.element(block.key, block.html));
    for (const element of created) this.byKey.set(element.dataset.key ?? "", element);
    this.blocks = this.blocks.slice(0, head).concat(created, this.blocks.slice(head));
    const next = this.blocks[head + created.length];
    const previous = this.blocks[head - 1];
    const doc = this.frame.contentDocument as Document;
    const fragment = doc.createDocumentFragment();
    for (const element of created) fragment.appendChild(element);
    let chunk: HTMLElement;
    if (next?.parentElement) {
      chunk = next.parentElement;
      normalizeChunk(chunk);
      chunk.insertBefore(fragment, next);
    } else if (previous?.parentElement) {
      chunk = previous.parentElement;
      normalizeChunk(chunk);
      chunk.insertBefore(fragment, previous.nextSibling);
    } else {
      chunk = doc.createElement("div");
      chunk.className = CHUNK_CLASS;
      chunk.append(fragment);
      article.append(chunk);
    }
    if (chunk.childElementCount > 2 * CHUNK_SIZE) splitChunk(chunk);
  }

  /** Moves the source lines of the blocks from `from` to the end by `shift`: the blocks sharing a
   *  chunk with `from` one by one, every later chunk through its shift (O(chunks), not O(blocks)). */
  private shiftLines(from: number, shift: number): void {
    const first = this.blocks[from];
    const firstChunk = first?.parentElement;
    if (!firstChunk) return;
    normalizeChunk(firstChunk);
    for (let i = from; i < this.blocks.length && this.blocks[i].parentElement === firstChunk; i++) {
      for (const element of lineElements(this.blocks[i])) element.dataset.line = String(Number(element.dataset.line) + shift);
    }
    for (let chunk = firstChunk.nextElementSibling as HTMLElement | null; chunk; chunk = chunk.nextElementSibling as HTMLElement | null) {
      chunk.dataset.shift = String(Number(chunk.dataset.shift ?? 0) + shift);
    }
  }

  /** Swaps in highlighted code for blocks on screen, keeping the lines the page has for them. */
  applyHighlights(updates: HighlightedBlock[]): void {
    for (const update of updates) {
      const old = this.byKey.get(update.key);
      if (!old?.isConnected) {
        this.early.set(update.key, update.html);
        continue;
      }
      const replacement = this.element(update.key, update.html);
      // Same key means the same source, so the same elements carry data-line in the same order
      // (raw values: the chunk's shift applies to both alike).
      const oldLines = lineElements(old);
      const newLines = lineElements(replacement);
      if (oldLines.length === newLines.length) newLines.forEach((el, i) => (el.dataset.line = oldLines[i].dataset.line));
      old.replaceWith(replacement);
      this.byKey.set(update.key, replacement);
      const index = this.blocks.indexOf(old);
      if (index >= 0) this.blocks[index] = replacement;
    }
    if (this.early.size > 256) this.early.clear();
  }

  /** Every element with a source line, in document order, with its current line number. */
  lines(): { line: number; text: string }[] {
    const result: { line: number; text: string }[] = [];
    for (const block of this.blocks) {
      for (const element of lineElements(block)) result.push({ line: lineOf(element), text: element.textContent ?? "" });
    }
    return result;
  }

  /** True when some code block still shows plain text (not highlighted yet, or a language the
   *  highlighter does not know). */
  hasPlainCode(): boolean {
    return this.article?.querySelector("code.plain") != null;
  }

  /** Scrolls the preview to the element with this id (an in-page anchor). */
  scrollToAnchor(id: string): boolean {
    const target = this.frame.contentDocument?.getElementById(id);
    target?.scrollIntoView({ block: "start" });
    return Boolean(target);
  }

  /** The index of the last top-level block whose top is at or above `y` (viewport pixels), or -1. */
  private lastBlockAbove(y: number): number {
    let low = 0;
    let high = this.blocks.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.blocks[middle].getBoundingClientRect().top <= y) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }

  /** The source line at the top of the preview's viewport. */
  topLine(): number | null {
    if (this.blocks.length === 0) return null;
    const index = this.lastBlockAbove(AT_TOP);
    if (index < 0) return 1;
    let best: HTMLElement | null = null;
    const elements = lineElements(this.blocks[index]);
    for (const element of elements) {
      if (element.getBoundingClientRect().top <= AT_TOP) best = element;
      else break;
    }
    if (!best) best = elements[0] ?? null;
    return best ? lineOf(best) : null;
  }

  /** Scrolls so the block at (or just before) this source line is at the top. */
  scrollToLine(line: number): void {
    const win = this.frame.contentWindow;
    if (!win) return;
    // The last top-level block starting at or before the line (lines grow along the blocks).
    let low = 0;
    let high = this.blocks.length - 1;
    let index = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (blockLine(this.blocks[middle]) <= line) {
        index = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    let target: HTMLElement | null = null;
    if (index >= 0) {
      for (const element of lineElements(this.blocks[index])) {
        if (lineOf(element) <= line) target = element;
        else break;
      }
    }
    const top = target ? target.getBoundingClientRect().top + win.scrollY - TOP_MARGIN : 0;
    win.scrollTo({ top: Math.max(0, top) });
  }

  scrollY(): number {
    return this.frame.contentWindow?.scrollY ?? 0;
  }
}
