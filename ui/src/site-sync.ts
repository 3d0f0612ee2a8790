// Keeping up with the site folder: when the watcher reports changes, apply them with the editor's
// current text (so typing is never overwritten), refresh what changed, and show a banner for a
// post changed in both places with its diff and the three ways out. Nothing is lost either way.
// Problems keeping up with the folder (a failed comparison at start, folders not watched) come
// with the sync's report and are shown as notices.
import * as ipc from "./ipc";
import { $ } from "./dom";
import type { Post, SiteConflict, Resolution } from "./ipc";
import { diffLines } from "./diff-view";

export interface SyncHost {
  current(): Post | null;
  editorText(): string;
  /** Before applying: send pending front matter edits. */
  flush(): Promise<void>;
  /** The open post changed on disk and was taken in: show its new text. */
  refreshOpen(post: Post): void;
  reloadList(): Promise<void>;
  openPost(id: number): Promise<void>;
  notice(message: string): void;
}

export class SiteSync {
  private running = false;
  private again = false;
  private conflicts = new Map<number, SiteConflict>();

  constructor(private host: SyncHost) {
    $("conflict-diff-toggle").addEventListener("click", () => {
      const diff = $("conflict-diff");
      diff.hidden = !diff.hidden;
      $("conflict-diff-toggle").textContent = diff.hidden ? "Show differences" : "Hide differences";
    });
    $("conflict-mine").addEventListener("click", () => void this.resolve("keep_mine"));
    $("conflict-theirs").addEventListener("click", () => void this.resolve("take_theirs"));
    $("conflict-both").addEventListener("click", () => void this.resolve("keep_both"));
    // Listen, then take in what was queued before the page listened (the changes made while
    // Galley was closed, problems met at start): nothing emitted early is lost.
    void ipc.onSiteChanged(() => void this.changed()).then(() => this.changed());
  }

  /** True when no sync is running. */
  idle(): boolean {
    return !this.running;
  }

  /** The watcher saw something: sync now (one run at a time; a run requested meanwhile follows). */
  async changed(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.syncOnce();
      } while (this.again);
    } finally {
      this.running = false;
    }
  }

  private async syncOnce(): Promise<void> {
    await this.host.flush();
    const open = this.host.current();
    let report: ipc.SyncReport;
    try {
      report = await ipc.syncSite(open?.id ?? null, open ? this.host.editorText() : null);
    } catch (error) {
      this.host.notice(`Could not take in the site folder's changes: ${ipc.errorMessage(error)}`);
      return;
    }
    for (const notice of report.notices) this.host.notice(notice);
    for (const conflict of report.conflicts) this.conflicts.set(conflict.post_id, conflict);
    const now = this.host.current();
    if (now && report.changed_posts.includes(now.id) && !this.conflicts.has(now.id)) {
      try {
        this.host.refreshOpen(await ipc.openPost(now.id));
      } catch (error) {
        this.host.notice(ipc.errorMessage(error));
      }
    }
    if (report.changed_posts.length > 0 || report.conflicts.length > 0) await this.host.reloadList();
    for (const gone of report.missing) {
      this.host.notice(`${gone.path} was deleted from the site folder. The post stays in your library.`);
    }
    this.showBanner();
  }

  /** Shows the banner for the open post's conflict, or for the first one there is. */
  showBanner(): void {
    const open = this.host.current();
    const conflict = (open && this.conflicts.get(open.id)) || this.conflicts.values().next().value;
    if (!conflict) {
      $("conflict-banner").hidden = true;
      return;
    }
    $("conflict-text").textContent =
      `${conflict.path} changed on disk while “${open?.id === conflict.post_id ? open.title : "a post"}” changed here ` +
      `(${conflict.inserted} lines only on disk, ${conflict.deleted} only here).`;
    const lines = diffLines(conflict.hunks, { insert: "disk + ", delete: "mine - ", equal: "       " });
    $("conflict-diff").replaceChildren(...lines);
    $("conflict-banner").hidden = false;
    $("conflict-banner").dataset.postId = String(conflict.post_id);
  }

  private async resolve(resolution: Resolution): Promise<void> {
    const postId = Number($("conflict-banner").dataset.postId);
    if (!this.conflicts.has(postId)) return;
    await this.host.flush();
    try {
      const resolved = await ipc.resolveSiteConflict(postId, resolution);
      this.conflicts.delete(postId);
      const open = this.host.current();
      if (open?.id === postId) this.host.refreshOpen(await ipc.openPost(postId));
      await this.host.reloadList();
      if (resolved.new_post_id !== null) this.host.notice("The file's version was added to the library as a new draft.");
    } catch (error) {
      this.host.notice(`Could not settle the conflict: ${ipc.errorMessage(error)}`);
    }
    this.showBanner();
  }
}
