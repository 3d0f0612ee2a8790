// Images into the open post: paste image data, drop image files (the backend stores them and says
// where), "Insert image…" (toolbar and Ctrl+Alt+I, a system dialog in Rust); each inserts
// `![](name)` with the alt text selected. Also the "Load remote images" setting.
import * as ipc from "./ipc";
import type { Editor } from "./editor";
import { $ } from "./dom";

export interface ImageInsertHost {
  editor: Pick<Editor, "insertSnippet" | "offsetAt">;
  /** The open post's id, or null. */
  postId(): number | null;
  /** Renders the preview again from scratch (a setting changed how images load). */
  rerender(): void;
  showError(message: string): void;
}

/** The Markdown for `names`, one image per line, and the alt text of the first (empty) to select. */
export function imageMarkdown(names: string[]): { text: string; select: [number, number] } {
  const link = (name: string) => `![](${/[\s()<>]/.test(name) ? `<${name}>` : name})`;
  return { text: names.map(link).join("\n"), select: [2, 2] };
}

export class ImageInsert {
  private pending = 0;

  constructor(private host: ImageInsertHost) {}

  /** True when no image is being stored (tests wait for this). */
  idle(): boolean {
    return this.pending === 0;
  }

  async start(): Promise<void> {
    $("editor").addEventListener("paste", (event) => this.onPaste(event), true);
    $("insert-image").addEventListener("click", () => void this.pick());
    document.addEventListener(
      "keydown",
      (event) => {
        if ((event.ctrlKey || event.metaKey) && event.altKey && !event.shiftKey && event.key.toLowerCase() === "i") {
          event.preventDefault();
          event.stopPropagation();
          void this.pick();
        }
      },
      true,
    );
    const remote = $<HTMLInputElement>("load-remote-images");
    remote.addEventListener("change", () => void this.setRemote(remote.checked));
    await ipc.onImagesDropped((dropped) => this.dropped(dropped));
    try {
      remote.checked = (await ipc.imageSettings()).load_remote;
    } catch (error) {
      this.host.showError(`Could not read the image settings: ${ipc.errorMessage(error)}`);
    }
  }

  /** The system file dialog; the picked images go in at the cursor. */
  async pick(): Promise<void> {
    const postId = this.host.postId();
    if (postId === null) return;
    await this.track("add the image", async () => this.insert(await ipc.insertImageDialog(postId), null));
  }

  private onPaste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.items ?? [])
      .filter((item) => item.kind === "file" && item.type.startsWith("image/"))
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    const postId = this.host.postId();
    if (files.length === 0 || postId === null) return;
    // Taken before CodeMirror sees it: the image's text would otherwise be pasted too.
    event.preventDefault();
    event.stopPropagation();
    void this.track("paste the image", async () => {
      const names: string[] = [];
      for (const file of files) {
        // A clipboard image is called "image.png" by the web view: name it after the post instead.
        const suggested = /^image\.\w+$/i.test(file.name) ? "" : file.name;
        names.push(await ipc.attachImage(postId, suggested, new Uint8Array(await file.arrayBuffer())));
      }
      this.insert(names, null);
    });
  }

  private dropped(dropped: ipc.DroppedImages): void {
    if (dropped.error) this.host.showError(`Could not add the dropped image: ${dropped.error}`);
    if (dropped.names.length > 0) this.insert(dropped.names, this.host.editor.offsetAt(dropped.x, dropped.y));
  }

  private insert(names: string[], at: number | null): void {
    if (names.length === 0) return;
    const { text, select } = imageMarkdown(names);
    this.host.editor.insertSnippet(text, at, select);
  }

  private async setRemote(on: boolean): Promise<void> {
    await this.track("change the setting", async () => {
      await ipc.setLoadRemoteImages(on);
      this.host.rerender();
    });
  }

  private async track(what: string, work: () => Promise<void>): Promise<void> {
    this.pending++;
    try {
      await work();
    } catch (error) {
      this.host.showError(`Could not ${what}: ${ipc.errorMessage(error)}`);
    } finally {
      this.pending--;
    }
  }
}
