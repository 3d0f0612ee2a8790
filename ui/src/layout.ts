// The window's layout: the library sidebar toggle and the draggable divider between editor and
// preview (the preview's own toggle is the preview sync's, which re-renders when it comes back).
// Both are remembered in the library's settings (restored at start, saved when changed).
import { $ } from "./dom";
import * as ipc from "./ipc";

let layout: ipc.PaneLayout = { editor_fraction: 0.5, library_hidden: false };

function apply(): void {
  $("app").classList.toggle("library-hidden", layout.library_hidden);
  const panes = $("panes");
  panes.style.setProperty("--editor-fraction", `${layout.editor_fraction}fr`);
  panes.style.setProperty("--preview-fraction", `${1 - layout.editor_fraction}fr`);
}

function remember(): void {
  ipc.setPaneLayout(layout).catch(() => {
    // Not remembering a width is no reason to interrupt the writer.
  });
}

/** Restores the remembered layout. */
export async function restoreLayout(): Promise<void> {
  try {
    layout = await ipc.paneLayout();
  } catch {
    return; // the default layout
  }
  apply();
}

/** The layout now (for the tests). */
export const currentLayout = (): ipc.PaneLayout => ({ ...layout });

export function toggleLibrary(): void {
  layout = { ...layout, library_hidden: !$("app").classList.contains("library-hidden") };
  apply();
  remember();
}

export function setupDivider(): void {
  const divider = $("divider");
  const panes = $("panes");
  divider.addEventListener("pointerdown", (event) => {
    divider.setPointerCapture(event.pointerId);
    divider.classList.add("dragging");
  });
  divider.addEventListener("pointermove", (event) => {
    if (!divider.hasPointerCapture(event.pointerId)) return;
    const rect = panes.getBoundingClientRect();
    const fraction = Math.min(0.8, Math.max(0.2, (event.clientX - rect.left) / rect.width));
    layout = { ...layout, editor_fraction: fraction };
    apply();
  });
  divider.addEventListener("pointerup", () => {
    divider.classList.remove("dragging");
    remember();
  });
}
