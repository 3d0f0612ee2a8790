// The window's layout: the library sidebar toggle and the draggable divider between editor and
// preview (the preview's own toggle is the preview sync's, which re-renders when it comes back).
import { $ } from "./dom";

export function toggleLibrary(): void {
  $("app").classList.toggle("library-hidden");
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
    panes.style.setProperty("--editor-fraction", `${fraction}fr`);
    panes.style.setProperty("--preview-fraction", `${1 - fraction}fr`);
  });
  divider.addEventListener("pointerup", () => divider.classList.remove("dragging"));
}
