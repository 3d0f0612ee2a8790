// The front matter form above the editor: title, status, date, category, tags, summary, and a raw
// view of the front matter text. Each change is sent as one field; values are shown as text.
import * as ipc from "./ipc";
import type { Post } from "./ipc";

type FieldKey = "title" | "date" | "summary" | "category" | "tags";

/** What the front matter form needs from the window. */
export interface FormHost {
  /** A field was stored: the list shows the post's new title, status, tags. */
  saved(post: Post | ipc.PostSummary): void;
  showError(message: string): void;
}

export class FrontMatterForm {
  private post: Post | null = null;
  private timers = new Map<string, number>();
  private inputs: Record<FieldKey, HTMLInputElement | HTMLTextAreaElement>;
  private status = document.getElementById("fm-status") as HTMLSelectElement;
  private details = document.getElementById("fm-details") as HTMLElement;
  private toggle = document.getElementById("fm-toggle") as HTMLButtonElement;
  private rawToggle = document.getElementById("fm-raw-toggle") as HTMLInputElement;
  private raw = document.getElementById("fm-raw") as HTMLTextAreaElement;
  private error = document.getElementById("fm-error") as HTMLElement;

  constructor(private host: FormHost) {
    this.inputs = {
      title: document.getElementById("fm-title") as HTMLInputElement,
      date: document.getElementById("fm-date") as HTMLInputElement,
      summary: document.getElementById("fm-summary") as HTMLTextAreaElement,
      category: document.getElementById("fm-category") as HTMLInputElement,
      tags: document.getElementById("fm-tags") as HTMLInputElement,
    };
    for (const key of Object.keys(this.inputs) as FieldKey[]) {
      this.inputs[key].addEventListener("input", () => this.debounce(key, () => this.sendField(key)));
      this.inputs[key].addEventListener("blur", () => this.flushOne(key));
    }
    this.status.addEventListener("change", () => void this.sendStatus());
    this.toggle.addEventListener("click", () => this.setExpanded(this.details.hidden));
    this.rawToggle.addEventListener("change", () => {
      this.raw.hidden = !this.rawToggle.checked;
      if (this.rawToggle.checked && this.post) this.raw.value = this.post.front_matter;
    });
    this.raw.addEventListener("input", () => this.debounce("raw", () => this.sendRaw()));
  }

  setExpanded(expanded: boolean): void {
    this.details.hidden = !expanded;
    this.toggle.setAttribute("aria-expanded", String(expanded));
  }

  /** Shows a newly opened post. */
  load(post: Post): void {
    this.flushAll();
    this.post = post;
    this.fill(post);
    this.raw.value = post.front_matter;
    this.error.textContent = "";
  }

  clear(): void {
    this.post = null;
    for (const input of Object.values(this.inputs)) input.value = "";
  }

  private fill(post: Post): void {
    this.inputs.title.value = post.title;
    this.inputs.date.value = post.date;
    // No date key: show the day the site says (not written into the post unless the writer types it).
    const inferred = !post.date && post.date_inferred ? `${post.day} (inferred from ${post.date_inferred})` : "";
    this.inputs.date.placeholder = inferred;
    this.inputs.date.title = inferred;
    this.inputs.summary.value = post.summary;
    this.inputs.category.value = post.category;
    this.inputs.tags.value = post.tags.join(", ");
    this.status.value = post.status;
  }

  private debounce(key: string, action: () => void): void {
    window.clearTimeout(this.timers.get(key));
    this.timers.set(key, window.setTimeout(() => { this.timers.delete(key); action(); }, 500));
  }

  private flushOne(key: FieldKey): void {
    if (this.timers.has(key)) {
      window.clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      void this.sendField(key);
    }
  }

  /** Sends every pending change now (before another post is opened). */
  flushAll(): void {
    for (const key of Object.keys(this.inputs) as FieldKey[]) this.flushOne(key);
    if (this.timers.has("raw")) {
      window.clearTimeout(this.timers.get("raw"));
      this.timers.delete("raw");
      void this.sendRaw();
    }
  }

  private async sendField(key: FieldKey): Promise<void> {
    const post = this.post;
    if (!post) return;
    const text = this.inputs[key].value;
    const value = key === "tags" ? text.split(",").map((tag) => tag.trim()).filter(Boolean) : [text];
    try {
      const updated = await ipc.setField(post.id, key, value);
      if (this.post?.id !== updated.id) return;
      this.post = { ...updated, body: this.post.body };
      this.raw.value = updated.front_matter;
      this.error.textContent = "";
      this.host.saved(updated);
    } catch (error) {
      this.host.showError(`Could not change the ${key}: ${ipc.errorMessage(error)}`);
    }
  }

  private async sendStatus(): Promise<void> {
    const post = this.post;
    if (!post) return;
    try {
      const summary = await ipc.setStatus(post.id, this.status.value as ipc.Status);
      if (this.post) this.post = { ...this.post, status: summary.status };
      this.host.saved(summary);
    } catch (error) {
      this.host.showError(`Could not change the status: ${ipc.errorMessage(error)}`);
    }
  }

  private async sendRaw(): Promise<void> {
    const post = this.post;
    if (!post) return;
    try {
      const updated = await ipc.setFrontMatter(post.id, this.raw.value);
      if (this.post?.id !== updated.id) return;
      this.post = { ...updated, body: this.post.body };
      this.fill(updated);
      this.error.textContent = "";
      this.host.saved(updated);
    } catch (error) {
      this.error.textContent = ipc.errorMessage(error);
    }
  }
}
