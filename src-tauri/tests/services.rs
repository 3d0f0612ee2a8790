//! The app's services on their own, in an app that manages no `AppState`: each works with what it
//! is handed (its own state, the library), so none reaches back into the app's other state.
use std::sync::mpsc;
use std::time::Duration;

use galley_app::library_handle::LibraryHandle;
use galley_app::preview::PreviewState;
use galley_app::site_sync::SiteSync;
use tauri::Listener;

/// The first payload of `event`, within a few seconds.
fn first_event(app: &tauri::App<tauri::test::MockRuntime>, event: &str) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    app.listen_any(event, move |event| {
        let _ = sender.send(event.payload().to_string());
    });
    receiver
}

#[test]
fn the_preview_workers_highlight_and_count_with_their_own_state() {
    let app = tauri::test::mock_app();
    let highlighted = first_event(&app, "preview-highlight");
    let counted = first_event(&app, "preview-stats");
    let preview = PreviewState::default();
    let text = "# Title\n\nSome words here.\n\n```go\nfunc main() {}\n```\n";
    let output = preview.render_text(app.handle(), text.to_string(), 1, true).unwrap();
    let highlight = highlighted.recv_timeout(Duration::from_secs(10)).expect("preview-highlight from the worker");
    assert!(highlight.contains("func"), "{highlight}");
    let stats: serde_json::Value =
        serde_json::from_str(&counted.recv_timeout(Duration::from_secs(10)).expect("preview-stats from the worker")).unwrap();
    assert_eq!(stats["revision"], output.revision);
    assert!(stats["stats"]["words"].as_u64().unwrap() >= 4, "{stats}");
}

#[test]
fn the_site_sync_worker_needs_only_its_library() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, _) = galley::library::Library::open(&dir.path().join("library.sqlite3")).unwrap();
    library.set_linked_site(Some(&dir.path().join("gone"))).unwrap();
    let library = LibraryHandle::new(library);
    let app = tauri::test::mock_app();
    let sync = SiteSync::default();
    sync.watch_linked_site(app.handle(), library.clone()).join().expect("the catch-up worker ends without a panic");
    let report = sync.sync(&library, None, None).unwrap();
    assert_eq!(report.notices.len(), 1, "{:?}", report.notices);
    assert!(report.notices[0].contains("cannot be found"), "{}", report.notices[0]);
}
