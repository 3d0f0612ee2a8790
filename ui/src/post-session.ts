// The open post: which one it is, opening, creating, stepping to and trashing posts, taking in
// a restored or changed-on-disk text, and the one way to store pending edits (`flush`).
import * as ipc from "./ipc";
import type { Post } from "./ipc";
import type { ChangeSet } from "@codemirror/state";
import type { Editor } from "./editor";
import type { FrontMatterForm } from "./front-matter-form";
import type { LibraryView } from "./library-view";
import type { Autosave, SaveState } from "./autosave";
import type { PreviewSync } from "./preview-sync";
import { latency } from "./latency";
import { $ } from "./dom";

/** What the open post needs from the window. */
export interface SessionHost {
  editor: Pick<Editor, "load" | "text" | "replaceText" | "focus">;
  form: Pick<FrontMatterForm, "load" | "flushAll" | "setExpanded">;
  library: Pick<LibraryView, "update" | "select" | "reload" | "neighbour">;
  autosave: Pick<Autosave, "flush" | "schedule" | "unsavedText" | "hasPending">;
  preview: Pick<PreviewSync, "request" | "edited" | "shown">;
  showSaveState(state: SaveState): void;
  /** A post was opened (the site sync shows its conflict, if it has one). */
  opened(): void;
  /** A new draft is about to open (the index view closes). */
  creating(): void;
  showError(message: string): void;
  confirm(question: string, action: string): Promise<boolean>;
  /** Why the last save failed, in a few words. */
  saveFailure(): string;
}

export class PostSession {
  private open: Post | null = null;

  constructor(private host: SessionHost) {}

  current(): Post | null {
    return this.open;
  }

  /** Stores every pending edit: front matter fields, then the body. */
  async flush(): Promise<void> {
    this.host.form.flushAll();
    await this.host.autosave.flush();
  }

  /** The editor's text is about to change (called before the view redraws). */
  edited(changes: ChangeSet): void {
    if (!this.open) return;
    const { editor, autosave, preview } = this.host;
    const previewShown = preview.shown();
    latency.editorUpdated(previewShown);
    autosave.schedule(this.open.id, () => editor.text());
    preview.edited(changes, previewShown);
  }

  async openPost(id: number): Promise<void> {
    if (this.open?.id === id) return;
    await this.flush();
    const { editor, form, library, autosave } = this.host;
    try {
      const post = await ipc.openPost(id);
      this.open = post;
      // Text whose save failed is newer than the library's: show it (and keep retrying its save).
      const unsaved = autosave.unsavedText(id);
      editor.load(unsaved ?? post.body);
      form.load(post);
      library.select(post.id);
      $("empty-state").hidden = true;
      this.host.opened();
      this.host.preview.request(true);
      if (unsaved === null) this.host.showSaveState("saved");
      editor.focus();
    } catch (error) {
      this.host.showError(`Could not open the post: ${ipc.errorMessage(error)}`);
    }
  }

  /** Opens the first post of the list, or shows the empty state. */
  async openFirst(first: number | null): Promise<void> {
    if (first !== null) await this.openPost(first);
    else $("empty-state").hidden = false;
  }

  async newDraft(): Promise<void> {
    await this.flush();
    try {
      const post = await ipc.createPost("Untitled draft");
      this.host.creating();
      await this.host.library.reload();
      await this.openPost(post.id);
      this.host.form.setExpanded(true);
      const title = $<HTMLInputElement>("fm-title");
      title.focus();
      title.select();
    } catch (error) {
      this.host.showError(`Could not create a draft: ${ipc.errorMessage(error)}`);
    }
  }

  /** Opens the next (1) or previous (-1) post in the list. */
  step(delta: number): void {
    const next = this.host.library.neighbour(this.open?.id ?? null, delta);
    if (next !== null) void this.openPost(next);
  }

  async trash(): Promise<void> {
    if (!this.open) return;
    const id = this.open.id;
    await this.flush();
    const next = this.host.library.neighbour(id, 1);
    try {
      await ipc.trashPost(id);
      this.open = null;
      await this.host.library.reload();
      await this.openFirst(next !== null && next !== id ? next : null);
      this.host.showError("Moved to the trash. Restore it from the Trash filter.");
    } catch (error) {
      this.host.showError(`Could not move the post to the trash: ${ipc.errorMessage(error)}`);
    }
  }

  /** A revision was restored: it is the post's text now (a fresh editor state). */
  restored(post: Post): void {
    this.open = post;
    this.host.editor.load(post.body);
    this.host.form.load(post);
    this.host.library.update(post);
    this.host.preview.request(true);
    this.host.showSaveState("saved");
  }

  /** The open post changed on disk and was taken in: its new text as one undoable change. */
  refresh(post: Post): void {
    if (!this.open || this.open.id !== post.id) return;
    const frontMatterChanged = post.front_matter !== this.open.front_matter;
    this.open = post;
    this.host.editor.replaceText(post.body);
    if (frontMatterChanged) this.host.form.load(post);
    this.host.library.update(post);
  }

  /** The window is about to close: store everything; a failed save asks first (false keeps it). */
  async closing(): Promise<boolean> {
    await this.flush();
    if (!this.host.autosave.hasPending()) return true;
    // A save failed (disk full, read-only, locked): never drop typed text without asking.
    return this.host.confirm(
      `Your latest edits could not be saved (${this.host.saveFailure()}). Close Galley anyway and lose them?`,
      "Close without saving",
    );
  }
}
