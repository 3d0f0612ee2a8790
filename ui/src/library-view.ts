// The library sidebar: search box, status filter and the list of posts (titles shown as text).
import * as ipc from "./ipc";
import type { PostSummary } from "./ipc";

export function formatDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : date;
}

export class LibraryView {
  private list: HTMLUListElement;
  private search: HTMLInputElement;
  private filter: HTMLSelectElement;
  private count: HTMLElement;
  private posts: PostSummary[] = [];
  private selectedId: number | null = null;
  private searchTimer = 0;
  private loadSeq = 0;

  constructor(private onOpen: (id: number) => void, private onError: (message: string) => void) {
    this.list = document.getElementById("post-list") as HTMLUListElement;
    this.search = document.getElementById("search") as HTMLInputElement;
    this.filter = document.getElementById("status-filter") as HTMLSelectElement;
    this.count = document.getElementById("post-count") as HTMLElement;
    this.search.addEventListener("input", () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => void this.reload(), 120);
    });
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && this.posts.length > 0) this.onOpen(this.posts[0].id);
      if (event.key === "ArrowDown") this.focusRow(0);
      if (event.key === "Escape") {
        this.search.value = "";
        void this.reload();
      }
    });
    this.filter.addEventListener("change", () => void this.reload());
  }

  /** Loads the list again from the library (search or filter applied). */
  async reload(): Promise<PostSummary[]> {
    const seq = ++this.loadSeq;
    try {
      const posts = await ipc.listPosts(this.filter.value || null, this.search.value || null);
      if (seq !== this.loadSeq) return this.posts;
      this.posts = posts;
      this.render();
    } catch (error) {
      this.onError(`Could not read the library: ${ipc.errorMessage(error)}`);
    }
    return this.posts;
  }

  ids(): number[] {
    return this.posts.map((post) => post.id);
  }

  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  select(id: number | null): void {
    this.selectedId = id;
    for (const row of Array.from(this.list.children) as HTMLElement[]) {
      const selected = Number(row.dataset.id) === id;
      row.classList.toggle("selected", selected);
      row.setAttribute("aria-selected", String(selected));
      if (selected) row.scrollIntoView({ block: "nearest" });
    }
  }

  /** Updates one row after a save, without reloading the whole list. */
  update(summary: PostSummary): void {
    const index = this.posts.findIndex((post) => post.id === summary.id);
    if (index < 0) return;
    this.posts[index] = summary;
    const row = this.list.querySelector<HTMLElement>(`li[data-id="${summary.id}"]`);
    if (row) row.replaceWith(this.row(summary));
    this.select(this.selectedId);
  }

  private focusRow(index: number): void {
    (this.list.children[index] as HTMLElement | undefined)?.focus();
  }

  private row(post: PostSummary): HTMLLIElement {
    const item = document.createElement("li");
    item.className = "post-item";
    item.tabIndex = 0;
    item.setAttribute("role", "option");
    item.dataset.id = String(post.id);
    const title = document.createElement("div");
    title.className = "post-title";
    title.textContent = post.title || "Untitled";
    const meta = document.createElement("div");
    meta.className = "post-meta";
    const badge = document.createElement("span");
    badge.className = `badge ${post.status}`;
    badge.textContent = post.status;
    const date = document.createElement("span");
    date.textContent = formatDate(post.date);
    const words = document.createElement("span");
    words.textContent = `${post.words.toLocaleString("en-US")} words`;
    meta.append(badge, date, words);
    item.append(title, meta);
    item.addEventListener("click", () => this.onOpen(post.id));
    item.addEventListener("keydown", (event) => {
      const index = this.posts.findIndex((p) => p.id === post.id);
      if (event.key === "Enter") this.onOpen(post.id);
      if (event.key === "ArrowDown") { event.preventDefault(); this.focusRow(index + 1); }
      if (event.key === "ArrowUp") { event.preventDefault(); if (index === 0) this.search.focus(); else this.focusRow(index - 1); }
    });
    return item;
  }

  private render(): void {
    this.list.replaceChildren(...this.posts.map((post) => this.row(post)));
    const n = this.posts.length;
    this.count.textContent = `${n} ${n === 1 ? "post" : "posts"}`;
    this.select(this.selectedId);
  }
}
