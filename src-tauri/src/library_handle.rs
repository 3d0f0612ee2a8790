//! The open library as the app shares it: one connection behind a lock, handed (cloned) to the
//! commands' state and to each worker that needs it, which locks it only for its own steps.
use std::sync::{Arc, Mutex, MutexGuard};

use galley::library::Library;

use crate::error::CommandError;

/// The app's library; clones are the same library.
#[derive(Clone)]
pub struct LibraryHandle(Arc<Mutex<Library>>);

impl LibraryHandle {
    /// Shares `library`.
    pub fn new(library: Library) -> Self {
        LibraryHandle(Arc::new(Mutex::new(library)))
    }

    /// The library, locked for one step (a command, a worker's read).
    pub fn lock(&self) -> Result<MutexGuard<'_, Library>, CommandError> {
        self.0.lock().map_err(|_| CommandError::poisoned())
    }
}
