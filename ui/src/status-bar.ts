// The status bar: the open post's statistics under the chosen reading-time profile (remembered),
// the save state, and the library's path.
import * as ipc from "./ipc";
import type { Stats } from "./ipc";
import type { SaveState } from "./autosave";
import { $ } from "./dom";

/** What the status bar needs from the window. */
export interface StatusBarHost {
  /** The reading-time profile changed (views that show minutes redraw). */
  profileChanged(): void;
  showError(message: string): void;
}

export class StatusBar {
  private lastStats: Stats | null = null;
  /** The backend's revision of the text the statistics shown were counted on. */
  private statsRevision = 0;
  private profileSelect = $<HTMLSelectElement>("profile");

  constructor(private host: StatusBarHost) {
    this.profileSelect.value = localStorage.getItem("galley.profile") || "galley";
    this.profileSelect.addEventListener("change", () => {
      localStorage.setItem("galley.profile", this.profileSelect.value);
      if (this.lastStats) this.showStats(this.lastStats);
      this.host.profileChanged();
    });
  }

  /** Listens for statistics (counted after each render) and shows the library's path. */
  async start(): Promise<void> {
    await ipc.onPreviewStats(({ revision, stats }) => {
      if (revision < this.statsRevision) return;
      this.statsRevision = revision;
      this.showStats(stats);
    });
    try {
      const path = (await ipc.libraryInfo()).path;
      // The left-to-right marks keep a path's slashes in place in the right-aligned, clipped label.
      $("library-path").textContent = `\u200E${path}\u200E`;
      $("library-path").title = path;
    } catch (error) {
      this.host.showError(ipc.errorMessage(error));
    }
  }

  /** The chosen reading-time profile: its name and its label. */
  profile(): { name: string; label: string } {
    const select = this.profileSelect;
    return { name: select.value, label: select.selectedOptions[0]?.textContent ?? select.value };
  }

  /** The revision of the text the shown statistics belong to. */
  statsFor(): number {
    return this.statsRevision;
  }

  private showStats(stats: Stats): void {
    this.lastStats = stats;
    const minutes = stats.minutes_by_profile[this.profileSelect.value] ?? stats.reading_minutes;
    $("stat-words").textContent = `${stats.words.toLocaleString("en-US")} words`;
    $("stat-code").textContent = `${stats.code_lines.toLocaleString("en-US")} code lines`;
    $("stat-minutes").textContent = `${minutes} min read`;
  }

  showSaveState(state: SaveState, detail?: string): void {
    const element = $("save-state");
    element.className = `save-state ${state}`;
    element.textContent =
      state === "saved" ? "saved" : state === "saving" ? "saving…" : state === "unsaved" ? "edited" : `save failed: ${detail ?? ""}`;
  }

  /** Why the last save failed, in a few words (for the question before closing). */
  saveFailure(): string {
    return $("save-state").textContent?.replace(/^save failed: /, "").split(";")[0] ?? "unknown reason";
  }
}
