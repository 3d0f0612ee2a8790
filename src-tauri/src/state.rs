//! What the app keeps between commands: the open library and the preview's block cache.
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
    /// Opens (creating and seeding with the sample posts on first use) the library at `path`.
    pub fn open(path: &Path) -> galley::Result<Self> {
        let (mut library, fresh) = Library::open(path)?;
        if fresh {
            galley::samples::seed(&mut library)?;
        }
        Ok(AppState { library: Mutex::new(library), preview: Default::default(), site_sync: Default::default() })
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
