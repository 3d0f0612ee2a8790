//! Watches the stylesheet the preview borrows from the site, so the preview reloads it when the
//! file changes (event `site-css-changed`) without polling.
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{Emitter, Runtime};

/// The watched stylesheet, if any.
#[derive(Default)]
pub struct StylesheetWatch {
    watching: Mutex<Option<(PathBuf, galley::watch::FileWatcher)>>,
}

impl StylesheetWatch {
    /// Watches `path` (replacing the watch of another file), or nothing.
    pub fn follow<R: Runtime>(&self, app: &tauri::AppHandle<R>, path: Option<&Path>) {
        let Ok(mut watching) = self.watching.lock() else { return };
        if watching.as_ref().map(|(watched, _)| watched.as_path()) == path {
            return;
        }
        *watching = None;
        if let Some(path) = path {
            let app = app.clone();
            match galley::watch::FileWatcher::start(path, move || {
                let _ = app.emit_to("main", "site-css-changed", ());
            }) {
                Ok(watcher) => *watching = Some((path.to_path_buf(), watcher)),
                Err(error) => eprintln!("galley: cannot watch the preview stylesheet: {error}"),
            }
        }
    }
}
