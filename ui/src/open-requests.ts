// What reaches the window from outside the page: a Markdown file opened from the file manager, the
// command line, a second launch or a drop (already imported or found by the app: a post id), the
// desktop entry's "New draft", or why a file could not be opened. The app keeps them until taken.
import * as ipc from "./ipc";

export interface OpenRequestHost {
  openPost(id: number): Promise<void>;
  newDraft(): Promise<void>;
  /** The list has a new or changed post. */
  reloadList(): Promise<void>;
  showError(message: string): void;
}

export class OpenRequests {
  private running: Promise<boolean> = Promise.resolve(false);

  constructor(private host: OpenRequestHost) {}

  /** Listens for requests; call once the window can open posts. */
  async start(): Promise<void> {
    await ipc.onOpenRequested(() => void this.take());
  }

  /** Handles the waiting requests in order; true when one of them opened a post or a draft. */
  take(): Promise<boolean> {
    this.running = this.running.then(() => this.handle());
    return this.running;
  }

  private async handle(): Promise<boolean> {
    let opened = false;
    let requests: ipc.OpenRequest[];
    try {
      requests = await ipc.takeOpenRequests();
    } catch (error) {
      this.host.showError(ipc.errorMessage(error));
      return false;
    }
    for (const request of requests) {
      if (request.kind === "failed") {
        this.host.showError(request.message);
      } else if (request.kind === "new_draft") {
        await this.host.newDraft();
        opened = true;
      } else {
        if (request.imported) await this.host.reloadList();
        await this.host.openPost(request.id);
        if (request.notice) this.host.showError(request.notice);
        opened = true;
      }
    }
    return opened;
  }
}
