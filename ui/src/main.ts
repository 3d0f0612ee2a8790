// Wires the window together: library, editor, preview, front matter form, status bar, shortcuts.
import "./styles.css";
import * as ipc from "./ipc";
import type { Post, PostSummary, Stats } from "./ipc";
import { EditorView } from "@codemirror/view";
import type { ChangeSet } from "@codemirror/state";
import { createEditor } from "./editor";
import { Preview } from "./preview";
import { LibraryView } from "./library-view";
import { FrontMatterForm } from "./front-matter-form";
import { Autosave, type SaveState } from "./autosave";
import { SiteDialogs } from "./site-dialogs";
import { HistoryView } from "./history-view";
import { IndexView } from "./index-view";
import { latency } from "./latency";
import { SiteSync } from "./site-sync";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let current: Post | null = null;
let toastTimer = 0;

function showError(message: string): void {
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

// ---- status bar -------------------------------------------------------------------------
let lastStats: Stats | null = null;
const profileSelect = $<HTMLSelectElement>("profile");
profileSelect.value = localStorage.getItem("galley.profile") || "galley";
profileSelect.addEventListener("change", () => {
  localStorage.setItem("galley.profile", profileSelect.value);
  if (lastStats) showStats(lastStats);
  if (indexView.isOpen()) void indexView.open();
});

function showStats(stats: Stats): void {
  lastStats = stats;
  const minutes = stats.minutes_by_profile[profileSelect.value] ?? stats.reading_minutes;
  $("stat-words").textContent = `${stats.words.toLocaleString("en-US")} words`;
  $("stat-code").textContent = `${stats.code_lines.toLocaleString("en-US")} code lines`;
  $("stat-minutes").textContent = `${minutes} min read`;
}

function showSaveState(state: SaveState, detail?: string): void {
  const element = $("save-state");
  element.className = `save-state ${state}`;
  element.textContent =
    state === "saved" ? "saved" : state === "saving" ? "saving…" : state === "unsaved" ? "edited" : `save failed: ${detail ?? ""}`;
}

// ---- preview: at most one render in flight; keystrokes travel as changes, not the whole text ----
const preview = new Preview($("preview"));
/** Changes typed since the last request was sent (composed into one set), if any. */
let previewChanges: ChangeSet | null = null;
/** The whole text must go (a newly opened post, or the backend asked for a resync). */
let previewFull = false;
let previewReset = false;
let previewBusy = false;
/** The version of the text the backend holds, and the last number handed out. */
let backendVersion = 0;
let lastVersion = 0;
/** False once the synchronous keystroke path failed in a way that is not a resync. */
let immediatePreview = true;

function requestPreview(reset = false): void {
  previewFull = true;
  previewChanges = null;
  previewReset ||= reset;
  if (!previewBusy) void pumpPreview();
}

function requestPreviewChanges(changes: ChangeSet): void {
  if (!previewFull) previewChanges = previewChanges ? previewChanges.compose(changes) : changes;
  if (previewBusy) return;
  if (immediatePreview && renderChangesNow()) return;
  // The whole text must be read after the editor applied this change (onChange runs before).
  if (previewFull) {
    queueMicrotask(() => {
      if (!previewBusy) void pumpPreview();
    });
  } else void pumpPreview();
}

/**
 * Renders pending keystroke changes synchronously, before the browser paints the editor's update,
 * so editor and preview change in the same frame. Returns false when the asynchronous path must
 * take over (a resync, a big change, or the scheme is unavailable).
 */
function renderChangesNow(): boolean {
  if (previewFull || !previewChanges) return false;
  const version = lastVersion + 1;
  const result = ipc.renderPreviewChangesNow(backendVersion, version, changeList(previewChanges));
  if (result.kind === "too-big") return false;
  if (result.kind === "unavailable") {
    immediatePreview = false;
    return false;
  }
  lastVersion = version;
  previewChanges = null;
  if (result.kind === "resync") {
    previewFull = true;
    previewReset = true;
    return false;
  }
  backendVersion = version;
  preview.apply(result.output, false);
  latency.previewApplied();
  return true;
}

function changeList(set: ChangeSet): { from: number; to: number; insert: string }[] {
  const changes: { from: number; to: number; insert: string }[] = [];
  set.iterChanges((from, to, _fromB, _toB, inserted) => changes.push({ from, to, insert: inserted.toString() }));
  return changes;
}

async function pumpPreview(): Promise<void> {
  previewBusy = true;
  while (previewFull || previewChanges) {
    const version = ++lastVersion;
    const reset = previewReset;
    try {
      let output: ipc.RenderOutput;
      if (previewFull) {
        previewFull = false;
        previewReset = false;
        previewChanges = null;
        output = await ipc.renderPreview(editor.text(), version, reset);
      } else {
        const changes = previewChanges ? changeList(previewChanges) : [];
        previewChanges = null;
        output = await ipc.renderPreviewChanges(backendVersion, version, changes);
      }
      backendVersion = version;
      preview.apply(output, reset);
      if (!previewFull && previewChanges === null) latency.previewApplied();
    } catch (error) {
      if ((error as ipc.CommandError)?.kind !== "resync") {
        showError(`The preview could not be rendered: ${ipc.errorMessage(error)}`);
      }
      // Start again from the whole text.
      previewFull = true;
      previewReset = true;
    }
  }
  previewBusy = false;
}

// ---- editor and autosave ----------------------------------------------------------------
/** Asks a yes/no question in the app's own dialog (resolves true on OK). */
function confirmDialog(question: string, action: string): Promise<boolean> {
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

const library = new LibraryView((id) => void openPost(id), showError, confirmDialog, () => undefined);
const autosave = new Autosave(async (id, text) => {
  try {
    const summary = await ipc.saveBody(id, text);
    library.update(summary);
  } catch (error) {
    throw ipc.errorMessage(error);
  }
}, showSaveState);

const editorText = () => editor.text();

const editor = createEditor($("editor"), {
  onChange(changes) {
    if (!current) return;
    const previewShown = !$("panes").classList.contains("preview-hidden");
    latency.editorUpdated(previewShown);
    autosave.schedule(current.id, editorText);
    if (previewShown) requestPreviewChanges(changes);
    else previewStale = true;
  },
  onBlur() {
    void autosave.flush();
  },
});

const form = new FrontMatterForm((post: Post | PostSummary) => {
  library.update(post);
  void library.reloadTags();
}, showError);

const history = new HistoryView(
  (post) => {
    current = post;
    editor.load(post.body);
    form.load(post);
    library.update(post);
    requestPreview(true);
    showSaveState("saved");
  },
  showError,
  async () => {
    form.flushAll();
    await autosave.flush();
  },
);

const indexView = new IndexView((id) => void openPost(id), showError, () => ({
  name: profileSelect.value,
  label: profileSelect.selectedOptions[0]?.textContent ?? profileSelect.value,
}));

const siteSync = new SiteSync({
  current: () => current,
  editorText: () => editor.text(),
  async flush() {
    form.flushAll();
    await autosave.flush();
  },
  refreshOpen(post) {
    if (!current || current.id !== post.id) return;
    const frontMatterChanged = post.front_matter !== current.front_matter;
    current = post;
    editor.replaceText(post.body);
    if (frontMatterChanged) form.load(post);
    library.update(post);
  },
  reloadList: () => library.reload(),
  openPost,
  notice: showError,
});

async function trashCurrent(): Promise<void> {
  if (!current) return;
  const id = current.id;
  await autosave.flush();
  form.flushAll();
  const next = library.neighbour(id, 1);
  try {
    await ipc.trashPost(id);
    current = null;
    await library.reload();
    if (next !== null && next !== id) await openPost(next);
    else $("empty-state").hidden = false;
    showError("Moved to the trash. Restore it from the Trash filter.");
  } catch (error) {
    showError(`Could not move the post to the trash: ${ipc.errorMessage(error)}`);
  }
}

const site = new SiteDialogs(
  async () => {
    await library.reload();
    await library.reloadTags();
  },
  showError,
  async () => {
    form.flushAll();
    await autosave.flush();
  },
);

async function openPost(id: number): Promise<void> {
  if (current?.id === id) return;
  await autosave.flush();
  form.flushAll();
  try {
    const post = await ipc.openPost(id);
    current = post;
    // Text whose save failed is newer than the library's: show it (and keep retrying its save).
    const unsaved = autosave.unsavedText(id);
    editor.load(unsaved ?? post.body);
    form.load(post);
    library.select(post.id);
    $("empty-state").hidden = true;
    siteSync.showBanner();
    requestPreview(true);
    if (unsaved === null) showSaveState("saved");
    editor.view.focus();
  } catch (error) {
    showError(`Could not open the post: ${ipc.errorMessage(error)}`);
  }
}

async function newDraft(): Promise<void> {
  await autosave.flush();
  try {
    const post = await ipc.createPost("Untitled draft");
    indexView.close();
    await library.reload();
    await openPost(post.id);
    form.setExpanded(true);
    const title = $<HTMLInputElement>("fm-title");
    title.focus();
    title.select();
  } catch (error) {
    showError(`Could not create a draft: ${ipc.errorMessage(error)}`);
  }
}

function stepPost(delta: number): void {
  const next = library.neighbour(current?.id ?? null, delta);
  if (next !== null) void openPost(next);
}

// ---- scroll sync by source line, both ways -------------------------------------------
// The preview frame runs no script and its events do not reach us, so its scroll position is
// polled once per animation frame. Whichever side the writer scrolled last leads for 150 ms.
let scrollLeader: "editor" | "preview" | null = null;
let leaderUntil = 0;
let lastPreviewY = 0;

function lead(side: "editor" | "preview"): boolean {
  const now = performance.now();
  if (scrollLeader !== side && now < leaderUntil) return false;
  scrollLeader = side;
  leaderUntil = now + 150;
  return true;
}

function setupScrollSync(): void {
  const view = editor.view;
  view.scrollDOM.addEventListener("scroll", () => {
    if (!current || $("panes").classList.contains("preview-hidden") || !lead("editor")) return;
    const block = view.lineBlockAtHeight(view.scrollDOM.scrollTop);
    preview.scrollToLine(view.state.doc.lineAt(block.from).number);
    lastPreviewY = preview.scrollY();
  });
  const poll = () => {
    const y = preview.scrollY();
    if (y !== lastPreviewY) {
      lastPreviewY = y;
      const line = preview.topLine();
      if (line !== null && current && lead("preview")) {
        const doc = view.state.doc;
        const pos = doc.line(Math.min(Math.max(1, line), doc.lines)).from;
        view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: "start" }) });
      }
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

// ---- the site's stylesheet in the preview, reloaded when the file changes ------------------
async function loadSiteCss(): Promise<void> {
  try {
    const site = await ipc.previewSiteCss();
    // A stylesheet that cannot be read falls back to Galley's own style.
    preview.setSiteCss(site.css ?? "");
    $("site-css").textContent = site.path ? `\u200E${site.path}\u200E` : "Galley's own";
    const notes = site.dropped.length ? `\nNot loaded (the preview never fetches what a stylesheet names):\n${site.dropped.join("\n")}` : "";
    $("site-css").title = (site.error ?? site.path ?? "Galley's own preview style") + notes;
    $("site-css").classList.toggle("error-text", site.error !== null);
    $("site-css-clear").hidden = site.path === null;
  } catch (error) {
    showError(`Could not read the site's stylesheet: ${ipc.errorMessage(error)}`);
  }
}

async function chooseSiteCss(clear: boolean): Promise<void> {
  try {
    await ipc.choosePreviewCss(clear);
    await loadSiteCss();
  } catch (error) {
    showError(`Could not use that stylesheet: ${ipc.errorMessage(error)}`);
  }
}

// ---- theme ------------------------------------------------------------------------------
type ThemeMode = "system" | "light" | "dark";
const media = window.matchMedia("(prefers-color-scheme: dark)");
let themeMode: ThemeMode = (localStorage.getItem("galley.theme") as ThemeMode) || "system";

async function applyTheme(): Promise<void> {
  const dark = themeMode === "dark" || (themeMode === "system" && media.matches);
  document.documentElement.classList.toggle("dark", dark);
  $("theme-toggle").textContent = themeMode === "system" ? "Auto" : themeMode === "dark" ? "Dark" : "Light";
  try {
    preview.setTheme(await ipc.previewCss(dark), dark);
  } catch (error) {
    showError(`Could not load the preview theme: ${ipc.errorMessage(error)}`);
  }
}

function cycleTheme(): void {
  themeMode = themeMode === "system" ? "light" : themeMode === "light" ? "dark" : "system";
  localStorage.setItem("galley.theme", themeMode);
  void applyTheme();
}

// ---- layout: toggles and the draggable divider -----------------------------------------
/** Typed while the preview was hidden: render the whole text when it is shown again. */
let previewStale = false;

function togglePreview(): void {
  const hidden = $("panes").classList.toggle("preview-hidden");
  if (!hidden && previewStale) {
    previewStale = false;
    requestPreview();
  }
}

function toggleLibrary(): void {
  $("app").classList.toggle("library-hidden");
}

function setupDivider(): void {
  const divider = $("divider");
  const panes = $("panes");
  divider.addEventListener("pointerdown", (event) => {
    divider.setPointerCapture(event.pointerId);
    divider.classList.add("dragging");
  });
  divider.addEventListener("pointermove", (event) => {
    if (!divider.hasPointerCapture(event.pointerId)) return;
    const rect = panes.getBoundingClientRect();
    const fraction = Math.min(0.8, Math.max(0.2, (event.clientX - rect.left) / rect.width));
    panes.style.setProperty("--editor-fraction", `${fraction}fr`);
    panes.style.setProperty("--preview-fraction", `${1 - fraction}fr`);
  });
  divider.addEventListener("pointerup", () => divider.classList.remove("dragging"));
}

// ---- links clicked in the preview (navigation is blocked in Rust and reported here) -------
let pendingLink: string | null = null;

function handlePreviewLink(link: ipc.PreviewLink): void {
  if (link.kind === "anchor") {
    preview.scrollToAnchor(link.id);
    return;
  }
  const external = link.kind === "external";
  pendingLink = external ? link.url : null;
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

// ---- keyboard shortcuts -------------------------------------------------------------------
function toggleHelp(show?: boolean): void {
  const help = $("help");
  help.hidden = show === undefined ? !help.hidden : !show;
  if (!help.hidden) $("help-close").focus();
}

document.addEventListener(
  "keydown",
  (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    let handled = true;
    if (event.key === "F1") toggleHelp();
    else if (event.key === "Escape" && !$("help").hidden) toggleHelp(false);
    else if (event.key === "Escape" && !$("link-bar").hidden) $("link-bar").hidden = true;
    else if (event.key === "Escape" && !$("confirm-dialog").hidden) $("confirm-cancel").click();
    else if (event.key === "Escape" && history.isOpen()) history.close();
    else if (event.key === "Escape" && indexView.isOpen()) indexView.close();
    else if (ctrl && !event.shiftKey && event.key.toLowerCase() === "i") void (indexView.isOpen() ? indexView.close() : indexView.open());
    else if (ctrl && !event.shiftKey && event.key.toLowerCase() === "h" && current) void history.open(current.id, current.title);
    else if (ctrl && !event.shiftKey && event.key.toLowerCase() === "n") void newDraft();
    else if (ctrl && !event.shiftKey && (event.key.toLowerCase() === "k" || event.key.toLowerCase() === "p")) library.focusSearch();
    else if (ctrl && !event.shiftKey && event.key.toLowerCase() === "s") void autosave.flush();
    else if (ctrl && event.key === "\\") togglePreview();
    else if (ctrl && event.shiftKey && event.key.toLowerCase() === "l") toggleLibrary();
    else if (ctrl && event.shiftKey && event.key.toLowerCase() === "t") cycleTheme();
    else if (ctrl && !event.shiftKey && event.key.toLowerCase() === "e") void site.openExport();
    else if (ctrl && event.shiftKey && event.key.toLowerCase() === "i") void site.openImport();
    else if (ctrl && event.key === "PageDown") stepPost(1);
    else if (ctrl && event.key === "PageUp") stepPost(-1);
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  },
  true,
);

// Read-only hooks for the end-to-end tests (the editor only puts visible lines in the DOM).
(window as unknown as { galley: object }).galley = {
  latency,
  togglePreview,
  editorText: () => editor.text(),
  /** Replaces the open post's text as one edit (for pasting large test inputs). */
  replaceText: (text: string) => editor.replaceText(text),
  currentPostId: () => current?.id ?? null,
  /** Every preview element with a source line: its current line and text (tests compare the
   *  patched preview with a fresh render). */
  previewLines: () => preview.lines(),
  editorParsedToViewport: () => editor.parsedToViewport(),
  /** Renders the whole text again from scratch (what opening the post does). */
  rerenderPreview: () => requestPreview(true),
};

// ---- start ------------------------------------------------------------------------------
async function start(): Promise<void> {
  preview.init();
  setupDivider();
  setupScrollSync();
  editor.view.contentDOM.addEventListener("keydown", (event) => latency.keydown(event), true);
  $("new-draft").addEventListener("click", () => void newDraft());
  $("theme-toggle").addEventListener("click", cycleTheme);
  $("help-button").addEventListener("click", () => toggleHelp());
  $("help-close").addEventListener("click", () => toggleHelp(false));
  $("link-cancel").addEventListener("click", () => ($("link-bar").hidden = true));
  $("link-open").addEventListener("click", () => {
    $("link-bar").hidden = true;
    if (pendingLink) void ipc.openExternal(pendingLink).catch((error) => showError(ipc.errorMessage(error)));
  });
  media.addEventListener("change", () => void applyTheme());
  await applyTheme();
  await ipc.onLibraryChanged(() => {
    void library.reload();
    void library.reloadTags();
  });
  $("site-css-choose").addEventListener("click", () => void chooseSiteCss(false));
  $("site-css-clear").addEventListener("click", () => void chooseSiteCss(true));
  await ipc.onSiteCssChanged(() => void loadSiteCss());
  await loadSiteCss();
  await ipc.onAppError(showError);
  $("history-button").addEventListener("click", () => current && void history.open(current.id, current.title));
  $("trash-button").addEventListener("click", () => void trashCurrent());
  $("index-button").addEventListener("click", () => void (indexView.isOpen() ? indexView.close() : indexView.open()));
  await ipc.onPreviewLink(handlePreviewLink);
  await ipc.onPreviewHighlight((blocks) => preview.applyHighlights(blocks));
  let statsRevision = 0;
  await ipc.onPreviewStats(({ revision, stats }) => {
    if (revision < statsRevision) return;
    statsRevision = revision;
    showStats(stats);
  });
  await ipc.onCloseRequested(async () => {
    form.flushAll();
    await autosave.flush();
    if (!autosave.hasPending()) return true;
    // A save failed (disk full, read-only, locked): never drop typed text without asking.
    return confirmDialog(
      `Your latest edits could not be saved (${$("save-state").textContent?.replace(/^save failed: /, "").split(";")[0] ?? "unknown reason"}). Close Galley anyway and lose them?`,
      "Close without saving",
    );
  });
  window.addEventListener("blur", () => void autosave.flush());
  try {
    const path = (await ipc.libraryInfo()).path;
    // The left-to-right marks keep a path's slashes in place in the right-aligned, clipped label.
    $("library-path").textContent = `\u200E${path}\u200E`;
    $("library-path").title = path;
  } catch (error) {
    showError(ipc.errorMessage(error));
  }
  await site.refreshFolder();
  await library.reload();
  void library.reloadTags();
  const first = library.first();
  if (first) await openPost(first.id);
  else $("empty-state").hidden = false;
}

void start();
