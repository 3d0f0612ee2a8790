//! Command tests for issue 10, point 1: hostile text in the preview (a writer's own `data-line`
//! that once overflowed the renderer and poisoned its locks) through the command and the scheme.
mod common;

use common::{invoke, test_app};
use serde_json::{json, Value};
use tauri::Manager;

/// The line that killed the app.
const HOSTILE: &str = "<div data-line=\"18446744073709551615\">x</div>";

/// Every block's HTML of a render output, joined.
fn html(output: &Value) -> String {
    output["blocks"].as_array().unwrap().iter().map(|block| block["html"].as_str().unwrap()).collect()
}

#[test]
fn hostile_data_line_renders_and_the_next_request_still_works() {
    let app = test_app();
    let text = format!("# Post\n\n{HOSTILE}\n\nafter\n");
    let first = invoke(&app, "render_preview", json!({ "text": text, "version": 1, "reset": true })).expect("the render answers");
    let first_html = html(&first);
    assert!(first_html.contains(">x</div>"), "{first_html}");
    assert!(!first_html.contains("18446744073709551615"), "the writer's data-line is gone: {first_html}");
    assert!(!first_html.contains("galley-render-error"), "no failure to show: {first_html}");
    // A keystroke right after it, on the same (unpoisoned) state.
    let end = text.encode_utf16().count();
    let typed = invoke(
        &app,
        "render_preview_changes",
        json!({ "base": 1, "version": 2, "changes": [{ "from": end, "to": end, "insert": "typed" }] }),
    )
    .expect("the next keystroke renders");
    assert!(html(&typed).contains("typed"), "{typed}");
    // Typing the hostile line itself, one keystroke.
    let end = end + "typed".len();
    let insert = format!("\n\n{HOSTILE}\n");
    let again = invoke(
        &app,
        "render_preview_changes",
        json!({ "base": 2, "version": 3, "changes": [{ "from": end, "to": end, "insert": insert }] }),
    )
    .expect("a keystroke adding the line renders");
    assert!(html(&again).contains(">x</div>"), "{again}");
    // A whole new post afterwards still works (nothing poisoned).
    let other =
        invoke(&app, "render_preview", json!({ "text": "Another post.\n", "version": 4, "reset": true })).expect("the next post renders");
    assert!(html(&other).contains("Another post."), "{other}");
}

#[test]
fn hostile_data_line_through_the_keystroke_scheme() {
    use galley_app::preview_protocol::handle_guarded;
    let app = test_app();
    let handle = app.window.app_handle();
    invoke(&app, "render_preview", json!({ "text": "Start.\n", "version": 1, "reset": true })).unwrap();
    let request = |body: Value| {
        tauri::http::Request::builder()
            .method("POST")
            .uri("galley-preview://localhost/changes")
            .header("Origin", "tauri://localhost")
            .body(serde_json::to_vec(&body).unwrap())
            .unwrap()
    };
    let insert = format!("\n{HOSTILE}\n");
    let response =
        handle_guarded(handle, "main", &request(json!({ "base": 1, "version": 2, "changes": [{ "from": 7, "to": 7, "insert": insert }] })));
    assert_eq!(response.status(), 200, "{}", String::from_utf8_lossy(response.body()));
    let output: Value = serde_json::from_slice(response.body()).unwrap();
    assert!(html(&output).contains(">x</div>"), "{output}");
    let next =
        handle_guarded(handle, "main", &request(json!({ "base": 2, "version": 3, "changes": [{ "from": 0, "to": 0, "insert": "Now " }] })));
    assert_eq!(next.status(), 200, "{}", String::from_utf8_lossy(next.body()));
}
