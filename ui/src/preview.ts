// The live preview: a sandboxed iframe (no scripts) whose DOM the page patches. Each render
// replaces only the blocks between the unchanged head and tail; highlighted code arrives later
// and replaces its block in place. Scroll position is exposed by source line for scroll sync.
import type { RenderOutput, HighlightedBlock } from "./ipc";

export class Preview {
  private frame: HTMLIFrameElement;
  private article: HTMLElement | null = null;
  private themeStyle: HTMLStyleElement | null = null;
  private siteStyle: HTMLStyleElement | null = null;
  /** Highlighted HTML that arrived before its block did (events and replies may cross). */
  private early = new Map<string, string>();

  constructor(frame: HTMLIFrameElement) {
    this.frame = frame;
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
    if (reset) article.replaceChildren();
    const children = article.children;
    const oldCount = children.length;
    const head = Math.min(output.keep_head, oldCount);
    const tail = Math.min(output.keep_tail, oldCount - head);
    // Remove the old middle.
    for (let i = oldCount - tail - 1; i >= head; i--) children[i].remove();
    // Shift the tail's source lines.
    if (output.line_shift !== 0) {
      for (let i = head; i < head + tail; i++) {
        const block = children[i] as HTMLElement;
        for (const el of [block, ...Array.from(block.querySelectorAll<HTMLElement>("[data-line]"))]) {
          if (el.dataset.line) el.dataset.line = String(Number(el.dataset.line) + output.line_shift);
        }
      }
    }
    const before = children[head] ?? null;
    const fragment = (this.frame.contentDocument as Document).createDocumentFragment();
    for (const block of output.blocks) fragment.appendChild(this.element(block.key, block.html));
    article.insertBefore(fragment, before);
  }

  /** Swaps in highlighted code for blocks on screen, keeping the lines the page has for them. */
  applyHighlights(updates: HighlightedBlock[]): void {
    const article = this.article;
    if (!article) return;
    for (const update of updates) {
      const old = article.querySelector<HTMLElement>(`:scope > [data-key="${CSS.escape(update.key)}"]`);
      if (!old) {
        this.early.set(update.key, update.html);
        continue;
      }
      const replacement = this.element(update.key, update.html);
      // Same key means the same source, so the same elements carry data-line in the same order.
      const oldLines = [old, ...Array.from(old.querySelectorAll<HTMLElement>("[data-line]"))].filter((e) => e.dataset.line);
      const newLines = [replacement, ...Array.from(replacement.querySelectorAll<HTMLElement>("[data-line]"))].filter((e) => e.dataset.line);
      if (oldLines.length === newLines.length) newLines.forEach((el, i) => (el.dataset.line = oldLines[i].dataset.line));
      old.replaceWith(replacement);
    }
    if (this.early.size > 256) this.early.clear();
  }

  /** Scrolls the preview to the element with this id (an in-page anchor). */
  scrollToAnchor(id: string): boolean {
    const target = this.frame.contentDocument?.getElementById(id);
    target?.scrollIntoView({ block: "start" });
    return Boolean(target);
  }

  /** The source line at the top of the preview's viewport. */
  topLine(): number | null {
    const doc = this.frame.contentDocument;
    const win = this.frame.contentWindow;
    if (!doc || !win) return null;
    const elements = doc.querySelectorAll<HTMLElement>("[data-line]");
    let best: HTMLElement | null = null;
    for (const el of Array.from(elements)) {
      if (el.getBoundingClientRect().top <= 4) best = el;
      else break;
    }
    if (!best) return elements.length > 0 ? 1 : null;
    return Number(best.dataset.line);
  }

  /** Scrolls so the block at (or just before) this source line is at the top. */
  scrollToLine(line: number): void {
    const doc = this.frame.contentDocument;
    const win = this.frame.contentWindow;
    if (!doc || !win) return;
    let target: HTMLElement | null = null;
    for (const el of Array.from(doc.querySelectorAll<HTMLElement>("[data-line]"))) {
      if (Number(el.dataset.line) <= line) target = el;
      else break;
    }
    const top = target ? target.getBoundingClientRect().top + win.scrollY - 8 : 0;
    win.scrollTo({ top: Math.max(0, top) });
  }

  scrollY(): number {
    return this.frame.contentWindow?.scrollY ?? 0;
  }
}
