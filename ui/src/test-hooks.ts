// `window.galley`: hooks for the end-to-end tests and the benchmark. They read the window's state
// and drive the editor through its own API (the editor only puts visible lines in the DOM).
import type { Editor } from "./editor";
import type { Preview } from "./preview";
import type { PreviewSync } from "./preview-sync";
import type { PostSession } from "./post-session";
import { latency } from "./latency";

export interface TestHookHost {
  editor: Editor;
  preview: Pick<Preview, "lines">;
  previewSync: Pick<PreviewSync, "toggle" | "request">;
  session: Pick<PostSession, "current">;
  /** Each part of the window that can have work in flight, by name, with its idle test. */
  idle: Record<string, () => boolean>;
  /** The native menu's item ids received so far. */
  menuLog: () => string[];
  /** The pane layout now. */
  paneLayout: () => unknown;
}

export function installTestHooks({ editor, preview, previewSync, session, idle, menuLog, paneLayout }: TestHookHost): void {
  (window as unknown as { galley: object }).galley = {
    menuLog,
    paneLayout,
    latency,
    togglePreview: () => previewSync.toggle(),
    editorText: () => editor.text(),
    /** Replaces the open post's text as one edit (for pasting large test inputs). */
    replaceText: (text: string) => editor.replaceText(text),
    /** Applies one change as one transaction, as a keystroke does. */
    edit: (change: { from: number; to?: number; insert?: string }) => editor.edit(change),
    /** Puts the cursor at `offset`, scrolled into view, and focuses the editor. */
    placeCursor: (offset: number) => editor.placeCursor(offset),
    cursor: () => editor.cursor(),
    /** The number of the editor's first visible line. */
    editorTopLine: () => editor.topLine(),
    currentPostId: () => session.current()?.id ?? null,
    /** Every preview element with a source line: its current line and text (tests compare the
     *  patched preview with a fresh render). */
    previewLines: () => preview.lines(),
    editorParsedToViewport: () => editor.parsedToViewport(),
    /** Renders the whole text again from scratch (what opening the post does). */
    rerenderPreview: () => previewSync.request(true),
    /** True when nothing is in flight or waiting (tests wait for this instead of sleeping). */
    idle: () => Object.values(idle).every((part) => part()),
    /** The parts that are not idle now (for a test's timeout message). */
    busy: () => Object.keys(idle).filter((name) => !idle[name]()),
  };
}
