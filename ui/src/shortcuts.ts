// Keyboard shortcuts for the whole window (taken before the editor sees them), the toolbar buttons
// that do the same, and the help panel that lists them. What each action does is the host's.
import { $, type Overlay } from "./dom";

/** The actions the shortcuts trigger. */
export interface ShortcutActions {
  /** What Escape closes, topmost first (the help panel comes before all of them). */
  overlays: Overlay[];
  toggleIndex(): void;
  /** Opens the open post's history; false when no post is open (the key is left alone). */
  openHistory(): boolean;
  newDraft(): void;
  focusSearch(): void;
  save(): void;
  togglePreview(): void;
  toggleLibrary(): void;
  cycleTheme(): void;
  openExport(): void;
  openImport(): void;
  stepPost(delta: number): void;
  trash(): void;
}

function toggleHelp(show?: boolean): void {
  const help = $("help");
  help.hidden = show === undefined ? !help.hidden : !show;
  if (!help.hidden) $("help-close").focus();
}

export function installCommands(actions: ShortcutActions): void {
  $("help-button").addEventListener("click", () => toggleHelp());
  $("help-close").addEventListener("click", () => toggleHelp(false));
  $("new-draft").addEventListener("click", () => actions.newDraft());
  $("history-button").addEventListener("click", () => actions.openHistory());
  $("trash-button").addEventListener("click", () => actions.trash());
  $("index-button").addEventListener("click", () => actions.toggleIndex());
  document.addEventListener(
    "keydown",
    (event) => {
      const ctrl = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const overlay = event.key === "Escape" ? actions.overlays.find((o) => o.isOpen()) : undefined;
      let handled = true;
      if (event.key === "F1") toggleHelp();
      else if (event.key === "Escape" && !$("help").hidden) toggleHelp(false);
      else if (overlay) overlay.close();
      else if (ctrl && !event.shiftKey && key === "i") actions.toggleIndex();
      else if (ctrl && !event.shiftKey && key === "h") handled = actions.openHistory();
      else if (ctrl && !event.shiftKey && key === "n") actions.newDraft();
      else if (ctrl && !event.shiftKey && (key === "k" || key === "p")) actions.focusSearch();
      else if (ctrl && !event.shiftKey && key === "s") actions.save();
      else if (ctrl && event.key === "\\") actions.togglePreview();
      else if (ctrl && event.shiftKey && key === "l") actions.toggleLibrary();
      else if (ctrl && event.shiftKey && key === "t") actions.cycleTheme();
      else if (ctrl && !event.shiftKey && key === "e") actions.openExport();
      else if (ctrl && event.shiftKey && key === "i") actions.openImport();
      else if (ctrl && event.key === "PageDown") actions.stepPost(1);
      else if (ctrl && event.key === "PageUp") actions.stepPost(-1);
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );
}
