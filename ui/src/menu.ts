// The native menu's items, mapped to the same functions as their keyboard shortcuts: the app sends
// one `menu` event with the item's id (src-tauri/src/menu.rs lists the items). On Linux the menu's
// accelerators take their keys before the page sees them, so the shortcuts arrive here too.
import * as ipc from "./ipc";
import type { ShortcutActions } from "./shortcuts";

/** What the menu needs besides the shortcuts' actions. */
export interface MenuHost {
  actions: ShortcutActions;
  undo(): boolean;
  redo(): boolean;
}

/** The ids received, in order (the end-to-end tests check that a key went through the menu). */
export const menuLog: string[] = [];

/** Undo / redo in the field that has the focus: the editor's history, or the browser's own for a form field. */
function edit(host: MenuHost, command: "undo" | "redo"): void {
  const focused = document.activeElement;
  if (focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement) document.execCommand(command);
  else if (command === "undo") host.undo();
  else host.redo();
}

export function menuHandlers(host: MenuHost): Record<string, () => void> {
  const { actions } = host;
  return {
    "new-draft": () => actions.newDraft(),
    import: () => actions.openImport(),
    export: () => actions.openExport(),
    save: () => actions.save(),
    undo: () => edit(host, "undo"),
    redo: () => edit(host, "redo"),
    find: () => actions.focusSearch(),
    "toggle-library": () => actions.toggleLibrary(),
    "toggle-preview": () => actions.togglePreview(),
    index: () => actions.toggleIndex(),
    theme: () => actions.cycleTheme(),
    history: () => void actions.openHistory(),
    "next-post": () => actions.stepPost(1),
    "previous-post": () => actions.stepPost(-1),
    trash: () => actions.trash(),
    shortcuts: () => document.getElementById("help-button")?.click(),
  };
}

export async function installMenu(host: MenuHost): Promise<void> {
  const handlers = menuHandlers(host);
  await ipc.onMenu((id) => {
    menuLog.push(id);
    handlers[id]?.();
  });
}
