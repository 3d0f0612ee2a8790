//! The linked site folder at start-up, through Tauri's mock runtime: the catch-up comparison runs
//! off the main thread, its changes and its problems wait for the page's first `sync_site`.
use galley_app::state::AppState;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

struct TestApp {
    app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    dir: tempfile::TempDir,
}

/// An app on a library linked to `dir/site`, prepared through the core first.
fn linked_app(prepare: impl FnOnce(&mut galley::library::Library, &std::path::Path)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    {
        let (mut library, _) = galley::library::Library::open(&path).unwrap();
        prepare(&mut library, &dir.path().join("site"));
        library.set_linked_site(Some(&dir.path().join("site"))).unwrap();
    }
    let state = AppState::open(&path).unwrap();
    let app = galley_app::builder(mock_builder()).manage(state).build(tauri::generate_context!("../tauri.conf.json")).unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    TestApp { app, window, dir }
}

fn sync_site(app: &TestApp) -> Value {
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: "sync_site".into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(json!({ "openPost": null, "body": null })),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
    .unwrap()
}

#[test]
fn a_site_folder_gone_at_start_is_shown_not_dropped() {
    let app = linked_app(|_, _| {});
    app.app.state::<AppState>().watch_linked_site(app.app.handle()).join().unwrap();
    let report = sync_site(&app);
    let notices = report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{report}");
    let notice = notices[0].as_str().unwrap();
    assert!(notice.contains(&app.dir.path().join("site").display().to_string()) && notice.contains("cannot be found"), "{notice}");
    // Shown once.
    assert_eq!(sync_site(&app)["notices"], json!([]));
}

#[test]
fn edits_made_while_closed_wait_for_the_first_sync() {
    let app = linked_app(|library, site| {
        std::fs::create_dir_all(site).unwrap();
        std::fs::write(site.join("post.md"), "---\ntitle: Post\n---\n\nFirst.\n").unwrap();
        galley::import::import_site(library, site, false).unwrap();
        std::fs::write(site.join("post.md"), "---\ntitle: Post\n---\n\nEdited while Galley was closed.\n").unwrap();
    });
    app.app.state::<AppState>().watch_linked_site(app.app.handle()).join().unwrap();
    let report = sync_site(&app);
    assert_eq!(report["updated"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["notices"], json!([]));
}
