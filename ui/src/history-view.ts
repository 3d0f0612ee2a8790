// The history panel: a post's revisions (newest first), a diff of one against the current text,
// and restoring it (the library keeps the text before the restore as a revision too).
import * as ipc from "./ipc";
import type { Post, RevisionSummary } from "./ipc";
import { diffLines } from "./diff-view";
import { $, coverPanes } from "./dom";

function when(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toLocaleString();
}

/** What the history panel needs from the window. */
export interface HistoryHost {
  /** A revision was restored: show the post's restored text. */
  restored(post: Post): void;
  showError(message: string): void;
  /** Before listing: store pending edits, so the newest text is a revision to compare with. */
  flush(): Promise<void>;
}

export class HistoryView {
  private postId: number | null = null;
  private selected: number | null = null;

  constructor(private host: HistoryHost) {
    $("history-close").addEventListener("click", () => this.close());
    $("history-restore").addEventListener("click", () => void this.restore());
  }

  isOpen(): boolean {
    return !$("history").hidden;
  }

  close(): void {
    $("history").hidden = true;
    coverPanes(false);
  }

  async open(postId: number, title: string): Promise<void> {
    await this.host.flush();
    this.postId = postId;
    this.selected = null;
    $("history-title").textContent = title;
    $("history-diff").replaceChildren();
    $("history-diff-summary").textContent = "Pick a revision to compare it with the current text.";
    $<HTMLButtonElement>("history-restore").disabled = true;
    $("history").hidden = false;
    coverPanes(true);
    try {
      this.fill(await ipc.listRevisions(postId));
    } catch (error) {
      this.host.showError(`Could not read the history: ${ipc.errorMessage(error)}`);
    }
  }

  private fill(revisions: RevisionSummary[]): void {
    $("history-list").replaceChildren(
      ...revisions.map((revision) => {
        const item = document.createElement("li");
        item.dataset.id = String(revision.id);
        const whenLine = document.createElement("div");
        whenLine.className = "when";
        whenLine.textContent = when(revision.created_at);
        const why = document.createElement("div");
        why.className = "why";
        why.textContent = `${revision.reason} · ${revision.words.toLocaleString("en-US")} words`;
        item.append(whenLine, why);
        item.addEventListener("click", () => void this.show(revision.id));
        return item;
      }),
    );
  }

  private async show(revisionId: number): Promise<void> {
    this.selected = revisionId;
    for (const item of Array.from($("history-list").children) as HTMLElement[]) {
      item.classList.toggle("selected", Number(item.dataset.id) === revisionId);
    }
    try {
      const diff = await ipc.revisionDiff(revisionId);
      const lines = diffLines(diff.hunks, {
        insert: "+ ",
        delete: "- ",
        equal: "  ",
        hunk: (hunk) => `@@ line ${hunk.old_start} → ${hunk.new_start} @@`,
      });
      $("history-diff").replaceChildren(...lines);
      $("history-diff-summary").textContent =
        diff.hunks.length === 0
          ? "This revision is the same as the current text."
          : `Current text vs this revision: ${diff.inserted} lines added since, ${diff.deleted} removed since.`;
      $<HTMLButtonElement>("history-restore").disabled = diff.hunks.length === 0;
    } catch (error) {
      this.host.showError(`Could not compare: ${ipc.errorMessage(error)}`);
    }
  }

  private async restore(): Promise<void> {
    if (this.selected === null || this.postId === null) return;
    try {
      const post = await ipc.restoreRevision(this.selected);
      this.host.restored(post);
      this.fill(await ipc.listRevisions(post.id));
      $("history-diff").replaceChildren();
      $("history-diff-summary").textContent = "Restored. The text before the restore is kept as a revision.";
      $<HTMLButtonElement>("history-restore").disabled = true;
    } catch (error) {
      this.host.showError(`Could not restore: ${ipc.errorMessage(error)}`);
    }
  }
}
