// Small DOM pieces every feature shares: the element lookup, the error toast, the app's own
// yes/no dialog, and covering the panes under an overlay view.
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let toastTimer = 0;

/** Shows a message to the writer for a few seconds (errors, and notices such as "moved to the trash"). */
export function showError(message: string): void {
  let toast = document.querySelector<HTMLElement>(".toast");
  if (!toast) {
    toast = document.createElement("div");
    toast.className = "toast";
    toast.setAttribute("role", "alert");
    document.body.appendChild(toast);
  }
  toast.textContent = message;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => toast?.remove(), 8000);
}

/** Asks a yes/no question in the app's own dialog (resolves true on OK). */
export function confirmDialog(question: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    $("confirm-text").textContent = question;
    $("confirm-ok").textContent = action;
    $("confirm-dialog").hidden = false;
    $("confirm-cancel").focus();
    const done = (answer: boolean) => {
      $("confirm-dialog").hidden = true;
      $("confirm-ok").onclick = null;
      $("confirm-cancel").onclick = null;
      resolve(answer);
    };
    $("confirm-ok").onclick = () => done(true);
    $("confirm-cancel").onclick = () => done(false);
  });
}

/** Something Escape closes: a panel, a bar or a dialog. */
export interface Overlay {
  isOpen(): boolean;
  close(): void;
}

/** The confirm dialog as an overlay (Escape answers "cancel"). */
export const confirmOverlay: Overlay = {
  isOpen: () => !$("confirm-dialog").hidden,
  close: () => $("confirm-cancel").click(),
};

/** Hides the editor and preview under an overlay view (WebKitGTK paints their overlay
 *  scrollbars above it otherwise). */
export function coverPanes(covered: boolean): void {
  document.getElementById("panes")?.classList.toggle("covered", covered);
}
