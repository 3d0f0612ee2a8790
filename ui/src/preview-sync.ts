// Keeps the preview in step with the editor: at most one render in flight; keystrokes travel as
// changes, not the whole text, and a small change is rendered synchronously (same frame).
import * as ipc from "./ipc";
import type { ChangeSet } from "@codemirror/state";
import type { Preview } from "./preview";
import { latency } from "./latency";
import { $ } from "./dom";

/** What the preview pump needs from the window. */
export interface PreviewSyncHost {
  /** The editor's whole text (read only when the whole text must go). */
  text(): string;
  showError(message: string): void;
}

/** The longest a render's code is awaited (see `highlighted`). */
const HIGHLIGHT_WAIT_MS = 2000;

function changeList(set: ChangeSet): { from: number; to: number; insert: string }[] {
  const changes: { from: number; to: number; insert: string }[] = [];
  set.iterChanges((from, to, _fromB, _toB, inserted) => changes.push({ from, to, insert: inserted.toString() }));
  return changes;
}

export class PreviewSync {
  /** Changes typed since the last request was sent (composed into one set), if any. */
  private changes: ChangeSet | null = null;
  /** The whole text must go (a newly opened post, or the backend asked for a resync). */
  private full = false;
  private reset = false;
  private busy = false;
  /** The version of the text the backend holds, and the last number handed out. */
  private backendVersion = 0;
  private lastVersion = 0;
  /** False once the synchronous keystroke path failed in a way that is not a resync. */
  private immediate = true;
  /** Typed while the preview was hidden: render the whole text when it is shown again. */
  private stale = false;
  /** The backend's revision of the last render applied. */
  private appliedRevision = 0;
  /** `preview-highlight` events so far, and how many had come when the render in flight left. */
  private highlightEvents = 0;
  private eventsAtSend = 0;
  /** When the last render that left code to highlight was applied, if no event came since. */
  private highlightsAwaitedSince: number | null = null;

  constructor(private preview: Preview, private host: PreviewSyncHost) {}

  /** Listens for highlighted code (it arrives after the render that left it plain). */
  async start(): Promise<void> {
    await ipc.onPreviewHighlight((blocks) => {
      this.highlightEvents++;
      this.highlightsAwaitedSince = null;
      this.preview.applyHighlights(blocks);
    });
  }

  shown(): boolean {
    return !$("panes").classList.contains("preview-hidden");
  }

  /** Shows or hides the preview (shown again after typing, it renders the whole text). */
  toggle(): void {
    const hidden = $("panes").classList.toggle("preview-hidden");
    if (!hidden && this.stale) {
      this.stale = false;
      this.request();
    }
  }

  /** The editor's text is about to change by `changes` (see EditorCallbacks.onChange). */
  edited(changes: ChangeSet, previewShown: boolean): void {
    if (previewShown) this.requestChanges(changes);
    else this.stale = true;
  }

  /** Sends the whole text (`reset`: render every block afresh, as for a newly opened post). */
  request(reset = false): void {
    this.full = true;
    this.changes = null;
    this.reset ||= reset;
    if (!this.busy) void this.pump();
  }

  private requestChanges(changes: ChangeSet): void {
    if (!this.full) this.changes = this.changes ? this.changes.compose(changes) : changes;
    if (this.busy) return;
    if (this.immediate && this.renderChangesNow()) return;
    // The whole text must be read after the editor applied this change (onChange runs before).
    if (this.full) {
      queueMicrotask(() => {
        if (!this.busy) void this.pump();
      });
    } else void this.pump();
  }

  /**
   * Renders pending keystroke changes synchronously, before the browser paints the editor's update,
   * so editor and preview change in the same frame. Returns false when the asynchronous path must
   * take over (a resync, a big change, or the scheme is unavailable).
   */
  private renderChangesNow(): boolean {
    if (this.full || !this.changes) return false;
    const version = this.lastVersion + 1;
    this.eventsAtSend = this.highlightEvents;
    const result = ipc.renderPreviewChangesNow(this.backendVersion, version, changeList(this.changes));
    if (result.kind === "too-big") return false;
    if (result.kind === "unavailable") {
      this.immediate = false;
      return false;
    }
    this.lastVersion = version;
    this.changes = null;
    if (result.kind === "resync") {
      this.full = true;
      this.reset = true;
      return false;
    }
    this.backendVersion = version;
    this.apply(result.output, false);
    latency.previewApplied();
    return true;
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.full || this.changes) {
      const version = ++this.lastVersion;
      const reset = this.reset;
      this.eventsAtSend = this.highlightEvents;
      try {
        let output: ipc.RenderOutput;
        if (this.full) {
          this.full = false;
          this.reset = false;
          this.changes = null;
          output = await ipc.renderPreview(this.host.text(), version, reset);
        } else {
          const changes = this.changes ? changeList(this.changes) : [];
          this.changes = null;
          output = await ipc.renderPreviewChanges(this.backendVersion, version, changes);
        }
        this.backendVersion = version;
        this.apply(output, reset);
        if (!this.full && this.changes === null) latency.previewApplied();
      } catch (error) {
        if ((error as ipc.CommandError)?.kind !== "resync") {
          this.host.showError(`The preview could not be rendered: ${ipc.errorMessage(error)}`);
        }
        // Start again from the whole text.
        this.full = true;
        this.reset = true;
      }
    }
    this.busy = false;
  }

  private apply(output: ipc.RenderOutput, reset: boolean): void {
    this.appliedRevision = output.revision;
    // An event that came while the request was out may be this render's (replies and events cross).
    const awaited = output.pending_highlights > 0 && this.highlightEvents === this.eventsAtSend;
    this.highlightsAwaitedSince = awaited ? performance.now() : null;
    this.preview.apply(output, reset);
  }

  /** The backend's revision of the text the preview shows (statistics carry the same numbers). */
  revision(): number {
    return this.appliedRevision;
  }

  /** True when no render is in flight or waiting. */
  idle(): boolean {
    return !this.busy && !this.full && this.changes === null;
  }

  /**
   * True unless highlighted code is awaited. Each render says how many code blocks wait for
   * highlighting, but the backend does not say when the last one is done (nor sends anything when
   * the block was deleted meanwhile), so: the next `preview-highlight` event counts as done, code
   * the preview no longer shows plain is not awaited, and nothing is awaited longer than
   * HIGHLIGHT_WAIT_MS (highlighting takes milliseconds).
   */
  highlighted(): boolean {
    const since = this.highlightsAwaitedSince;
    return since === null || performance.now() - since > HIGHLIGHT_WAIT_MS || !this.preview.hasPlainCode();
  }
}
