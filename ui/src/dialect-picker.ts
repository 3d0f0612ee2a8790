// The preview's Markdown dialect in the sidebar's site rows: "as the site" (read from the linked
// site's config) or one chosen by hand (remembered in the library); the preview re-renders on change.
import * as ipc from "./ipc";
import { $ } from "./dom";

/** What the picker needs from the window. */
export interface DialectPickerHost {
  /** The dialect changed: render the whole text again. */
  rerender(): void;
  showError(message: string): void;
}

const NAMES: Record<string, string> = {
  galley: "Galley",
  hugo: "Hugo",
  zola: "Zola",
  jekyll: "Jekyll",
  astro: "Astro",
};

export class DialectPicker {
  private select: HTMLSelectElement;
  private busy = 0;

  constructor(private host: DialectPickerHost) {
    const row = document.createElement("div");
    row.className = "site-row";
    const label = document.createElement("label");
    label.className = "muted";
    label.htmlFor = "dialect";
    label.textContent = "Markdown";
    this.select = document.createElement("select");
    this.select.id = "dialect";
    this.select.title = "The Markdown dialect the preview renders in";
    this.select.append(new Option("As the site", "site"), ...Object.entries(NAMES).map(([value, name]) => new Option(name, value)));
    row.append(label, this.select);
    $("site-folder").closest(".sidebar-foot")?.append(row);
    this.select.addEventListener("change", () => void this.choose(this.select.value));
    // Linking another site folder may change the site's dialect.
    new MutationObserver(() => void this.refresh()).observe($("site-folder"), { childList: true, characterData: true, subtree: true });
  }

  /** Applies the remembered choice (and the linked site's config) to the preview. */
  async refresh(): Promise<void> {
    await this.run(() => ipc.previewDialect());
  }

  /** Nothing in flight (for tests). */
  idle(): boolean {
    return this.busy === 0;
  }

  private async choose(choice: string): Promise<void> {
    await this.run(() => ipc.setPreviewDialect(choice));
  }

  private async run(call: () => Promise<ipc.DialectInfo>): Promise<void> {
    this.busy++;
    try {
      const info = await call();
      const previous = this.select.dataset.effective;
      this.show(info);
      if (previous !== undefined && previous !== JSON.stringify(info.dialect)) this.host.rerender();
    } catch (error) {
      this.host.showError(`Could not change the Markdown dialect: ${ipc.errorMessage(error)}`);
    } finally {
      this.busy--;
    }
  }

  private show(info: ipc.DialectInfo): void {
    this.select.value = info.choice;
    this.select.dataset.effective = JSON.stringify(info.dialect);
    const name = NAMES[info.dialect.flavor] ?? info.dialect.flavor;
    const siteOption = this.select.options[0];
    siteOption.textContent = info.source === "site" ? `As the site: ${name}` : "As the site: none (Galley)";
    const d = info.dialect;
    this.select.title =
      `Preview in ${name}'s Markdown: smart punctuation ${d.smart_punctuation ? "on" : "off"}, ` +
      `bare links ${d.linkify ? "on" : "off"}, raw HTML ${d.raw_html ? "shown" : "omitted"}`;
  }
}
