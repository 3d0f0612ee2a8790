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

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::site::{self, is_watched_file, probe, Layout, Limits, Probe, Walk, IGNORED_TOP_DIRS};

/// How long a path must stay quiet before its events are reported.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

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

/// True for the events that can mean new contents at a path: created, written, renamed,
/// removed. Opening, reading and closing a file (Galley's own reads included) and metadata
/// changes are not: reacting to them would make every read start another read.
fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

type Inner = Debouncer<RecommendedWatcher, RecommendedCache>;

/// State shared between the [`SiteWatcher`] handle and the debouncer's thread.
struct Shared {
    root: PathBuf,
    layout: Layout,
    limits: Limits,
    stopped: AtomicBool,
    /// Paths whose events are dropped until the deadline (see [`SiteWatcher::ignore_for`]).
    ignored: Mutex<HashMap<String, Instant>>,
    /// The watched Markdown files known to exist, so that a removed or renamed folder reports
    /// each file that was in it.
    known: Mutex<BTreeSet<String>>,
    /// The folders watched (each one on its own, so that their number stays bounded), site-relative.
    watched: Mutex<BTreeSet<String>>,
    /// What is not watched because of a limit, in words.
    unwatched: Mutex<Option<String>>,
    /// The debouncer, so that folders created later can be watched too.
    debouncer: Mutex<Option<Inner>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The entries of `set` inside the site-relative folder `rel` (every entry but "" for the top).
fn under<'a>(set: &'a BTreeSet<String>, rel: &str) -> Vec<&'a String> {
    if rel.is_empty() {
        return set.iter().filter(|k| !k.is_empty()).collect();
    }
    let prefix = format!("{rel}/");
    set.range(prefix.clone()..).take_while(|k| k.starts_with(&prefix)).collect()
}

impl Shared {
    /// The folders whose whole tree is watched: the site for a plain folder, else its content
    /// folders (the top level itself is always watched, to see them appear).
    fn content_dirs(&self) -> Vec<String> {
        self.layout.content_roots().iter().map(|r| r.to_string()).collect()
    }

    /// Walks the site-relative folders `dirs` (within the depth and folder limits), watches each
    /// folder found, and returns the watched Markdown files in them. Watching a folder again is
    /// harmless.
    fn walk_and_watch(&self, dirs: &[String]) -> notify::Result<BTreeSet<String>> {
        let mut slot = lock(&self.debouncer);
        let Some(debouncer) = slot.as_mut() else { return Ok(BTreeSet::new()) };
        let mut watched = lock(&self.watched);
        // Folders walked again are counted again.
        for dir in dirs {
            let again: Vec<String> = under(&watched, dir).into_iter().cloned().collect();
            for folder in again {
                watched.remove(&folder);
            }
            watched.remove(dir);
        }
        let mut folders_left = self.limits.max_folders.saturating_sub(watched.len());
        let mut walked = Walk::default();
        for dir in dirs {
            site::walk(&self.root, dir, &self.limits, &mut folders_left, &mut walked);
        }
        for folder in walked.folders {
            let path = if folder.is_empty() { self.root.clone() } else { self.root.join(&folder) };
            debouncer.watch(&path, RecursiveMode::NonRecursive)?;
            watched.insert(folder);
        }
        if walked.truncated {
            *lock(&self.unwatched) = Some(format!(
                "{} has more than {} folders: only {} of them are watched for changes; edits in the others are taken in at the next start",
                self.root.display(),
                self.limits.max_folders,
                self.limits.max_folders
            ));
        }
        Ok(walked.files.into_iter().filter(|f| is_watched_file(f)).collect())
    }

    /// Stops watching a folder that is gone (and the folders that were in it).
    fn forget_folder(&self, rel: &str) {
        let mut watched = lock(&self.watched);
        let mut gone: Vec<String> = under(&watched, rel).into_iter().cloned().collect();
        if watched.contains(rel) {
            gone.push(rel.to_string());
        }
        if gone.is_empty() {
            return;
        }
        for folder in &gone {
            watched.remove(folder);
        }
        drop(watched);
        if let Some(debouncer) = lock(&self.debouncer).as_mut() {
            for folder in gone {
                // The kernel already dropped the watch of a removed folder.
                let _ = debouncer.unwatch(self.root.join(folder));
            }
        }
    }

    /// True when a site-relative path lies inside the watched part of the site: anywhere in a
    /// plain folder, else the top level and the content folders.
    fn in_scope(&self, rel: &str) -> bool {
        !rel.contains('/') || self.content_dirs().iter().any(|dir| dir.is_empty() || rel == dir || rel.starts_with(&format!("{dir}/")))
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

    /// Turns a debounced batch into settled changes, judged by what is on disk now. Only
    /// content changes count (see [`is_content_change`]).
    fn changes_of(&self, events: &[DebouncedEvent]) -> Vec<FsChange> {
        if events.iter().any(|e| e.need_rescan()) {
            let _ = self.rebuild_known();
            return vec![FsChange::rescan()];
        }
        // Each path once, remembering whether something was created or renamed there.
        let mut touched: BTreeMap<String, bool> = BTreeMap::new();
        for event in events.iter().filter(|e| is_content_change(&e.kind)) {
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
        // What is at each path now; folders that arrived are walked (and watched) first.
        let mut probed: Vec<(String, Probe, Option<BTreeSet<String>>)> = Vec::new();
        for (rel, arrived) in touched {
            let now = probe(&self.root, &rel);
            let found = match now {
                Probe::Dir if arrived => {
                    // A folder created, or renamed into place: everything in it is new here
                    // (a content folder appearing inside it is watched from now on).
                    match self.walk_and_watch(&self.dirs_to_walk(&rel)) {
                        Ok(found) => Some(found),
                        Err(_) => return vec![FsChange::rescan()],
                    }
                }
                Probe::Dir => continue,
                Probe::Missing | Probe::Link => {
                    self.forget_folder(&rel);
                    None
                }
                Probe::File => None,
            };
            probed.push((rel, now, found));
        }
        let mut changes: BTreeMap<String, FsChangeKind> = BTreeMap::new();
        {
            let mut known = lock(&self.known);
            for (rel, now, found) in probed {
                match now {
                    Probe::File if is_watched_file(&rel) || (site::policy::is_watched_asset(&rel) && in_bundle(&self.root, &rel)) => {
                        known.insert(rel.clone());
                        changes.insert(rel, FsChangeKind::Changed);
                    }
                    Probe::File => {}
                    Probe::Dir => {
                        let found = found.unwrap_or_default();
                        // A file known under that name before is gone.
                        let gone: Vec<String> = under(&known, &rel).into_iter().filter(|k| !found.contains(*k)).cloned().collect();
                        for path in gone {
                            known.remove(&path);
                            changes.insert(path, FsChangeKind::Removed);
                        }
                        for path in found {
                            known.insert(path.clone());
                            changes.insert(path, FsChangeKind::Changed);
                        }
                    }
                    Probe::Missing | Probe::Link => {
                        // Gone, or replaced by a link (never followed): the file, or every
                        // known file of a folder that was removed or moved away. A new link is
                        // not reported at all.
                        if known.remove(&rel) || (now == Probe::Missing && is_watched_file(&rel)) {
                            changes.insert(rel.clone(), FsChangeKind::Removed);
                        }
                        let gone: Vec<String> = under(&known, &rel).into_iter().cloned().collect();
                        for path in gone {
                            known.remove(&path);
                            changes.insert(path, FsChangeKind::Removed);
                        }
                    }
                }
            }
        }
        let now = Instant::now();
        let mut ignored = lock(&self.ignored);
        ignored.retain(|_, until| *until > now);
        changes.into_iter().filter(|(path, _)| !ignored.contains_key(path)).map(|(path, kind)| FsChange { path, kind }).collect()
    }

    /// Walks (and watches) the whole watched part of the site again and rebuilds the known
    /// files: the content folders' trees, and the top level on its own when the whole site is
    /// not content (its Markdown files, and content folders appearing).
    fn rebuild_known(&self) -> notify::Result<()> {
        let content = self.content_dirs();
        let mut found = self.walk_and_watch(&content)?;
        if !content.iter().any(String::is_empty) {
            if let Some(debouncer) = lock(&self.debouncer).as_mut() {
                debouncer.watch(&self.root, RecursiveMode::NonRecursive)?;
            }
            lock(&self.watched).insert(String::new());
            let root_files = std::fs::read_dir(&self.root)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|name| is_watched_file(name));
            found.extend(root_files);
        }
        *lock(&self.known) = found;
        Ok(())
    }
}

/// True when a file is inside a page bundle: one of its folders (below the site folder) holds an
/// `index.md` (the images of a bundle are reported, other non-Markdown files are not).
fn in_bundle(root: &Path, rel: &str) -> bool {
    std::iter::successors(rel.rsplit_once('/').map(|(folder, _)| folder), |folder| folder.rsplit_once('/').map(|(up, _)| up)).any(
        |folder| ["index.md", "index.markdown", "index.mdown"].iter().any(|index| probe(root, &format!("{folder}/{index}")) == Probe::File),
    )
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
        Self::start_with(root, &Limits::default(), on_batch)
    }

    /// [`SiteWatcher::start`] within the given limits: folders deeper than `max_depth` and
    /// beyond the first `max_folders` are not watched (see [`SiteWatcher::unwatched`]).
    pub fn start_with(root: &Path, limits: &Limits, on_batch: impl Fn(Vec<FsChange>) + Send + 'static) -> Result<SiteWatcher> {
        let root = site::root(root)?;
        let shared = Arc::new(Shared {
            layout: Layout::detect(&root),
            root: root.clone(),
            limits: *limits,
            stopped: AtomicBool::new(false),
            ignored: Mutex::new(HashMap::new()),
            known: Mutex::new(BTreeSet::new()),
            watched: Mutex::new(BTreeSet::new()),
            unwatched: Mutex::new(None),
            debouncer: Mutex::new(None),
        });
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
        let debouncer: Inner = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config).map_err(watch_error)?;
        *lock(&shared.debouncer) = Some(debouncer);
        if let Err(error) = shared.rebuild_known() {
            shared.stopped.store(true, Ordering::Release);
            if let Some(debouncer) = lock(&shared.debouncer).take() {
                debouncer.stop();
            }
            return Err(watch_error(error));
        }
        Ok(SiteWatcher { shared })
    }

    /// The watched folder (canonical).
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// What part of the site is not watched because it has too many folders, in words (`None`
    /// when everything is watched).
    pub fn unwatched(&self) -> Option<String> {
        lock(&self.shared.unwatched).clone()
    }

    /// How many folders are watched now.
    pub fn watched_folders(&self) -> usize {
        lock(&self.shared.watched).len()
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
