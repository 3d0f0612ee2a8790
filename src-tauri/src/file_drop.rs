//! Markdown files dropped on the window open like files given on the command line (imported or
//! found, then shown). Other dropped files are left to their own listeners (images go into the post).
use std::path::PathBuf;

use tauri::{DragDropEvent, Manager, Runtime, WebviewWindow, WindowEvent};

use crate::args::AppArgs;
use crate::library_handle::LibraryHandle;

/// The Markdown files among dropped paths, in order.
pub fn markdown_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter(|path| path.file_name().is_some_and(|name| galley::site::is_markdown(&name.to_string_lossy()))).cloned().collect()
}

/// Opens the Markdown files dropped on `window`.
pub fn listen<R: Runtime>(window: &WebviewWindow<R>, library: LibraryHandle) {
    let app = window.app_handle().clone();
    window.on_window_event(move |event| {
        if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
            let files = markdown_files(paths);
            if !files.is_empty() {
                crate::open_file::handle_args(&app, AppArgs { files, ..AppArgs::default() }, library.clone());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markdown_files_are_taken() {
        let dropped = ["/a/post.md", "/a/photo.png", "/a/Notes.MARKDOWN", "/a/folder", "/a/x.mdown"].map(PathBuf::from);
        assert_eq!(markdown_files(&dropped), ["/a/post.md", "/a/Notes.MARKDOWN", "/a/x.mdown"].map(PathBuf::from));
    }
}
