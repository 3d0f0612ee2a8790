// The only module that talks to the Tauri backend: typed wrappers around each command and event.
import { convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import type {
  CommandError,
  DialectInfo,
  DroppedImages,
  Conflict,
  ExportPlan,
  ExportReport,
  HighlightedBlock,
  ImportPlan,
  ImportReport,
  ImageSettings,
  IndexEntry,
  LibraryInfo,
  ListPage,
  ListQuery,
  OpenRequest,
  PaneLayout,
  Post,
  PostSummary,
  PreviewLink,
  RenderOutput,
  Resolution,
  Resolved,
  RevisionDiff,
  RevisionSummary,
  SiteCss,
  SiteInfo,
  StatsUpdate,
  Status,
  SyncReport,
  TagCount,
  TextChange,
} from "./ipc-types";

// The types the page exchanges with the app are generated from the Rust ones (ipc-types.ts).
export type * from "./ipc-types";
/** A site file both sides changed (as the conflict banner shows it). */
export type SiteConflict = Conflict;
/** What an import or export will do with a file. */
export type PlanAction = ImportPlan["items"][number]["action"];








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
export const renderPreviewChanges = (base: number, version: number, changes: TextChange[]) =>
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
export function renderPreviewChangesNow(base: number, version: number, changes: TextChange[]): ImmediateRender {
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
export const libraryInfo = () => invoke<LibraryInfo>("library_info");

export const onLibraryChanged = (handler: () => void): Promise<UnlistenFn> =>
  listen("library-changed", () => handler());
export const onPreviewHighlight = (handler: (blocks: HighlightedBlock[]) => void): Promise<UnlistenFn> =>
  listen<HighlightedBlock[]>("preview-highlight", (event) => handler(event.payload));
export const onPreviewStats = (handler: (update: StatsUpdate) => void): Promise<UnlistenFn> =>
  listen<StatsUpdate>("preview-stats", (event) => handler(event.payload));
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





export const siteInfo = () => invoke<SiteInfo>("site_info");
export const chooseSiteFolder = () => invoke<SiteInfo>("choose_site_folder");
export const importSitePlan = () => invoke<ImportPlan>("import_site_plan");
export const importSite = (force: boolean) => invoke<ImportReport>("import_site", { force });
/** `undatedToday`: the writer chose to give posts without any date today's date. */
export const exportSitePlan = (preset: string, status: string | null, undatedToday = false) =>
  invoke<ExportPlan>("export_site_plan", { preset, status, undatedToday });
export const exportSite = (preset: string, status: string | null, force: boolean, undatedToday = false) =>
  invoke<ExportReport>("export_site", { preset, status, force, undatedToday });

export const previewDialect = () => invoke<DialectInfo>("preview_dialect");
export const setPreviewDialect = (choice: string) => invoke<DialectInfo>("set_preview_dialect", { choice });

// ---- the library: pages, tags, index view, revisions, trash --------------------------------





export const listPage = (query: Partial<ListQuery>) => invoke<ListPage>("list_page", { query });
export const listTags = () => invoke<TagCount[]>("list_tags");
export const indexEntries = (query: Partial<ListQuery>) => invoke<IndexEntry[]>("index_entries", { query });
export const listRevisions = (id: number) => invoke<RevisionSummary[]>("list_revisions", { id });
export const revisionDiff = (revisionId: number) => invoke<RevisionDiff>("revision_diff", { revisionId });
export const restoreRevision = (revisionId: number) => invoke<Post>("restore_revision", { revisionId });
export const trashPost = (id: number) => invoke<void>("trash_post", { id });
export const listTrash = () => invoke<PostSummary[]>("list_trash");
export const restorePost = (id: number) => invoke<PostSummary>("restore_post", { id });
export const emptyTrash = () => invoke<number>("empty_trash");

// ---- keeping up with the site folder ----------------------------------------------------------



export const syncSite = (openPost: number | null, body: string | null) =>
  invoke<SyncReport>("sync_site", { openPost, body });
export const resolveSiteConflict = (postId: number, resolution: Resolution) =>
  invoke<Resolved>("resolve_site_conflict", { postId, resolution });
export const onSiteChanged = (handler: () => void): Promise<UnlistenFn> => listen("site-changed", () => handler());
export const onAppError = (handler: (message: string) => void): Promise<UnlistenFn> =>
  listen<string>("app-error", (event) => handler(event.payload));

export const choosePreviewCss = (clear: boolean) => invoke<SiteCss>("choose_preview_css", { clear });
export const previewSiteCss = () => invoke<SiteCss>("preview_site_css");
/** The chosen stylesheet changed on disk: read it again with `previewSiteCss`. */
export const onSiteCssChanged = (handler: () => void): Promise<UnlistenFn> => listen("site-css-changed", () => handler());

// Images of the open post (paste, drop, "Insert image…") and the "Load remote images" setting.
/** Stores image bytes (a paste) with post `postId`; answers the name to link. The bytes travel as
 *  the raw request body, the post and the suggested name (may be "") as headers. */
export const attachImage = (postId: number, suggestedName: string, bytes: Uint8Array) =>
  invoke<string>("attach_image", bytes, { headers: { "x-galley-post": String(postId), "x-galley-name": encodeURIComponent(suggestedName) } });
/** Opens the system file dialog; answers the names of the images stored (empty if cancelled). */
export const insertImageDialog = (postId: number) => invoke<string[]>("insert_image_dialog", { postId });
export const imageSettings = () => invoke<ImageSettings>("image_settings");
export const setLoadRemoteImages = (on: boolean) => invoke<ImageSettings>("set_load_remote_images", { on });
export const onImagesDropped = (handler: (dropped: DroppedImages) => void): Promise<UnlistenFn> =>
  listen<DroppedImages>("images-dropped", (event) => handler(event.payload));
// ---- the desktop: the native menu, files opened from outside, the pane layout -------------
export const takeOpenRequests = () => invoke<OpenRequest[]>("take_open_requests");
export const onOpenRequested = (handler: () => void): Promise<UnlistenFn> => listen("open-requested", () => handler());
/** A native menu item was chosen (or its shortcut pressed): its id. */
export const onMenu = (handler: (id: string) => void): Promise<UnlistenFn> => listen<string>("menu", (event) => handler(event.payload));

export const paneLayout = () => invoke<PaneLayout>("pane_layout");
export const setPaneLayout = (layout: PaneLayout) => invoke<PaneLayout>("set_pane_layout", { layout });
