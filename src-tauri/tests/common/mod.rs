//! Shared setup of the command tests: an app on Tauri's mock runtime with the real config and
//! capabilities, a fresh library, and `invoke` as the page calls a command.
#![allow(dead_code)] // each test file uses what it needs
use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

pub struct TestApp {
    pub _app: tauri::App<tauri::test::MockRuntime>,
    pub window: WebviewWindow<tauri::test::MockRuntime>,
    pub _dir: tempfile::TempDir,
}

pub fn test_app() -> TestApp {
    test_app_with(|_, _| {})
}

/// A test app whose library was first prepared through the core (settings, posts…).
pub fn test_app_with(prepare: impl FnOnce(&mut galley::library::Library, &std::path::Path)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    {
        let (mut library, fresh) = galley::library::Library::open(&path).unwrap();
        if fresh {
            galley::samples::seed(&mut library).unwrap();
        }
        prepare(&mut library, dir.path());
    }
    let state = galley_app::state::AppState::open(&path).unwrap();
    let app = galley_app::builder(mock_builder()).manage(state).build(tauri::generate_context!("../tauri.conf.json")).unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    TestApp { _app: app, window, _dir: dir }
}

pub fn invoke(app: &TestApp, cmd: &str, args: Value) -> Result<Value, Value> {
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
