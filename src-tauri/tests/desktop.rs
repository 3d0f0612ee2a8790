//! Command tests for the desktop side: files opened from outside reach the page as requests (a
//! post imported once then found, refusals in words), and the pane layout is remembered.
mod common;
use common::{invoke, test_app};
use galley_app::open_file::{open_request, OpenRequest, OpenRequests};
use galley_app::state::AppState;
use serde_json::json;
use tauri::Manager;

#[test]
fn an_opened_file_reaches_the_page_once_as_its_post() {
    let app = test_app();
    let file = app._dir.path().join("dropped.md");
    std::fs::write(&file, "---\ntitle: Dropped on the window\n---\nBody.\n").unwrap();
    let library = app._app.state::<AppState>().library_handle().clone();

    let first = open_request(&library, &file);
    let OpenRequest::Post { id, imported: true, notice: None } = first else { panic!("not imported: {first:?}") };
    assert_eq!(open_request(&library, &file), OpenRequest::Post { id, imported: false, notice: None }, "found the second time");

    let requests = app._app.state::<OpenRequests>();
    requests.push(first);
    requests.push(OpenRequest::NewDraft);
    let taken = invoke(&app, "take_open_requests", json!({})).unwrap();
    assert_eq!(taken, json!([{ "kind": "post", "id": id, "imported": true, "notice": null }, { "kind": "new_draft" }]));
    assert_eq!(invoke(&app, "take_open_requests", json!({})).unwrap(), json!([]), "taken once");
    let post = invoke(&app, "open_post", json!({ "id": id })).unwrap();
    assert_eq!(post["title"], "Dropped on the window");
}

#[test]
fn a_file_that_is_not_a_post_is_refused_in_words() {
    let app = test_app();
    let library = app._app.state::<AppState>().library_handle().clone();
    let binary = app._dir.path().join("binary.md");
    std::fs::write(&binary, b"# x\0\x01").unwrap();
    let OpenRequest::Failed { message } = open_request(&library, &binary) else { panic!("a binary file was opened") };
    assert!(message.starts_with("Galley could not open ") && message.contains("binary.md") && message.contains("binary file"), "{message}");
    let OpenRequest::Failed { message } = open_request(&library, &app._dir.path().join("notes.txt")) else {
        panic!("a text file was opened")
    };
    assert!(message.contains("not a Markdown file"), "{message}");
}

#[test]
fn the_pane_layout_is_remembered_in_the_library() {
    let app = test_app();
    assert_eq!(invoke(&app, "pane_layout", json!({})).unwrap(), json!({ "editor_fraction": 0.5, "library_hidden": false }));
    let saved = invoke(&app, "set_pane_layout", json!({ "layout": { "editor_fraction": 0.95, "library_hidden": true } })).unwrap();
    assert_eq!(saved, json!({ "editor_fraction": 0.8, "library_hidden": true }), "brought inside 0.2 to 0.8");
    invoke(&app, "set_pane_layout", json!({ "layout": { "editor_fraction": 0.35, "library_hidden": true } })).unwrap();
    assert_eq!(invoke(&app, "pane_layout", json!({})).unwrap(), json!({ "editor_fraction": 0.35, "library_hidden": true }));
    let library = app._app.state::<AppState>().library_handle().clone();
    assert!(library.lock().unwrap().setting("window.panes").unwrap().unwrap().contains("0.35"), "stored with the library");
    assert!(invoke(&app, "set_pane_layout", json!({ "layout": { "editor_fraction": "wide" } })).is_err());
}
