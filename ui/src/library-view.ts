// The library sidebar: search box, filters (status, tag, trash), sort, and a virtualized list of
// posts that fetches pages on demand, so 10,000 drafts scroll as smoothly as ten. Titles are text.
import * as ipc from "./ipc";
import type { PostSummary, Sort, Status } from "./ipc";

const ROW_HEIGHT = 54;
const PAGE = 100;
const OVERSCAN = 8;

export function formatDate(summary: { day?: string; date: string }): string {
  return summary.day || summary.date.slice(0, 10);
}

/**
 * Fills `element` with a post's title, or, for a post without one, its file name (else
 * "Untitled") followed by a "no title" hint, so no row is ever blank.
 */
export function showTitle(element: HTMLElement, entry: Pick<PostSummary, "title" | "file_name">): void {
  const title = entry.title.trim();
  if (title) {
    element.textContent = title;
    return;
  }
  const name = document.createElement("span");
  name.className = "file-name";
  name.textContent = entry.file_name || "Untitled";
  const hint = document.createElement("span");
  hint.className = "no-title";
  hint.textContent = " (no title)";
  hint.title = "This post has no title in its front matter; add one above the editor.";
  element.replaceChildren(name, hint);
}

/** The status badge: the status, or "unknown status" with the stored value in its tooltip. */
export function statusBadge(entry: Pick<PostSummary, "status" | "unknown_status">): HTMLElement {
  const badge = document.createElement("span");
  if (entry.unknown_status != null) {
    badge.className = "badge unknown-status";
    badge.textContent = "unknown status";
    badge.title = `The library holds the status "${entry.unknown_status}", which Galley does not know. Export reports this post instead of writing it; choose draft, ready or published for it to fix it.`;
  } else {
    badge.className = `badge ${entry.status}`;
    badge.textContent = entry.status;
  }
  return badge;
}

/** What the library sidebar needs from the window. */
export interface LibraryHost {
  /** The writer picked a post. */
  open(id: number): void;
  showError(message: string): void;
  confirm(question: string, action: string): Promise<boolean>;
}

export class LibraryView {
  private list: HTMLElement;
  private spacer: HTMLElement;
  private search: HTMLInputElement;
  private filter: HTMLSelectElement;
  private tagFilter: HTMLSelectElement;
  private sort: HTMLSelectElement;
  private count: HTMLElement;
  private emptyTrashButton: HTMLButtonElement;
  private total = 0;
  private pages = new Map<number, PostSummary[]>();
  private loading = new Set<number>();
  private trash: PostSummary[] | null = null;
  private selectedId: number | null = null;
  private searchTimer = 0;
  private generation = 0;
  /** List loads running now (for `idle`). */
  private reloads = 0;

  constructor(private host: LibraryHost) {
    this.list = document.getElementById("post-list") as HTMLElement;
    this.spacer = document.createElement("div");
    this.spacer.className = "post-spacer";
    this.list.appendChild(this.spacer);
    this.search = document.getElementById("search") as HTMLInputElement;
    this.filter = document.getElementById("status-filter") as HTMLSelectElement;
    this.tagFilter = document.getElementById("tag-filter") as HTMLSelectElement;
    this.sort = document.getElementById("sort-order") as HTMLSelectElement;
    this.count = document.getElementById("post-count") as HTMLElement;
    this.emptyTrashButton = document.getElementById("empty-trash") as HTMLButtonElement;
    this.search.addEventListener("input", () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => {
        this.searchTimer = 0;
        void this.reload();
      }, 120);
    });
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = this.at(0);
        if (first) this.host.open(first.id);
      }
      if (event.key === "ArrowDown") this.focusRow(0);
      if (event.key === "Escape") {
        this.search.value = "";
        void this.reload();
      }
    });
    for (const select of [this.filter, this.tagFilter, this.sort]) select.addEventListener("change", () => void this.reload());
    this.list.addEventListener("scroll", () => this.paint());
    new ResizeObserver(() => this.paint()).observe(this.list);
    this.emptyTrashButton.addEventListener("click", () => void this.emptyTrash());
  }

  private query(): Partial<ipc.ListQuery> {
    const text = this.search.value.trim();
    const sort = (this.sort.value || "modified_desc") as Sort;
    return {
      status: (this.filter.value || null) as Status | null,
      tag: this.tagFilter.value || null,
      text: text || null,
      // A text search is best ordered by relevance unless the writer chose otherwise.
      sort: text && sort === "modified_desc" ? "relevance" : sort,
    };
  }

  private inTrash(): boolean {
    return this.filter.value === "trash";
  }

  /** Loads the list again from the library (filters and search applied). */
  async reload(): Promise<void> {
    this.reloads++;
    try {
      await this.load();
    } finally {
      this.reloads--;
    }
  }

  /** True when no search is waiting to run and no list or page is loading. */
  idle(): boolean {
    return this.searchTimer === 0 && this.reloads === 0 && this.loading.size === 0;
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.pages.clear();
    this.loading.clear();
    this.emptyTrashButton.hidden = !this.inTrash();
    try {
      if (this.inTrash()) {
        this.trash = await ipc.listTrash();
        if (generation !== this.generation) return;
        this.total = this.trash.length;
      } else {
        this.trash = null;
        const page = await ipc.listPage({ ...this.query(), offset: 0, limit: PAGE });
        if (generation !== this.generation) return;
        this.total = page.total;
        this.pages.set(0, page.posts);
      }
    } catch (error) {
      this.host.showError(`Could not read the library: ${ipc.errorMessage(error)}`);
      return;
    }
    const n = this.total;
    this.count.textContent = `${n.toLocaleString("en-US")} ${this.inTrash() ? "in the trash" : n === 1 ? "post" : "posts"}`;
    this.paint();
  }

  /** Refreshes the tag filter's choices (keeping the current one). */
  async reloadTags(): Promise<void> {
    try {
      const tags = await ipc.listTags();
      const current = this.tagFilter.value;
      const options = [new Option("All tags", ""), ...tags.map((t) => new Option(`${t.tag} (${t.posts})`, t.tag))];
      this.tagFilter.replaceChildren(...options);
      this.tagFilter.value = tags.some((t) => t.tag === current) ? current : "";
    } catch (error) {
      this.host.showError(ipc.errorMessage(error));
    }
  }

  /** The post at a list position, if loaded. */
  private at(index: number): PostSummary | undefined {
    if (this.trash) return this.trash[index];
    return this.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  private indexOf(id: number): number {
    if (this.trash) return this.trash.findIndex((p) => p.id === id);
    for (const [page, posts] of this.pages) {
      const i = posts.findIndex((p) => p.id === id);
      if (i >= 0) return page * PAGE + i;
    }
    return -1;
  }

  /** The id next to `id` in the list (for next / previous post), if it is loaded. */
  neighbour(id: number | null, delta: number): number | null {
    if (this.total === 0) return null;
    const index = id === null ? -1 : this.indexOf(id);
    const next = (index + delta + this.total) % this.total;
    return this.at(next)?.id ?? null;
  }

  first(): PostSummary | undefined {
    return this.at(0);
  }

  private async fetchPage(page: number): Promise<void> {
    if (this.pages.has(page) || this.loading.has(page) || this.trash) return;
    this.loading.add(page);
    const generation = this.generation;
    try {
      const result = await ipc.listPage({ ...this.query(), offset: page * PAGE, limit: PAGE });
      if (generation !== this.generation) return;
      this.pages.set(page, result.posts);
      this.paint();
    } catch (error) {
      this.host.showError(ipc.errorMessage(error));
    } finally {
      this.loading.delete(page);
    }
  }

  /** Draws only the rows in view (plus a few), fetching pages that are missing. */
  private paint(): void {
    this.spacer.style.height = `${this.total * ROW_HEIGHT}px`;
    const top = this.list.scrollTop;
    const height = this.list.clientHeight || 600;
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(this.total, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let index = from; index < to; index++) {
      const post = this.at(index);
      if (!post) {
        void this.fetchPage(Math.floor(index / PAGE));
        continue;
      }
      rows.push(this.row(post, index));
    }
    this.spacer.replaceChildren(...rows);
  }

  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  select(id: number | null): void {
    this.selectedId = id;
    for (const row of Array.from(this.spacer.children) as HTMLElement[]) {
      const selected = Number(row.dataset.id) === id;
      row.classList.toggle("selected", selected);
      row.setAttribute("aria-selected", String(selected));
    }
    const index = id === null ? -1 : this.indexOf(id);
    if (index >= 0) {
      const top = index * ROW_HEIGHT;
      if (top < this.list.scrollTop) this.list.scrollTop = top;
      else if (top + ROW_HEIGHT > this.list.scrollTop + this.list.clientHeight) this.list.scrollTop = top + ROW_HEIGHT - this.list.clientHeight;
    }
  }

  /** Updates one row after a save, without reloading the whole list. */
  update(summary: PostSummary): void {
    for (const posts of this.pages.values()) {
      const i = posts.findIndex((p) => p.id === summary.id);
      if (i >= 0) posts[i] = summary;
    }
    this.paint();
  }

  private focusRow(index: number): void {
    const row = this.spacer.querySelector<HTMLElement>(`[data-index="${index}"]`);
    row?.focus();
  }

  private row(post: PostSummary, index: number): HTMLElement {
    const item = document.createElement("div");
    item.className = "post-item";
    if (post.id === this.selectedId) item.classList.add("selected");
    item.style.top = `${index * ROW_HEIGHT}px`;
    item.tabIndex = 0;
    item.setAttribute("role", "option");
    item.dataset.id = String(post.id);
    item.dataset.index = String(index);
    const title = document.createElement("div");
    title.className = "post-title";
    showTitle(title, post);
    const meta = document.createElement("div");
    meta.className = "post-meta";
    const badge = statusBadge(post);
    const date = document.createElement("span");
    date.textContent = formatDate(post);
    if (post.date_inferred && date.textContent) {
      // No date key: the day the site's file name or URL says, in italics like the index view's.
      date.className = "index-date-inferred";
      date.title = `No date in the front matter; inferred from ${post.date_inferred}`;
    }
    const words = document.createElement("span");
    words.textContent = `${post.words.toLocaleString("en-US")} words`;
    meta.append(badge);
    if (post.sample) {
      const sample = document.createElement("span");
      sample.className = "badge sample";
      sample.textContent = "sample";
      sample.title = "One of Galley's sample posts: export leaves it out until you have edited it and changed its status.";
      meta.append(sample);
    }
    meta.append(date, words);
    if (post.missing_on_site) {
      const missing = document.createElement("span");
      missing.className = "badge missing";
      missing.textContent = "not on site";
      missing.title = "Its file in the site folder was deleted or moved outside Galley. The post is safe here; export it to write the file again.";
      meta.append(missing);
    }
    item.append(title, meta);
    if (this.trash) {
      const restore = document.createElement("button");
      restore.className = "button small row-action";
      restore.type = "button";
      restore.textContent = "Restore";
      restore.addEventListener("click", (event) => {
        event.stopPropagation();
        void this.restore(post.id);
      });
      item.append(restore);
      return item;
    }
    item.addEventListener("click", () => this.host.open(post.id));
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.host.open(post.id);
      if (event.key === "ArrowDown") { event.preventDefault(); this.focusRow(index + 1); }
      if (event.key === "ArrowUp") { event.preventDefault(); if (index === 0) this.search.focus(); else this.focusRow(index - 1); }
    });
    return item;
  }

  private async restore(id: number): Promise<void> {
    try {
      await ipc.restorePost(id);
      await this.reload();
    } catch (error) {
      this.host.showError(`Could not restore the post: ${ipc.errorMessage(error)}`);
    }
  }

  private async emptyTrash(): Promise<void> {
    const n = this.trash?.length ?? 0;
    if (n === 0) return;
    const ok = await this.host.confirm(
      `Delete ${n} ${n === 1 ? "post" : "posts"} in the trash for good, with all their revisions? This cannot be undone.`,
      "Empty trash",
    );
    if (!ok) return;
    try {
      await ipc.emptyTrash();
      await this.reload();
    } catch (error) {
      this.host.showError(`Could not empty the trash: ${ipc.errorMessage(error)}`);
    }
  }
}
