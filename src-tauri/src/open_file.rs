//! Files and requests that reach the running app from outside the page: `galley-app FILE.md`, a
//! second launch (forwarded by tauri-plugin-single-instance), "New draft" from the desktop entry,
//! a Markdown file dropped on the window. Each file is imported or found by the core
//! ([`galley::open_file`]) on a worker; the outcome waits in [`OpenRequests`] until the page takes
//! it (`take_open_requests`), and `open-requested` tells the page to look.
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use galley::import::ImportAction;
use serde::Serialize;
use tauri::{Emitter, Manager, Runtime};

use crate::args::AppArgs;
use crate::library_handle::LibraryHandle;

/// What the page is asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpenRequest {
    /// Open this post (a file was imported or found). `imported`: the list has a new or changed
    /// post to show; `notice`: what the writer should know.
    Post { id: i64, imported: bool, notice: Option<String> },
    /// Start a new draft (the desktop entry's "New draft" action).
    NewDraft,
    /// A file could not be opened: why, in words.
    Failed { message: String },
}

/// Requests not yet taken by the page (it may still be loading when the first arrives).
#[derive(Default)]
pub struct OpenRequests(Mutex<Vec<OpenRequest>>);

impl OpenRequests {
    /// Adds a request.
    pub fn push(&self, request: OpenRequest) {
        if let Ok(mut pending) = self.0.lock() {
            pending.push(request);
        }
    }

    /// Takes every waiting request, oldest first.
    pub fn take(&self) -> Vec<OpenRequest> {
        self.0.lock().map(|mut pending| std::mem::take(&mut *pending)).unwrap_or_default()
    }
}

/// Imports or finds one file and says what the page should do with it.
pub fn open_request(library: &LibraryHandle, file: &Path) -> OpenRequest {
    let opened = match library.lock() {
        Ok(mut library) => galley::open_file::open_file(&mut library, file).map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    };
    match opened {
        Ok(opened) => OpenRequest::Post {
            id: opened.post_id,
            imported: matches!(opened.action, ImportAction::Create | ImportAction::Update),
            notice: opened.notice,
        },
        Err(message) => OpenRequest::Failed { message: format!("Galley could not open {message}") },
    }
}

/// Handles what a command line asks of a running app (its own at start, or a second launch's):
/// files are opened on a worker (in order), then the page is told; a second launch also brings
/// the window to the front.
pub fn handle_args<R: Runtime>(app: &tauri::AppHandle<R>, args: AppArgs, library: LibraryHandle) {
    if args.files.is_empty() && !args.new_draft {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let requests = app.state::<OpenRequests>();
        for file in &args.files {
            requests.push(open_request(&library, file));
        }
        if args.new_draft {
            requests.push(OpenRequest::NewDraft);
        }
        let _ = app.emit_to("main", "open-requested", ());
    });
}

/// What tauri-plugin-single-instance calls in the running app when Galley is launched again: the
/// window comes to the front and the second launch's files (relative to its own folder) open here.
pub fn second_launch<R: Runtime>(app: &tauri::AppHandle<R>, argv: Vec<String>, cwd: String, library: LibraryHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    match AppArgs::parse(argv.into_iter().skip(1)) {
        Ok(mut args) => {
            args.files = args.files.into_iter().map(|file| absolute(Path::new(&cwd), file)).collect();
            if let Some(id) = args.menu_item.take() {
                crate::menu::handle(app, &id);
            }
            handle_args(app, args, library);
        }
        Err(error) => {
            app.state::<OpenRequests>().push(OpenRequest::Failed { message: format!("Galley was started again with {error}") });
            let _ = app.emit_to("main", "open-requested", ());
        }
    }
}

/// The app's single-instance name on the D-Bus session bus: one window per library. Launching
/// Galley again on the same library (the default one, from the desktop) hands the arguments to the
/// running window; another library (`--library`) opens a window of its own.
pub fn instance_id(library: &Path) -> String {
    let canonical = library.canonicalize().unwrap_or_else(|_| library.to_path_buf());
    let hash = galley::site::content_hash(canonical.as_os_str().as_encoded_bytes());
    format!("dev.galley.app.library_{}", &hash[..16])
}

fn absolute(cwd: &Path, file: PathBuf) -> PathBuf {
    if file.is_absolute() {
        file
    } else {
        cwd.join(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_instance_name_per_library_whatever_its_spelling() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sqlite3"), b"").unwrap();
        let a = instance_id(&dir.path().join("a.sqlite3"));
        assert_eq!(a, instance_id(&dir.path().join(".").join("a.sqlite3")));
        assert_ne!(a, instance_id(&dir.path().join("b.sqlite3")));
        // A D-Bus well-known name: dot-separated elements of letters, digits and _, none starting with a digit.
        assert!(a.split('.').all(|part| !part.is_empty()
            && !part.starts_with(|c: char| c.is_ascii_digit())
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
    }
}
