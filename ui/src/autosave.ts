// Autosave: saves the editor's text a short moment after the last keystroke, one save at a time,
// and again when the text changed while a save was running. Nothing typed is dropped: a save that
// fails (disk full, read-only library, a lock) keeps its text, per post, says why and is retried.
export type SaveState = "saved" | "unsaved" | "saving" | "failed";

export const AUTOSAVE_IDLE_MS = 400;
export const RETRY_MS = 3000;

/** What the status bar says after "save failed: " — the reason, then that nothing is lost. */
export function failedSaveWords(reason: string): string {
  return `${reason}; your text is kept in the editor and saved again as soon as that works (Galley tries every ${RETRY_MS / 1000} s, Ctrl+S tries now)`;
}

export class Autosave {
  private timer = 0;
  private running: Promise<void> | null = null;
  /** The posts to save, each with how to read its text when the save happens (read late, so
   *  typing does not copy the whole text on every keystroke). A failed save stays here with the
   *  text it tried until a newer text of the same post replaces it; other posts never do. */
  private pending = new Map<number, () => string>();
  /** The texts of the save running now (taken out of `pending` while it runs). */
  private inflight = new Map<number, string>();

  constructor(
    private save: (id: number, text: string) => Promise<void>,
    private onState: (state: SaveState, detail?: string) => void,
  ) {}

  /** Notes that a post changed and saves its text after a short idle time. */
  schedule(id: number, text: () => string): void {
    this.pending.set(id, text);
    this.onState("unsaved");
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), AUTOSAVE_IDLE_MS);
  }

  /** Saves whatever is pending now and resolves when everything typed so far is stored (or its
   *  save failed and is kept for the next try). */
  async flush(): Promise<void> {
    window.clearTimeout(this.timer);
    while (this.running) await this.running;
    if (this.pending.size === 0) return;
    const batch = Array.from(this.pending, ([id, text]) => ({ id, text: text() }));
    this.pending.clear();
    this.inflight = new Map(batch.map((item) => [item.id, item.text]));
    this.onState("saving");
    let failure: unknown = null;
    this.running = (async () => {
      for (const item of batch) {
        try {
          await this.save(item.id, item.text);
        } catch (error) {
          // Keep the text (unless the writer typed a newer one meanwhile) and try again.
          failure = error;
          if (!this.pending.has(item.id)) this.pending.set(item.id, () => item.text);
        }
      }
    })().finally(() => {
      this.running = null;
      this.inflight.clear();
    });
    await this.running;
    if (failure !== null) {
      this.onState("failed", failedSaveWords(String(failure)));
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.flush(), RETRY_MS);
    } else if (this.pending.size === 0) {
      this.onState("saved");
    }
  }

  hasPending(): boolean {
    return this.pending.size > 0 || this.running !== null;
  }

  /** The text of a post whose save has not succeeded yet (after a failed save), if any: opening
   *  that post again shows this text, not the older one in the library. */
  unsavedText(id: number): string | null {
    const text = this.pending.get(id);
    return text ? text() : (this.inflight.get(id) ?? null);
  }
}
