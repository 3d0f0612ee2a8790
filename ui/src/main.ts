// Wires the window together: creates each feature, hands it a host (what it needs from the
// others), and starts them. Each feature lives in its own file.
import "./styles.css";
import * as ipc from "./ipc";
import { createEditor } from "./editor";
import { Preview } from "./preview";
import { PreviewSync } from "./preview-sync";
import { scrollSync } from "./scroll-sync";
import { LibraryView } from "./library-view";
import { FrontMatterForm } from "./front-matter-form";
import { Autosave } from "./autosave";
import { SiteDialogs } from "./site-dialogs";
import { HistoryView } from "./history-view";
import { IndexView } from "./index-view";
import { latencyProbe } from "./latency";
import { SiteSync } from "./site-sync";
import { PostSession } from "./post-session";
import { StatusBar } from "./status-bar";
import { Theme } from "./theme";
import { SiteCss } from "./site-css";
import { LinkBar } from "./link-bar";
import { DialectPicker } from "./dialect-picker";
import { installCommands, type ShortcutActions } from "./shortcuts";
import { currentLayout, restoreLayout, setupDivider, toggleLibrary } from "./layout";
import { installMenu, menuLog } from "./menu";
import { OpenRequests } from "./open-requests";
import { installTestHooks } from "./test-hooks";
import { ImageInsert } from "./image-insert";
import { $, showError, confirmDialog, confirmOverlay } from "./dom";

const toggleIndex = () => void (indexView.isOpen() ? indexView.close() : indexView.open());

const preview = new Preview($("preview"));
const previewSync = new PreviewSync(preview, { text: () => editor.text(), showError });
const statusBar = new StatusBar({ profileChanged: () => void (indexView.isOpen() && indexView.open()), showError });
const library = new LibraryView({ open: (id) => void session.openPost(id), showError, confirm: confirmDialog });
const autosave = new Autosave(async (id, text) => {
  try {
    library.update(await ipc.saveBody(id, text));
  } catch (error) {
    throw ipc.errorMessage(error);
  }
}, (state, detail) => statusBar.showSaveState(state, detail));
const scroll = scrollSync({ preview, postOpen: () => session.current() !== null, previewShown: () => previewSync.shown() });
const editor = createEditor($("editor"), {
  onChange: (changes) => session.edited(changes),
  onBlur: () => void autosave.flush(),
  extensions: [scroll.extension, latencyProbe],
});
const form = new FrontMatterForm({
  saved(post) {
    library.update(post);
    void library.reloadTags();
  },
  showError,
});
const session: PostSession = new PostSession({
  editor,
  form,
  library,
  autosave,
  preview: previewSync,
  showSaveState: (state) => statusBar.showSaveState(state),
  opened: () => siteSync.showBanner(),
  creating: () => indexView.close(),
  showError,
  confirm: confirmDialog,
  saveFailure: () => statusBar.saveFailure(),
});
const flush = () => session.flush();
const history = new HistoryView({ restored: (post) => session.restored(post), showError, flush });
const indexView = new IndexView({ open: (id) => void session.openPost(id), showError, profile: () => statusBar.profile() });
const siteSync = new SiteSync({
  current: () => session.current(),
  editorText: () => editor.text(),
  flush,
  refreshOpen: (post) => {
    session.refresh(post);
    preview.reloadImages();
  },
  reloadList: () => library.reload(),
  openPost: (id) => session.openPost(id),
  notice: showError,
});
const site = new SiteDialogs({ imported: () => library.reload().then(() => library.reloadTags()), showError, flush });
const theme = new Theme({ setPreviewTheme: (css, dark) => preview.setTheme(css, dark), showError });
const siteCss = new SiteCss({ setPreviewCss: (css) => preview.setSiteCss(css), showError });
const dialect = new DialectPicker({ rerender: () => previewSync.request(true), showError });
const images = new ImageInsert({
  editor,
  postId: () => session.current()?.id ?? null,
  rerender: () => previewSync.request(true),
  showError,
});
const linkBar = new LinkBar({ scrollToAnchor: (id) => preview.scrollToAnchor(id), showError });
const openRequests = new OpenRequests({
  openPost: (id) => session.openPost(id),
  newDraft: () => session.newDraft(),
  reloadList: () => library.reload().then(() => library.reloadTags()),
  showError,
});

installTestHooks({
  editor,
  preview,
  previewSync,
  session,
  idle: {
    preview: () => previewSync.idle(),
    highlight: () => previewSync.highlighted(),
    stats: () => statusBar.statsFor() >= previewSync.revision(),
    autosave: () => !autosave.hasPending(),
    library: () => library.idle(),
    siteSync: () => siteSync.idle(),
    scrollSync: () => scroll.idle(),
    dialect: () => dialect.idle(),
    images: () => images.idle(),
  },
  menuLog: () => [...menuLog],
  paneLayout: currentLayout,
});

async function start(): Promise<void> {
  preview.init();
  setupDivider();
  const actions: ShortcutActions = {
    overlays: [linkBar, confirmOverlay, history, indexView],
    toggleIndex,
    openHistory() {
      const post = session.current();
      if (post) void history.open(post.id, post.title);
      return post !== null;
    },
    newDraft: () => void session.newDraft(),
    focusSearch: () => library.focusSearch(),
    save: () => void autosave.flush(),
    togglePreview: () => previewSync.toggle(),
    toggleLibrary,
    cycleTheme: () => theme.cycle(),
    openExport: () => void site.openExport(),
    openImport: () => void site.openImport(),
    stepPost: (delta) => session.step(delta),
    trash: () => void session.trash(),
  };
  installCommands(actions);
  await installMenu({ actions, undo: () => editor.undo(), redo: () => editor.redo() });
  await restoreLayout();
  await theme.start();
  await ipc.onLibraryChanged(() => {
    void library.reload();
    void library.reloadTags();
  });
  await siteCss.start();
  await ipc.onAppError(showError);
  await linkBar.start();
  await images.start();
  await previewSync.start();
  await statusBar.start();
  await ipc.onCloseRequested(() => session.closing());
  window.addEventListener("blur", () => void autosave.flush());
  await site.refreshFolder();
  await dialect.refresh();
  await library.reload();
  void library.reloadTags();
  await openRequests.start();
  // A file the app was started with (or a new draft) opens instead of the first post.
  if (!(await openRequests.take())) await session.openFirst(library.first()?.id ?? null);
}

void start();
