// The colour theme: system, light or dark (remembered), applied to the window and the preview.
import * as ipc from "./ipc";
import { $ } from "./dom";

type ThemeMode = "system" | "light" | "dark";

/** What the theme needs from the window. */
export interface ThemeHost {
  /** The preview's stylesheet for this theme. */
  setPreviewTheme(css: string, dark: boolean): void;
  showError(message: string): void;
}

export class Theme {
  private media = window.matchMedia("(prefers-color-scheme: dark)");
  private mode: ThemeMode = (localStorage.getItem("galley.theme") as ThemeMode) || "system";

  constructor(private host: ThemeHost) {}

  /** Follows the system's choice and applies the remembered mode. */
  async start(): Promise<void> {
    $("theme-toggle").addEventListener("click", () => this.cycle());
    this.media.addEventListener("change", () => void this.apply());
    await this.apply();
  }

  private async apply(): Promise<void> {
    const dark = this.mode === "dark" || (this.mode === "system" && this.media.matches);
    document.documentElement.classList.toggle("dark", dark);
    $("theme-toggle").textContent = this.mode === "system" ? "Auto" : this.mode === "dark" ? "Dark" : "Light";
    try {
      this.host.setPreviewTheme(await ipc.previewCss(dark), dark);
    } catch (error) {
      this.host.showError(`Could not load the preview theme: ${ipc.errorMessage(error)}`);
    }
  }

  /** Auto → light → dark → auto. */
  cycle(): void {
    this.mode = this.mode === "system" ? "light" : this.mode === "light" ? "dark" : "system";
    localStorage.setItem("galley.theme", this.mode);
    void this.apply();
  }
}
