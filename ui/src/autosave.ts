// Autosave: saves the editor's text a short moment after the last keystroke, one save at a time,
// and again when the text changed while a save was running. Nothing typed is dropped.
export type SaveState = "saved" | "unsaved" | "saving" | "failed";

export const AUTOSAVE_IDLE_MS = 400;
const RETRY_MS = 3000;

export class Autosave {
  private timer = 0;
  private running: Promise<void> | null = null;
  /** The post to save and how to read its text when the save happens (read late, so typing
   *  does not copy the whole text on every keystroke). */
  private pending: { id: number; text: () => string } | null = null;

  constructor(
    private save: (id: number, text: string) => Promise<void>,
    private onState: (state: SaveState, detail?: string) => void,
  ) {}

  /** Notes that a post changed and saves its text after a short idle time. */
  schedule(id: number, text: () => string): void {
    this.pending = { id, text };
    this.onState("unsaved");
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), AUTOSAVE_IDLE_MS);
  }

  /** Saves whatever is pending now and resolves when everything typed so far is stored. */
  async flush(): Promise<void> {
    window.clearTimeout(this.timer);
    while (this.running) await this.running;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    const next = { id: pending.id, text: pending.text() };
    this.onState("saving");
    this.running = this.save(next.id, next.text)
      .then(() => {
        if (!this.pending) this.onState("saved");
      })
      .catch((error: unknown) => {
        // Keep the text and try again; the writer sees why it failed.
        if (!this.pending) this.pending = { id: next.id, text: () => next.text };
        this.onState("failed", String(error));
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(() => void this.flush(), RETRY_MS);
      })
      .finally(() => {
        this.running = null;
      });
    await this.running;
    if (this.pending && this.timer === 0) await this.flush();
  }

  hasPending(): boolean {
    return this.pending !== null || this.running !== null;
  }
}
