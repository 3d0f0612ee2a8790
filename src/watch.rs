//! Watching a linked site folder (the only notify user): raw file-system events become settled,
//! deduplicated batches of [`FsChange`] for the Markdown files that can be posts.
//!
//! What is never reported: editor temp, swap and backup files, hidden files and folders (`.git/`,
//! Galley's own export temp files), anything behind a symbolic link (links are never followed),
//! build output and dependency folders. Whether a reported file really changed is decided by
//! [`crate::sync`], which compares the file's bytes with the hash Galley recorded when it last
//! read or wrote that file: Galley's own exports are therefore no-ops there.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::import::Layout;

/// How long a path must stay quiet before its events are reported.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// Folders deeper than this are not entered.
const MAX_DEPTH: usize = 24;

/// Top-level folders that hold build output, dependencies or templates, never posts (the same
/// list the importer skips).
const IGNORED_TOP_DIRS: &[&str] =
    &["node_modules", "public", "_site", "resources", "dist", "target", "themes", "static", "assets", "layouts", "templates"];

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FsChangeKind {
    /// The file exists now with (possibly) new contents: written in place, renamed over,
    /// deleted and created again, or new.
    Changed,
    /// The file no longer exists (deleted, or moved away).
    Removed,
    /// Events were lost (the kernel queue overflowed, or the watcher failed): compare the whole
    /// folder with the library again ([`crate::sync::scan_changes`]). `path` is empty.
    Rescan,
}

/// One settled change of a Markdown file in the site folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FsChange {
    /// Site-relative path, `/`-separated (empty for [`FsChangeKind::Rescan`]).
    pub path: String,
    /// What happened.
    pub kind: FsChangeKind,
}

impl FsChange {
    /// A changed (or new) file.
    pub fn changed(path: impl Into<String>) -> Self {
        FsChange { path: path.into(), kind: FsChangeKind::Changed }
    }

    /// A removed file.
    pub fn removed(path: impl Into<String>) -> Self {
        FsChange { path: path.into(), kind: FsChangeKind::Removed }
    }

    /// "Compare everything again".
    pub fn rescan() -> Self {
        FsChange { path: String::new(), kind: FsChangeKind::Rescan }
    }
}

/// True for Markdown file names (`.md`, `.markdown`, `.mdown`, any case).
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdown")
}

/// True for the names editors give their temporary, swap, lock and backup files: vim (`.x.swp`,
/// `.swx`, `4913`, `x~`), Emacs (`#x#`, `.#x`), VS Code / JetBrains / Kate / Chrome temp files,
/// and hidden files in general (Galley's own export temp files are hidden).
pub fn is_temporary(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", "___jb_tmp___", "___jb_old___", ".kate-swp", ".crswap", ".part"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
}

/// True when a site-relative path can hold a post the watcher reports: a Markdown file that is
/// not a temporary file, not hidden nor inside a hidden folder, and not inside a top-level build
/// or dependency folder.
pub fn is_watched_file(rel: &str) -> bool {
    let mut parts = rel.split('/').peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if part.is_empty() || part.starts_with('.') {
            return false;
        }
        if first && parts.peek().is_some() && IGNORED_TOP_DIRS.contains(&part) {
            return false;
        }
        first = false;
        if parts.peek().is_none() {
            return is_markdown(part) && !is_temporary(part);
        }
    }
    false
}

/// What is at a site-relative path right now (symbolic links are never followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// A regular file, reached through real folders only.
    File,
    /// A folder, reached through real folders only.
    Dir,
    /// Nothing (or something other than a file or folder).
    Missing,
    /// The path itself or one of its folders is a symbolic link.
    Link,
}

/// Looks at a site-relative path one component at a time, never following a link.
pub(crate) fn probe(root: &Path, rel: &str) -> Probe {
    let mut current = root.to_path_buf();
    let mut parts = rel.split('/').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        current.push(part);
        match current.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() => return Probe::Link,
            Ok(meta) if parts.peek().is_none() => {
                return if meta.is_file() {
                    Probe::File
                } else if meta.is_dir() {
                    Probe::Dir
                } else {
                    Probe::Missing
                }
            }
            Ok(meta) if meta.is_dir() => {}
            _ => return Probe::Missing,
        }
    }
    Probe::Dir
}

/// The site-relative, `/`-separated form of an absolute path under `root` (`None` outside it,
/// for the root itself, or for names that are not UTF-8).
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str()?),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// Every watched Markdown file under a site-relative folder ("" for the root), never entering
/// links, hidden folders or (at the top level) build and dependency folders.
fn walk_markdown(root: &Path, rel: &str, depth: usize, out: &mut BTreeSet<String>) {
    let dir = if rel.is_empty() { root.to_path_buf() } else { root.join(rel) };
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else { continue };
        let Ok(file_type) = entry.file_type() else { continue };
        let path = join(rel, &name);
        if file_type.is_symlink() || name.starts_with('.') {
            continue;
        }
        if file_type.is_dir() {
            if depth < MAX_DEPTH && !(rel.is_empty() && IGNORED_TOP_DIRS.contains(&name.as_str())) {
                walk_markdown(root, &path, depth + 1, out);
            }
        } else if file_type.is_file() && is_watched_file(&path) {
            out.insert(path);
        }
    }
}

type Inner = Debouncer<RecommendedWatcher, RecommendedCache>;

/// State shared between the [`SiteWatcher`] handle and the debouncer's thread.
struct Shared {
    root: PathBuf,
    layout: Layout,
    stopped: AtomicBool,
    /// Paths whose events are dropped until the deadline (see [`SiteWatcher::ignore_for`]).
    ignored: Mutex<HashMap<String, Instant>>,
    /// The watched Markdown files known to exist, so that a removed or renamed folder reports
    /// each file that was in it.
    known: Mutex<BTreeSet<String>>,
    /// The debouncer, so that content folders created later can be watched too.
    debouncer: Mutex<Option<Inner>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// The folders watched recursively: the whole site for a plain folder, else its content
    /// folders (the root itself is always watched, non-recursively, to see them appear).
    fn content_dirs(&self) -> Vec<String> {
        self.layout.content_roots().iter().map(|r| r.to_string()).collect()
    }

    /// Starts watching every content folder that exists now (watching one again is harmless).
    fn watch_content_dirs(&self, debouncer: &mut Inner) -> notify::Result<()> {
        for dir in self.content_dirs() {
            if dir.is_empty() {
                debouncer.watch(&self.root, RecursiveMode::Recursive)?;
            } else if probe(&self.root, &dir) == Probe::Dir {
                debouncer.watch(self.root.join(&dir), RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }

    /// True when a site-relative path lies inside the watched part of the site: anywhere in a
    /// plain folder, else the top level and the content folders.
    fn in_scope(&self, rel: &str) -> bool {
        !rel.contains('/')
            || self.content_dirs().iter().any(|dir| dir.is_empty() || rel == dir || rel.starts_with(&format!("{dir}/")))
    }

    /// The folders to walk when the folder `rel` appears: itself in a plain folder (unless it is
    /// a build or dependency folder) or inside a content folder; the content folders it holds.
    fn dirs_to_walk(&self, rel: &str) -> Vec<String> {
        let mut dirs = Vec::new();
        for dir in self.content_dirs() {
            if dir.is_empty() {
                if !IGNORED_TOP_DIRS.contains(&rel) {
                    dirs.push(rel.to_string());
                }
            } else if rel == dir || rel.starts_with(&format!("{dir}/")) {
                dirs.push(rel.to_string());
            } else if dir.starts_with(&format!("{rel}/")) && probe(&self.root, &dir) == Probe::Dir {
                dirs.push(dir);
            }
        }
        dirs
    }

    /// Turns a debounced batch into settled changes, judged by what is on disk now.
    fn changes_of(&self, events: &[DebouncedEvent]) -> Vec<FsChange> {
        if events.iter().any(|e| e.need_rescan()) {
            self.rebuild_known();
            return vec![FsChange::rescan()];
        }
        // Each path once, remembering whether something was created or renamed there.
        let mut touched: BTreeMap<String, bool> = BTreeMap::new();
        for event in events {
            let arrived = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)));
            for path in &event.paths {
                if let Some(rel) = relative(&self.root, path) {
                    if rel.split('/').any(|part| part.starts_with('.')) || !self.in_scope(&rel) {
                        continue;
                    }
                    *touched.entry(rel).or_default() |= arrived;
                }
            }
        }
        let mut changes: BTreeMap<String, FsChangeKind> = BTreeMap::new();
        let mut new_content_dir = false;
        {
            let mut known = lock(&self.known);
            for (rel, arrived) in touched {
                match probe(&self.root, &rel) {
                    Probe::File if is_watched_file(&rel) => {
                        known.insert(rel.clone());
                        changes.insert(rel, FsChangeKind::Changed);
                    }
                    Probe::File => {}
                    Probe::Dir => {
                        if !arrived {
                            continue;
                        }
                        // A folder created, or renamed into place: everything in it is new here,
                        // and a file known under that name before is gone.
                        let mut found = BTreeSet::new();
                        for dir in self.dirs_to_walk(&rel) {
                            walk_markdown(&self.root, &dir, dir.split('/').count(), &mut found);
                        }
                        let prefix = format!("{rel}/");
                        let gone: Vec<String> =
                            known.range(prefix.clone()..).take_while(|k| k.starts_with(&prefix)).filter(|k| !found.contains(*k)).cloned().collect();
                        for path in gone {
                            known.remove(&path);
                            changes.insert(path, FsChangeKind::Removed);
                        }
                        for path in found {
                            known.insert(path.clone());
                            changes.insert(path, FsChangeKind::Changed);
                        }
                        new_content_dir |= self.content_dirs().iter().any(|dir| !dir.is_empty() && (dir == &rel || dir.starts_with(&prefix)));
                    }
                    probed @ (Probe::Missing | Probe::Link) => {
                        // Gone, or replaced by a link (never followed): the file, or every
                        // known file of a folder that was removed or moved away. A new link is
                        // not reported at all.
                        if known.remove(&rel) || (probed == Probe::Missing && is_watched_file(&rel)) {
                            changes.insert(rel.clone(), FsChangeKind::Removed);
                        }
                        let prefix = format!("{rel}/");
                        let gone: Vec<String> = known.range(prefix.clone()..).take_while(|k| k.starts_with(&prefix)).cloned().collect();
                        for path in gone {
                            known.remove(&path);
                            changes.insert(path, FsChangeKind::Removed);
                        }
                    }
                }
            }
        }
        if new_content_dir {
            if let Some(debouncer) = lock(&self.debouncer).as_mut() {
                let _ = self.watch_content_dirs(debouncer);
            }
        }
        let now = Instant::now();
        let mut ignored = lock(&self.ignored);
        ignored.retain(|_, until| *until > now);
        changes
            .into_iter()
            .filter(|(path, _)| !ignored.contains_key(path))
            .map(|(path, kind)| FsChange { path, kind })
            .collect()
    }

    fn rebuild_known(&self) {
        let mut found = BTreeSet::new();
        for dir in self.content_dirs() {
            if dir.is_empty() || probe(&self.root, &dir) == Probe::Dir {
                walk_markdown(&self.root, &dir, dir.split('/').filter(|p| !p.is_empty()).count(), &mut found);
            }
        }
        let root_files = std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| is_watched_file(name));
        found.extend(root_files);
        *lock(&self.known) = found;
    }
}

/// A running watch of a site folder. Dropping it stops the watch: once `drop` returns, the
/// callback is not called again.
pub struct SiteWatcher {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteWatcher").field("root", &self.shared.root).finish()
    }
}

impl SiteWatcher {
    /// Starts watching the site folder `root`. `on_batch` is called on the watcher's own thread
    /// with each settled batch (paths quiet for [`DEBOUNCE`]), never with an empty one; a burst
    /// such as a `git checkout` of many files arrives as one or a few batches describing the
    /// final state. Plain folders are watched whole; Hugo, Zola, Jekyll and Astro sites only in
    /// their content folders (plus Markdown files at the top level), so `node_modules/` and
    /// build output cost nothing.
    ///
    /// Keep `on_batch` short (send the batch to a channel or an async task): dropping the
    /// watcher waits for a running callback to return, so a callback that waits for a lock held
    /// by the code dropping the watcher would never finish.
    pub fn start(root: &Path, on_batch: impl Fn(Vec<FsChange>) + Send + 'static) -> Result<SiteWatcher> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        if !root.is_dir() {
            return Err(Error::Invalid(format!("{} is not a folder", root.display())));
        }
        let shared = Arc::new(Shared {
            layout: Layout::detect(&root),
            root: root.clone(),
            stopped: AtomicBool::new(false),
            ignored: Mutex::new(HashMap::new()),
            known: Mutex::new(BTreeSet::new()),
            debouncer: Mutex::new(None),
        });
        shared.rebuild_known();
        let handler_shared = Arc::clone(&shared);
        let handler = move |result: DebounceEventResult| {
            if handler_shared.stopped.load(Ordering::Acquire) {
                return;
            }
            let changes = match result {
                Ok(events) => handler_shared.changes_of(&events),
                // The watcher lost track (a watched folder vanished, a kernel limit): ask for a
                // full comparison rather than miss something.
                Err(_) => vec![FsChange::rescan()],
            };
            if !changes.is_empty() && !handler_shared.stopped.load(Ordering::Acquire) {
                on_batch(changes);
            }
        };
        let watch_error = |e: notify::Error| Error::Watch { path: root.clone(), message: e.to_string() };
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut debouncer: Inner = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config).map_err(watch_error)?;
        let recursive_root = shared.content_dirs().iter().any(|d| d.is_empty());
        if !recursive_root {
            debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(watch_error)?;
        }
        shared.watch_content_dirs(&mut debouncer).map_err(watch_error)?;
        *lock(&shared.debouncer) = Some(debouncer);
        Ok(SiteWatcher { shared })
    }

    /// The watched folder (canonical).
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// Drops every event for this site-relative path until `duration` has passed. The hash
    /// comparison in [`crate::sync`] already makes Galley's own writes no-ops; this is for a
    /// writer that records its hashes only later (or not at all).
    pub fn ignore_for(&self, path: &str, duration: Duration) {
        lock(&self.shared.ignored).insert(path.to_string(), Instant::now() + duration);
    }

    /// Stops the watch now (the same as dropping it).
    pub fn stop(self) {}
}

impl Drop for SiteWatcher {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::Release);
        let debouncer = lock(&self.shared.debouncer).take();
        if let Some(debouncer) = debouncer {
            // Joins the debouncer's thread: no callback runs after this returns.
            debouncer.stop();
        }
    }
}

/// Watches one file (the preview's site stylesheet) for content changes: writes in place,
/// replacement by rename (how editors save), creation and removal. Reads and opens are not
/// changes, so reading the file never wakes the watcher.
pub struct FileWatcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl FileWatcher {
    /// Calls `on_change` (on the watcher's thread; keep it short) after `file` settles from a
    /// change. The file's folder is watched, not the file, so a save by rename is seen too.
    pub fn start(file: &Path, on_change: impl Fn() + Send + 'static) -> Result<FileWatcher> {
        let folder = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = file.file_name().map(|n| n.to_os_string());
        let handler = move |result: DebounceEventResult| {
            let touched = match result {
                Ok(events) => events.iter().any(|event| {
                    is_content_change(&event.kind) && event.paths.iter().any(|p| p.file_name().map(|n| n.to_os_string()) == name)
                }),
                Err(_) => true,
            };
            if touched {
                on_change();
            }
        };
        let watch_error = |e: notify::Error| Error::Watch { path: folder.to_path_buf(), message: e.to_string() };
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut debouncer = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config).map_err(watch_error)?;
        debouncer.watch(folder, RecursiveMode::NonRecursive).map_err(watch_error)?;
        Ok(FileWatcher { _debouncer: debouncer })
    }
}

/// True for events that can change what a file holds (never for reads, opens or closes without
/// writing, nor for metadata such as access times).
pub fn is_content_change(kind: &EventKind) -> bool {
    use notify::event::AccessKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other | EventKind::Any => false,
    }
}
