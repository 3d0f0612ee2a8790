// The only module that talks to the Tauri backend: typed wrappers around each command and event.
import { convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";

export type Status = "draft" | "ready" | "published";

export interface PostSummary {
  id: number;
  title: string;
  status: Status;
  date: string;
  /** The date as YYYY-MM-DD ("" when it cannot be read). */
  day: string;
  summary: string;
  excerpt: string;
  category: string;
  tags: string[];
  words: number;
  reading_minutes: number;
  minutes_by_profile: Record<string, number>;
  modified_at: string;
  /** Its site file was deleted or moved outside Galley (the post itself is safe). */
  missing_on_site: boolean;
}

export interface Post extends PostSummary {
  front_matter: string;
  body: string;
  created_at: string;
}

export interface Stats {
  words: number;
  code_lines: number;
  images: number;
  reading_minutes: number;
  profile: string;
  minutes_by_profile: Record<string, number>;
}

/** What changed in the preview since the previous render (see galley::render::RenderOutput). */
export interface RenderOutput {
  revision: number;
  total: number;
  keep_head: number;
  keep_tail: number;
  line_shift: number;
  blocks: { key: string; line: number; html: string }[];
  pending_highlights: number;
}

export interface HighlightedBlock {
  key: string;
  html: string;
}

export interface CommandError {
  kind: string;
  message: string;
}

/** Turns whatever a command rejected with into words for the writer. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    return String((error as CommandError).message);
  }
  return String(error);
}

export const openPost = (id: number) => invoke<Post>("open_post", { id });
export const createPost = (title: string) => invoke<Post>("create_post", { title });
export const saveBody = (id: number, body: string) => invoke<PostSummary>("save_body", { id, body });
export const setField = (id: number, key: string, value: string[]) =>
  invoke<Post>("set_field", { id, key, value });
export const setFrontMatter = (id: number, frontMatter: string) =>
  invoke<Post>("set_front_matter", { id, frontMatter });
export const setStatus = (id: number, status: Status) => invoke<PostSummary>("set_status", { id, status });
/** Sends the whole text as version `version` (a newly opened post, or after a resync). */
export const renderPreview = (text: string, version: number, reset: boolean) =>
  invoke<RenderOutput>("render_preview", { text, version, reset });
/** Sends only what changed since version `base` (positions in UTF-16 units of that version). */
export const renderPreviewChanges = (base: number, version: number, changes: { from: number; to: number; insert: string }[]) =>
  invoke<RenderOutput>("render_preview_changes", { base, version, changes });

/** What the keystroke path answered; on "too-big" and "unavailable" the command must carry it. */
export type ImmediateRender =
  | { kind: "rendered"; output: RenderOutput }
  | { kind: "resync" }
  | { kind: "too-big" }
  | { kind: "unavailable" };

/** Larger change sets (a big paste) take the asynchronous command so the page never blocks. */
const IMMEDIATE_RENDER_MAX_CHARS = 4096;

/**
 * Renders a keystroke's changes synchronously through the backend's `galley-preview` scheme, so
 * the preview patch can be applied before the browser paints the editor's update (one frame for
 * both instead of two). The backend answers in about a millisecond.
 */
export function renderPreviewChangesNow(base: number, version: number, changes: { from: number; to: number; insert: string }[]): ImmediateRender {
  const body = JSON.stringify({ base, version, changes });
  if (body.length > IMMEDIATE_RENDER_MAX_CHARS) return { kind: "too-big" };
  try {
    const request = new XMLHttpRequest();
    request.open("POST", convertFileSrc("changes", "galley-preview"), false);
    request.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
    request.send(body);
    if (request.status === 200) return { kind: "rendered", output: JSON.parse(request.responseText) as RenderOutput };
    if (request.status === 409) return { kind: "resync" };
  } catch {
    // Fall through: the scheme is unavailable (e.g. blocked), the command still works.
  }
  return { kind: "unavailable" };
}

export const previewCss = (dark: boolean) => invoke<string>("preview_css", { dark });
export const libraryInfo = () => invoke<{ path: string }>("library_info");

export const onLibraryChanged = (handler: () => void): Promise<UnlistenFn> =>
  listen("library-changed", () => handler());
export const onPreviewHighlight = (handler: (blocks: HighlightedBlock[]) => void): Promise<UnlistenFn> =>
  listen<HighlightedBlock[]>("preview-highlight", (event) => handler(event.payload));
export const onPreviewStats = (handler: (update: { revision: number; stats: Stats }) => void): Promise<UnlistenFn> =>
  listen<{ revision: number; stats: Stats }>("preview-stats", (event) => handler(event.payload));
/** What a link clicked in the preview means (the frame itself never navigates). */
export type PreviewLink =
  | { kind: "anchor"; id: string }
  | { kind: "external"; url: string }
  | { kind: "inside-site"; path: string }
  | { kind: "refused"; url: string };
export const onPreviewLink = (handler: (link: PreviewLink) => void): Promise<UnlistenFn> =>
  listen<PreviewLink>("preview-link", (event) => handler(event.payload));

/** Opens an http(s) or mailto link in the system browser (the backend checks the scheme). */
export const openExternal = (url: string) => invoke<void>("open_external", { url });

/** Runs `handler` (e.g. a final save) before the window closes; the window stays open when it
 *  answers false (the writer chose to keep edits that could not be saved). */
export const onCloseRequested = (handler: () => Promise<boolean>): Promise<UnlistenFn> =>
  getCurrentWindow().onCloseRequested(async (event) => {
    let close = true;
    try {
      close = await handler();
    } catch {
      // Closing must still work.
    }
    if (!close) event.preventDefault();
  });

// ---- the linked site folder: import and export -------------------------------------------
export type PlanAction = "create" | "update" | "unchanged" | "conflict";

export interface ImportPlan {
  site: string;
  layout: string;
  items: { path: string; action: PlanAction; reason: string | null; post_id: number | null; title: string; draft: boolean }[];
  skipped: { path: string; reason: string }[];
}

export interface ImportReport {
  imported: { path: string; post_id: number }[];
  updated: { path: string; post_id: number }[];
  unchanged: string[];
  conflicts: { path: string; reason: string }[];
  skipped: { path: string; reason: string }[];
  warnings: { path: string; error: unknown }[];
}

export interface ExportPlan {
  site: string;
  preset: string;
  items: { post_id: number; title: string; path: string; action: PlanAction; reason: string | null }[];
  errors: { post_id: number; title: string; path: string | null; message: string }[];
}

export interface ExportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  conflicts: { path: string; reason: string }[];
  errors: { post_id: number; title: string; path: string | null; message: string }[];
}

export const siteInfo = () => invoke<{ folder: string | null }>("site_info");
export const chooseSiteFolder = () => invoke<{ folder: string | null }>("choose_site_folder");
export const importSitePlan = () => invoke<ImportPlan>("import_site_plan");
export const importSite = (force: boolean) => invoke<ImportReport>("import_site", { force });
export const exportSitePlan = (preset: string, status: string | null) =>
  invoke<ExportPlan>("export_site_plan", { preset, status });
export const exportSite = (preset: string, status: string | null, force: boolean) =>
  invoke<ExportReport>("export_site", { preset, status, force });

// ---- the library: pages, tags, index view, revisions, trash --------------------------------
export type Sort = "relevance" | "date_desc" | "date_asc" | "modified_desc" | "modified_asc" | "title_asc" | "title_desc";

export interface ListQuery {
  status?: Status | null;
  tag?: string | null;
  text?: string | null;
  sort?: Sort;
  offset?: number;
  limit?: number;
}

export interface IndexEntry {
  id: number;
  title: string;
  category: string;
  summary: string;
  date: string;
  reading_minutes: number;
  reading_time: string;
  /** Minutes under every reading-time profile, by name. */
  minutes_by_profile: Record<string, number>;
  status: Status;
  tags: string[];
}

export interface RevisionSummary {
  id: number;
  post_id: number;
  reason: string;
  created_at: string;
  words: number;
}

export interface RevisionDiff {
  revision_id: number;
  inserted: number;
  deleted: number;
  hunks: { old_start: number; new_start: number; lines: { kind: "equal" | "insert" | "delete"; text: string }[] }[];
}

export const listPage = (query: ListQuery) =>
  invoke<{ total: number; offset: number; posts: PostSummary[] }>("list_page", { query });
export const listTags = () => invoke<{ tag: string; posts: number }[]>("list_tags");
export const indexEntries = (query: ListQuery) => invoke<IndexEntry[]>("index_entries", { query });
export const listRevisions = (id: number) => invoke<RevisionSummary[]>("list_revisions", { id });
export const revisionDiff = (revisionId: number) => invoke<RevisionDiff>("revision_diff", { revisionId });
export const restoreRevision = (revisionId: number) => invoke<Post>("restore_revision", { revisionId });
export const trashPost = (id: number) => invoke<void>("trash_post", { id });
export const listTrash = () => invoke<PostSummary[]>("list_trash");
export const restorePost = (id: number) => invoke<PostSummary>("restore_post", { id });
export const emptyTrash = () => invoke<number>("empty_trash");

// ---- keeping up with the site folder ----------------------------------------------------------
export interface SiteConflict {
  post_id: number;
  path: string;
  ours: string;
  theirs: string;
  hunks: RevisionDiff["hunks"];
  inserted: number;
  deleted: number;
}

export interface SyncReport {
  updated: { path: string; post_id: number }[];
  imported: { path: string; post_id: number }[];
  missing: { path: string; post_id: number }[];
  restored: { path: string; post_id: number }[];
  conflicts: SiteConflict[];
  changed_posts: number[];
  /** Problems found while comparing the folder (a failed catch-up scan at start, folders not watched). */
  notices: string[];
}

export type Resolution = "keep_mine" | "take_theirs" | "keep_both";

export const syncSite = (openPost: number | null, body: string | null) =>
  invoke<SyncReport>("sync_site", { openPost, body });
export const resolveSiteConflict = (postId: number, resolution: Resolution) =>
  invoke<{ post_id: number; new_post_id: number | null; written: boolean }>("resolve_site_conflict", { postId, resolution });
export const onSiteChanged = (handler: () => void): Promise<UnlistenFn> => listen("site-changed", () => handler());
export const onAppError = (handler: (message: string) => void): Promise<UnlistenFn> =>
  listen<string>("app-error", (event) => handler(event.payload));

/** The site's stylesheet for the preview: safe CSS, or why it cannot be used. */
export interface SiteCss {
  path: string | null;
  css: string | null;
  /** References that were not loaded (remote URLs, @import, files outside the site), with reasons. */
  dropped: string[];
  error: string | null;
}
export const choosePreviewCss = (clear: boolean) => invoke<SiteCss>("choose_preview_css", { clear });
export const previewSiteCss = () => invoke<SiteCss>("preview_site_css");
/** The chosen stylesheet changed on disk: read it again with `previewSiteCss`. */
export const onSiteCssChanged = (handler: () => void): Promise<UnlistenFn> => listen("site-css-changed", () => handler());

// ---- the desktop: the native menu, files opened from outside, the pane layout -------------
/** What arrived from outside the page: a file opened (imported or found), a new draft, a refusal. */
export type OpenRequest =
  | { kind: "post"; id: number; imported: boolean; notice: string | null }
  | { kind: "new_draft" }
  | { kind: "failed"; message: string };
export const takeOpenRequests = () => invoke<OpenRequest[]>("take_open_requests");
export const onOpenRequested = (handler: () => void): Promise<UnlistenFn> => listen("open-requested", () => handler());
/** A native menu item was chosen (or its shortcut pressed): its id. */
export const onMenu = (handler: (id: string) => void): Promise<UnlistenFn> => listen<string>("menu", (event) => handler(event.payload));

export interface PaneLayout {
  /** The editor's share of the editor + preview width (0.2 to 0.8). */
  editor_fraction: number;
  library_hidden: boolean;
}
export const paneLayout = () => invoke<PaneLayout>("pane_layout");
export const setPaneLayout = (layout: PaneLayout) => invoke<PaneLayout>("set_pane_layout", { layout });
