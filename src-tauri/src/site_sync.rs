//! Keeps the library in step with the linked site folder while the app runs: a watcher collects
//! changes, the page is told (`site-changed`), and `sync_site` applies them with the editor's
//! current text, so nothing typed is overwritten. Conflicts wait here until the writer decides;
//! problems (a failed catch-up at start, folders not watched) wait here until the page takes them.
//! The start-up worker gets a clone of [`SiteSync`] and of the library; the commands are in
//! `commands/sync.rs`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use galley::library::Library;
use galley::sync::{OpenPost, Resolution, Resolved, SyncReport};
use galley::watch::{FsChange, SiteWatcher};
use tauri::{Emitter, Runtime};

use crate::error::CommandError;
use crate::library_handle::LibraryHandle;

/// The running watcher and what it has seen but not yet applied. Clones are the same sync.
#[derive(Clone, Default)]
pub struct SiteSync {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    watcher: Mutex<Option<SiteWatcher>>,
    pending: Arc<Mutex<Vec<FsChange>>>,
    /// Unresolved conflicts by post id: the site-relative path they concern.
    conflicts: Mutex<HashMap<i64, String>>,
    /// Problems the writer has not been shown yet (handed over by the next `sync_site`).
    notices: Mutex<Vec<String>>,
}

impl SiteSync {
    /// Watches `root` (replacing any earlier watcher) and queues the changes made while Galley
    /// was closed. The page hears `site-changed` whenever something is queued.
    fn start<R: Runtime>(&self, app: &tauri::AppHandle<R>, root: &Path, catch_up: Vec<FsChange>) -> Result<(), CommandError> {
        let mut slot = self.shared.watcher.lock().map_err(|_| CommandError::poisoned())?;
        slot.take();
        let pending = Arc::clone(&self.shared.pending);
        let notify = app.clone();
        let watcher = SiteWatcher::start(root, move |batch| {
            if let Ok(mut queue) = pending.lock() {
                queue.extend(batch);
            }
            let _ = notify.emit_to("main", "site-changed", ());
        })?;
        if let Some(unwatched) = watcher.unwatched() {
            self.notice(app, unwatched);
        }
        *slot = Some(watcher);
        if !catch_up.is_empty() {
            if let Ok(mut queue) = self.shared.pending.lock() {
                queue.extend(catch_up);
            }
            let _ = app.emit_to("main", "site-changed", ());
        }
        Ok(())
    }

    fn take_pending(&self) -> Vec<FsChange> {
        self.shared.pending.lock().map(|mut queue| std::mem::take(&mut *queue)).unwrap_or_default()
    }

    fn take_notices(&self) -> Vec<String> {
        self.shared.notices.lock().map(|mut notices| std::mem::take(&mut *notices)).unwrap_or_default()
    }

    /// Keeps a problem for the page (the next `sync_site` returns it) and tells the page to sync:
    /// a page not listening yet gets it from its first sync.
    fn notice<R: Runtime>(&self, app: &tauri::AppHandle<R>, message: String) {
        if let Ok(mut notices) = self.shared.notices.lock() {
            notices.push(message);
        }
        let _ = app.emit_to("main", "site-changed", ());
    }

    /// Starts watching the library's linked site folder, if it has one (at start-up and after the
    /// writer picks a folder), on a thread of its own: the catch-up comparison reads every post
    /// file of the folder, which must never hold up the window. Problems are kept for the page
    /// (see [`SiteSync`]), never fatal. The handle lets a test wait for it.
    pub fn watch_linked_site<R: Runtime>(&self, app: &tauri::AppHandle<R>, library: LibraryHandle) -> std::thread::JoinHandle<()> {
        let (sync, app) = (self.clone(), app.clone());
        std::thread::spawn(move || sync.catch_up_and_watch(&app, &library))
    }

    fn catch_up_and_watch<R: Runtime>(&self, app: &tauri::AppHandle<R>, library: &LibraryHandle) {
        let root = match library.lock().and_then(|library| library.linked_site().map_err(CommandError::from)) {
            Ok(Some(root)) => root,
            Ok(None) => return,
            Err(error) => return self.notice(app, error.message),
        };
        if !root.is_dir() {
            let message = format!(
                "The site folder {} cannot be found, so Galley cannot keep your library in step with it. \
                 Put the folder back and restart Galley, or choose the site folder again.",
                root.display()
            );
            return self.notice(app, message);
        }
        // The records are read under the library's lock, the files without it.
        let tracked = library
            .lock()
            .map_err(|error| error.message)
            .and_then(|library| galley::sync::tracked_files(&library, &root).map_err(|error| error.to_string()));
        let catch_up = match tracked {
            Ok(tracked) => galley::sync::scan_tracked(&tracked, &galley::site::Limits::default()),
            Err(message) => {
                let message = format!(
                    "Galley could not compare the site folder {} with your library at start ({message}), so edits made there \
                     while Galley was closed are not in the library yet. They are taken in when the file changes again, or at the next start.",
                    root.display()
                );
                self.notice(app, message);
                Vec::new()
            }
        };
        if let Err(error) = self.start(app, &root, catch_up) {
            let message = format!("Galley cannot watch the site folder {} for changes: {}", root.display(), error.message);
            self.notice(app, message);
        }
    }

    /// Applies the queued site changes. `open_post` / `body` are the editor's post and its current
    /// body (saved first when they differ from the library, so typing counts as a change here).
    pub fn sync(&self, library: &LibraryHandle, open_post: Option<i64>, body: Option<String>) -> Result<SyncReport, CommandError> {
        let changes = self.take_pending();
        if changes.is_empty() {
            return Ok(SyncReport { notices: self.take_notices(), ..SyncReport::default() });
        }
        let mut library = library.lock()?;
        let root = linked_root(&library)?;
        let open_text = match (open_post, body) {
            (Some(id), Some(body)) => library.post(id).ok().map(|post| (id, format!("{}{}", post.front_matter, body))),
            _ => None,
        };
        let open = open_text.as_ref().map(|(post_id, text)| OpenPost { post_id: *post_id, text });
        let mut report = galley::sync::apply_changes(&mut library, &root, &changes, open)?;
        report.notices = self.take_notices();
        let mut conflicts = self.shared.conflicts.lock().map_err(|_| CommandError::poisoned())?;
        for conflict in &report.conflicts {
            conflicts.insert(conflict.post_id, conflict.path.clone());
        }
        Ok(report)
    }

    /// Settles a conflict of this post: keep mine, take theirs or keep both.
    pub fn resolve(&self, library: &LibraryHandle, post_id: i64, resolution: Resolution) -> Result<Resolved, CommandError> {
        let path = self
            .shared
            .conflicts
            .lock()
            .map_err(|_| CommandError::poisoned())?
            .get(&post_id)
            .cloned()
            .ok_or_else(|| CommandError::invalid("this post has no conflict with the site folder any more"))?;
        let mut library = library.lock()?;
        let root = linked_root(&library)?;
        let resolved = galley::sync::resolve_conflict(&mut library, &root, post_id, &path, resolution)?;
        drop(library);
        if let Ok(mut conflicts) = self.shared.conflicts.lock() {
            conflicts.remove(&post_id);
        }
        Ok(resolved)
    }
}

fn linked_root(library: &Library) -> Result<PathBuf, CommandError> {
    library.linked_site()?.ok_or_else(|| CommandError::invalid("no site folder is linked"))
}
