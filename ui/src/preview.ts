// The live preview: a sandboxed iframe (no scripts) whose DOM the page patches block by block.
// Blocks are keyed by the hash of their HTML, so only changed blocks are touched.
import previewBaseCss from "./preview.css?raw";

export class Preview {
  private frame: HTMLIFrameElement;
  private article: HTMLElement | null = null;
  private themeStyle: HTMLStyleElement | null = null;
  /** HTML of every block currently shown, by key (what the backend believes we have). */
  private htmlByKey = new Map<string, string>();

  constructor(frame: HTMLIFrameElement) {
    this.frame = frame;
  }

  /** Prepares the frame's document: base styles, theme slot and the article element. */
  init(): void {
    const doc = this.frame.contentDocument;
    if (!doc) throw new Error("the preview frame is not available");
    doc.open();
    doc.write("<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
    doc.close();
    const base = doc.createElement("style");
    base.textContent = previewBaseCss;
    doc.head.appendChild(base);
    this.themeStyle = doc.createElement("style");
    doc.head.appendChild(this.themeStyle);
    this.article = doc.createElement("article");
    this.article.id = "galley-preview";
    doc.body.appendChild(this.article);
  }

  setTheme(css: string, dark: boolean): void {
    if (this.themeStyle) this.themeStyle.textContent = css;
    this.frame.contentDocument?.documentElement.classList.toggle("dark", dark);
  }

  /** Shows a new document's blocks in order, reusing the elements whose key is unchanged. */
  apply(blocks: { key: string; line: number }[], html: Record<string, string>, reset: boolean): void {
    const article = this.article;
    const doc = this.frame.contentDocument;
    if (!article || !doc) return;
    if (reset) {
      article.replaceChildren();
      this.htmlByKey.clear();
    }
    for (const [key, value] of Object.entries(html)) this.htmlByKey.set(key, value);
    // Elements on screen, grouped by key (identical blocks may appear more than once).
    const pool = new Map<string, HTMLElement[]>();
    for (const child of Array.from(article.children) as HTMLElement[]) {
      const key = child.dataset.key ?? "";
      const list = pool.get(key);
      if (list) list.push(child);
      else pool.set(key, [child]);
    }
    const template = doc.createElement("template");
    let cursor: Element | null = article.firstElementChild;
    for (const block of blocks) {
      let element = pool.get(block.key)?.shift();
      if (!element) {
        template.innerHTML = this.htmlByKey.get(block.key) ?? "";
        element = (template.content.firstElementChild as HTMLElement | null) ?? doc.createElement("div");
        if (template.content.childElementCount > 1) {
          const wrapper = doc.createElement("div");
          wrapper.append(...Array.from(template.content.childNodes));
          element = wrapper;
        }
        element.dataset.key = block.key;
      }
      element.dataset.line = String(block.line);
      if (element !== cursor) article.insertBefore(element, cursor);
      else cursor = cursor.nextElementSibling;
    }
    // Whatever is left after the cursor is no longer in the document.
    while (cursor) {
      const next: Element | null = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
    const keep = new Set(blocks.map((block) => block.key));
    for (const key of Array.from(this.htmlByKey.keys())) if (!keep.has(key)) this.htmlByKey.delete(key);
  }

  /** Scrolls the preview to the element with this id (an in-page anchor). */
  scrollToAnchor(id: string): boolean {
    const target = this.frame.contentDocument?.getElementById(id);
    target?.scrollIntoView({ block: "start" });
    return Boolean(target);
  }

  text(): string {
    return this.article?.innerText ?? "";
  }
}
