//! What the app keeps between commands: the open library and the services (the preview, the site
//! folder's sync, the stylesheet watch), each owning its state and handed to its own workers; how
//! the app opens its library at start (integrity check, backup recovery, sample posts only when
//! the command line asks, see [`crate::args`]) and backs it up while it runs.
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

use galley::library::Library;

use crate::error::CommandError;
use crate::library_handle::LibraryHandle;
use crate::preview::PreviewState;
use crate::site_sync::SiteSync;
use crate::stylesheet_watch::StylesheetWatch;

/// Shared state of the running app.
pub struct AppState {
    library: LibraryHandle,
    /// The live preview of the open document.
    pub preview: PreviewState,
    /// The linked site folder's watcher and pending changes.
    pub site_sync: SiteSync,
    /// The watch on the stylesheet the preview borrows from the site.
    pub stylesheet: StylesheetWatch,
}

impl AppState {
    /// Opens (creating if needed, never adding sample posts) the library at `path`.
    pub fn open(path: &Path) -> galley::Result<Self> {
        Ok(Self::with_library(Library::open(path)?.0))
    }

    fn with_library(library: Library) -> Self {
        AppState {
            library: LibraryHandle::new(library),
            preview: PreviewState::default(),
            site_sync: SiteSync::default(),
            stylesheet: StylesheetWatch::default(),
        }
    }

    /// Opens the library as the app starts: checks its integrity (a damaged library is set aside
    /// for the newest good backup, see [`galley::library::backup::open_checked`]) and adds the
    /// sample posts to a library created now when `samples` says so. Returns the state and, when
    /// the library was damaged, what the writer must be told.
    pub fn start(path: &Path, samples: bool) -> galley::Result<(Self, Option<String>)> {
        let opened = galley::library::backup::open_checked(path)?;
        let mut library = opened.library;
        if opened.fresh && samples {
            galley::samples::seed(&mut library)?;
        }
        Ok((Self::with_library(library), opened.notice))
    }

    /// The library, locked for one command.
    pub fn library(&self) -> Result<MutexGuard<'_, Library>, CommandError> {
        self.library.lock()
    }

    /// The library as services take it (a worker that outlives the command keeps a clone and
    /// locks it per step).
    pub fn library_handle(&self) -> &LibraryHandle {
        &self.library
    }

    /// Starts keeping the library in step with its linked site folder, if it has one (see
    /// [`SiteSync::watch_linked_site`]). The handle lets a test wait for the catch-up.
    pub fn watch_linked_site<R: tauri::Runtime>(&self, app: &tauri::AppHandle<R>) -> std::thread::JoinHandle<()> {
        self.site_sync.watch_linked_site(app, self.library.clone())
    }
}

/// Hours of writing between two backups while the app runs (one is also made at start).
pub const BACKUP_EVERY: std::time::Duration = std::time::Duration::from_secs(4 * 3600);

/// Backs the library up now (unless the newest backup holds the same) and then whenever the
/// newest backup is older than [`BACKUP_EVERY`] and the library changed, on a thread of its own
/// (the copy reads through its own connection: no command waits for it). Failures go to
/// `report`.
pub fn keep_backing_up(path: PathBuf, report: impl Fn(String) + Send + 'static) {
    std::thread::spawn(move || {
        let mut due = true;
        loop {
            if due {
                if let Err(error) = galley::library::backup::backup_if_changed(&path) {
                    report(format!("Galley could not back up the library: {error}"));
                }
            }
            // Checked every 10 minutes (an unchanged library is not copied again).
            std::thread::sleep(std::time::Duration::from_secs(600));
            due = galley::library::backup::backup_due(&path, BACKUP_EVERY);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fresh_library_asked_for_them_gets_the_sample_posts() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("new.sqlite3");
        let (plain, notice) = AppState::start(&other, false).unwrap();
        assert!(notice.is_none());
        assert_eq!(plain.library().unwrap().list(None).unwrap().len(), 0);
        let seeded = dir.path().join("seeded.sqlite3");
        let (state, _) = AppState::start(&seeded, true).unwrap();
        assert_eq!(state.library().unwrap().list(None).unwrap().len(), 3);
        drop(state);
        // Not fresh any more: a second start adds nothing.
        let (state, _) = AppState::start(&seeded, true).unwrap();
        assert_eq!(state.library().unwrap().list(None).unwrap().len(), 3);
    }
}
