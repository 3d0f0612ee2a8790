// The site's stylesheet in the preview: chosen or cleared by the writer, shown in the status bar,
// and read again when the watcher says the file changed.
import * as ipc from "./ipc";
import { $ } from "./dom";

/** What the site stylesheet needs from the window. */
export interface SiteCssHost {
  setPreviewCss(css: string): void;
  showError(message: string): void;
}

export class SiteCss {
  constructor(private host: SiteCssHost) {}

  async start(): Promise<void> {
    $("site-css-choose").addEventListener("click", () => void this.choose(false));
    $("site-css-clear").addEventListener("click", () => void this.choose(true));
    await ipc.onSiteCssChanged(() => void this.load());
    await this.load();
  }

  private async load(): Promise<void> {
    try {
      const site = await ipc.previewSiteCss();
      // A stylesheet that cannot be read falls back to Galley's own style.
      this.host.setPreviewCss(site.css ?? "");
      $("site-css").textContent = site.path ? `\u200E${site.path}\u200E` : "Galley's own";
      const notes = site.dropped.length ? `\nNot loaded (the preview never fetches what a stylesheet names):\n${site.dropped.join("\n")}` : "";
      $("site-css").title = (site.error ?? site.path ?? "Galley's own preview style") + notes;
      $("site-css").classList.toggle("error-text", site.error !== null);
      $("site-css-clear").hidden = site.path === null;
    } catch (error) {
      this.host.showError(`Could not read the site's stylesheet: ${ipc.errorMessage(error)}`);
    }
  }

  private async choose(clear: boolean): Promise<void> {
    try {
      await ipc.choosePreviewCss(clear);
      await this.load();
    } catch (error) {
      this.host.showError(`Could not use that stylesheet: ${ipc.errorMessage(error)}`);
    }
  }
}
