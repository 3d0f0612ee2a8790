//! Command tests through Tauri's mock runtime, with the app's real config and capabilities: each
//! command as the page calls it, plus the allow-list refusing what the app does not grant.
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct TestApp {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    _dir: tempfile::TempDir,
}

fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let state = galley_app::state::AppState::open(&dir.path().join("library.sqlite3")).unwrap();
    let app = galley_app::builder(mock_builder())
        .manage(state)
        .build(tauri::generate_context!("../tauri.conf.json"))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    TestApp { _app: app, window, _dir: dir }
}

fn invoke(app: &TestApp, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn a_new_library_lists_the_sample_posts() {
    let app = test_app();
    let posts = invoke(&app, "list_posts", json!({})).unwrap();
    let titles: Vec<&str> = posts.as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("Go")), "{titles:?}");
    assert!(posts[0]["reading_minutes"].as_i64().unwrap() >= 1);
}

#[test]
fn create_edit_and_reopen_a_draft() {
    let app = test_app();
    let post = invoke(&app, "create_post", json!({ "title": "Scheduler internals" })).unwrap();
    let id = post["id"].as_i64().unwrap();
    assert_eq!(post["title"], "Scheduler internals");
    assert_eq!(post["status"], "draft");

    let summary = invoke(&app, "save_body", json!({ "id": id, "body": "The runtime **parks** goroutines.\n" })).unwrap();
    assert_eq!(summary["words"], 4);

    let post = invoke(&app, "set_field", json!({ "id": id, "key": "tags", "value": ["go", "runtime"] })).unwrap();
    assert_eq!(post["tags"], json!(["go", "runtime"]));
    assert_eq!(post["body"], "The runtime **parks** goroutines.\n");

    let summary = invoke(&app, "set_status", json!({ "id": id, "status": "ready" })).unwrap();
    assert_eq!(summary["status"], "ready");

    let reopened = invoke(&app, "open_post", json!({ "id": id })).unwrap();
    assert_eq!(reopened["body"], "The runtime **parks** goroutines.\n");
    assert!(reopened["front_matter"].as_str().unwrap().contains("Scheduler internals"));

    let found = invoke(&app, "list_posts", json!({ "query": "parks" })).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_gives_a_clear_error() {
    let app = test_app();
    let error = invoke(&app, "open_post", json!({ "id": 999 })).unwrap_err();
    assert_eq!(error["kind"], "not_found");
    let error = invoke(&app, "set_field", json!({ "id": 1, "key": "layout", "value": ["x"] })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    let error = invoke(&app, "set_status", json!({ "id": 1, "status": "gone" })).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("unknown status"));
    let error = invoke(&app, "open_external", json!({ "url": "javascript:alert(1)" })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    // Odd search queries are just text.
    let found = invoke(&app, "list_posts", json!({ "query": "\"unbalanced ( title: -" })).unwrap();
    assert!(found.is_array());
}

#[test]
fn the_preview_sends_only_blocks_the_page_does_not_have() {
    let app = test_app();
    let text = "# Title\n\nFirst paragraph.\n\n```go\nfunc main() {}\n```\n";
    let first = invoke(&app, "render_preview", json!({ "text": text, "reset": true })).unwrap();
    assert_eq!(first["blocks"].as_array().unwrap().len(), 3);
    assert_eq!(first["html"].as_object().unwrap().len(), 3);
    assert_eq!(first["stats"]["code_lines"], 1);

    let edited = text.replace("First paragraph.", "First paragraph, edited.");
    let second = invoke(&app, "render_preview", json!({ "text": edited, "reset": false })).unwrap();
    let html = second["html"].as_object().unwrap();
    assert_eq!(html.len(), 1, "only the edited paragraph is sent: {html:?}");
    assert!(html.values().next().unwrap().as_str().unwrap().contains("edited"));
}

#[test]
fn commands_outside_the_allow_list_are_refused() {
    let app = test_app();
    // Core commands the main window was never granted: emitting events, closing windows.
    let error = invoke(&app, "plugin:event|emit", json!({ "event": "library-changed", "payload": null })).unwrap_err();
    assert!(error.to_string().contains("not allowed"), "{error}");
    let error = invoke(&app, "plugin:window|close", json!({ "label": "main" })).unwrap_err();
    assert!(error.to_string().contains("not allowed"), "{error}");
    // Listening to events is granted.
    assert!(invoke(&app, "plugin:event|listen", json!({ "event": "library-changed", "target": { "kind": "Any" }, "handler": 3 })).is_ok());
}
