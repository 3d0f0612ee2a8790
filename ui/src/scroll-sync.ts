// Scroll sync by source line, both ways, as an editor extension. The preview frame runs no script
// and its events do not reach us, so its scroll position is polled once per animation frame.
// Whichever side the writer scrolled last leads for 150 ms.
import { EditorView, ViewPlugin } from "@codemirror/view";
import type { Extension } from "@codemirror/state";
import type { Preview } from "./preview";

const LEAD_MS = 150;

/** What scroll sync needs from the window. */
export interface ScrollSyncHost {
  preview: Pick<Preview, "scrollToLine" | "scrollY" | "topLine">;
  /** A post is open. */
  postOpen(): boolean;
  /** The preview pane is shown. */
  previewShown(): boolean;
}

export interface ScrollSync {
  /** The editor extension (its plugin owns the editor's scroll listener and the preview poll). */
  extension: Extension;
  /** True when neither side is leading (no scroll is being followed). */
  idle(): boolean;
}

export function scrollSync(host: ScrollSyncHost): ScrollSync {
  // Shared by the plugin instances (a new document in the editor creates a new instance).
  let leader: "editor" | "preview" | null = null;
  let leaderUntil = 0;
  let lastPreviewY = 0;

  function lead(side: "editor" | "preview"): boolean {
    const now = performance.now();
    if (leader !== side && now < leaderUntil) return false;
    leader = side;
    leaderUntil = now + LEAD_MS;
    return true;
  }

  const plugin = ViewPlugin.define((view) => {
    const onScroll = () => {
      if (!host.postOpen() || !host.previewShown() || !lead("editor")) return;
      const block = view.lineBlockAtHeight(view.scrollDOM.scrollTop);
      host.preview.scrollToLine(view.state.doc.lineAt(block.from).number);
      lastPreviewY = host.preview.scrollY();
    };
    let frame = 0;
    const poll = () => {
      const y = host.preview.scrollY();
      if (y !== lastPreviewY) {
        lastPreviewY = y;
        const line = host.preview.topLine();
        if (line !== null && host.postOpen() && lead("preview")) {
          const doc = view.state.doc;
          const pos = doc.line(Math.min(Math.max(1, line), doc.lines)).from;
          view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: "start" }) });
        }
      }
      frame = requestAnimationFrame(poll);
    };
    view.scrollDOM.addEventListener("scroll", onScroll);
    frame = requestAnimationFrame(poll);
    return {
      destroy() {
        view.scrollDOM.removeEventListener("scroll", onScroll);
        cancelAnimationFrame(frame);
      },
    };
  });

  return { extension: plugin, idle: () => performance.now() >= leaderUntil };
}
