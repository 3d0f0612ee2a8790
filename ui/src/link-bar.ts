// Links clicked in the preview (navigation is blocked in Rust and reported here): in-page anchors
// scroll, anything else is explained in the link bar, which offers to open http(s) and mailto.
import * as ipc from "./ipc";
import { $, type Overlay } from "./dom";

/** What the link bar needs from the window. */
export interface LinkBarHost {
  scrollToAnchor(id: string): void;
  showError(message: string): void;
}

export class LinkBar implements Overlay {
  private pending: string | null = null;

  constructor(private host: LinkBarHost) {}

  async start(): Promise<void> {
    $("link-cancel").addEventListener("click", () => this.close());
    $("link-open").addEventListener("click", () => {
      this.close();
      if (this.pending) void ipc.openExternal(this.pending).catch((error) => this.host.showError(ipc.errorMessage(error)));
    });
    await ipc.onPreviewLink((link) => this.show(link));
  }

  isOpen(): boolean {
    return !$("link-bar").hidden;
  }

  close(): void {
    $("link-bar").hidden = true;
  }

  private show(link: ipc.PreviewLink): void {
    if (link.kind === "anchor") {
      this.host.scrollToAnchor(link.id);
      return;
    }
    const external = link.kind === "external";
    this.pending = external ? link.url : null;
    $("link-prefix").textContent = external ? "Open" : link.kind === "inside-site" ? "The link" : "Galley does not open";
    $("link-url").textContent = external ? link.url : link.kind === "inside-site" ? link.path : link.url;
    $("link-suffix").textContent = external
      ? "in your browser?"
      : link.kind === "inside-site"
        ? "points into your site. Link the site folder (with its base URL in the site's config) to open it in your browser."
        : "links (only http, https and mailto).";
    $("link-open").hidden = !external;
    $("link-cancel").textContent = external ? "Cancel" : "Close";
    $("link-bar").hidden = false;
    (external ? $("link-open") : $("link-cancel")).focus();
  }
}
