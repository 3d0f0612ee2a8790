//! Command tests for issue 10, point 1: hostile text in the preview (a writer's own `data-line`
//! that once overflowed the renderer and poisoned its locks) through the command and the scheme.
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// The line that killed the app.
const HOSTILE: &str = "<div data-line=\"18446744073709551615\">x</div>";

struct TestApp {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    _dir: tempfile::TempDir,
}

fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let state = galley_app::state::AppState::open(&dir.path().join("library.sqlite3")).unwrap();
    let app = galley_app::builder(mock_builder()).manage(state).build(tauri::generate_context!("../tauri.conf.json")).unwrap();
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
    let typed = invoke(&app, "render_preview_changes", json!({ "base": 1, "version": 2, "changes": [{ "from": end, "to": end, "insert": "typed" }] }))
        .expect("the next keystroke renders");
    assert!(html(&typed).contains("typed"), "{typed}");
    // Typing the hostile line itself, one keystroke.
    let end = end + "typed".len();
    let insert = format!("\n\n{HOSTILE}\n");
    let again = invoke(&app, "render_preview_changes", json!({ "base": 2, "version": 3, "changes": [{ "from": end, "to": end, "insert": insert }] }))
        .expect("a keystroke adding the line renders");
    assert!(html(&again).contains(">x</div>"), "{again}");
    // A whole new post afterwards still works (nothing poisoned).
    let other = invoke(&app, "render_preview", json!({ "text": "Another post.\n", "version": 4, "reset": true })).expect("the next post renders");
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
    let response = handle_guarded(handle, "main", &request(json!({ "base": 1, "version": 2, "changes": [{ "from": 7, "to": 7, "insert": insert }] })));
    assert_eq!(response.status(), 200, "{}", String::from_utf8_lossy(response.body()));
    let output: Value = serde_json::from_slice(response.body()).unwrap();
    assert!(html(&output).contains(">x</div>"), "{output}");
    let next = handle_guarded(handle, "main", &request(json!({ "base": 2, "version": 3, "changes": [{ "from": 0, "to": 0, "insert": "Now " }] })));
    assert_eq!(next.status(), 200, "{}", String::from_utf8_lossy(next.body()));
}
