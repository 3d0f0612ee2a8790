// Keystroke-to-paint measurement, always on and cheap: from a key event in the editor to the
// second animation frame after the preview patch that contains it (or, with the preview hidden,
// after the editor's own update). Read out by the benchmark through WebDriver
// (`window.galley.latency`).
import { ViewPlugin } from "@codemirror/view";

const samples: { ms: number; preview: boolean }[] = [];
let pendingKey: number | null = null;
let waitingForPreview = false;

function afterTwoFrames(done: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(done));
}

function finish(preview: boolean): void {
  const start = pendingKey;
  if (start === null) return;
  pendingKey = null;
  waitingForPreview = false;
  afterTwoFrames(() => samples.push({ ms: performance.now() - start, preview }));
}

export const latency = {
  /** A key went down in the editor (only the first key of a burst is timed). */
  keydown(event: KeyboardEvent): void {
    if (pendingKey === null) pendingKey = event.timeStamp || performance.now();
  },
  /** The editor applied a change; with the preview hidden, that is the end of the path. */
  editorUpdated(previewShown: boolean): void {
    if (pendingKey === null) return;
    if (previewShown) waitingForPreview = true;
    else finish(false);
  },
  /** The preview patched a render that includes the latest text. */
  previewApplied(): void {
    if (waitingForPreview) finish(true);
  },
  samples,
  clear(): void {
    samples.length = 0;
    pendingKey = null;
    waitingForPreview = false;
  },
};

/** The editor extension that notes key events in the editor (before CodeMirror handles them). */
export const latencyProbe = ViewPlugin.define((view) => {
  const listener = (event: KeyboardEvent) => latency.keydown(event);
  view.contentDOM.addEventListener("keydown", listener, true);
  return { destroy: () => view.contentDOM.removeEventListener("keydown", listener, true) };
});
