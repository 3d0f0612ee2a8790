//! What the app keeps between commands: the open library and the preview's block cache; how the
//! app opens its library at start (integrity check, backup recovery, sample posts only on the
//! first start of the default library or with `--with-samples`).
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use galley::library::Library;

use crate::error::CommandError;

/// Shared state of the running app.
pub struct AppState {
    library: Mutex<Library>,
    /// The live preview of the open document.
    pub preview: crate::preview::PreviewState,
    /// The linked site folder's watcher and pending changes.
    pub site_sync: crate::site_sync::SiteSync,
}

impl AppState {
    /// Opens (creating if needed, never adding sample posts) the library at `path`.
    pub fn open(path: &Path) -> galley::Result<Self> {
        Ok(Self::with_library(Library::open(path)?.0))
    }

    fn with_library(library: Library) -> Self {
        AppState { library: Mutex::new(library), preview: Default::default(), site_sync: Default::default() }
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
        self.library.lock().map_err(|_| CommandError::poisoned())
    }
}

/// The library the app opens: `--library PATH` on the command line, else `$GALLEY_LIBRARY`,
/// else the default in the OS data directory.
pub fn library_path_from_args(args: impl IntoIterator<Item = String>) -> galley::Result<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--library" {
            if let Some(path) = args.next() {
                return Ok(PathBuf::from(path));
            }
        } else if let Some(path) = arg.strip_prefix("--library=") {
            return Ok(PathBuf::from(path));
        }
    }
    if let Some(path) = std::env::var_os("GALLEY_LIBRARY").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    galley::library::default_library_path()
}

/// Whether a library created at start gets Galley's sample posts: only on the very first start
/// on the default library, or when asked with `--with-samples` (what the end-to-end tests do).
pub fn wants_samples(args: impl IntoIterator<Item = String>, path: &Path) -> bool {
    let asked = args.into_iter().any(|arg| arg == "--with-samples");
    asked || galley::library::default_library_path().is_ok_and(|default| default == path)
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
    fn only_the_default_library_or_with_samples_gets_the_sample_posts() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("new.sqlite3");
        assert!(!wants_samples(["--library".to_string(), other.display().to_string()], &other));
        assert!(wants_samples(["--with-samples".to_string()], &other));
        let default = galley::library::default_library_path().unwrap();
        assert!(wants_samples(Vec::<String>::new(), &default));

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
