//! Command tests of figures: the `galley-asset` scheme (main window only, the open post only, names
//! and paths checked in the core, Content-Type from the bytes, root-relative images only from the
//! linked site's static folder), the preview's image URLs, and attaching pasted or dropped images.
mod common;

use common::{invoke, test_app, test_app_with, TestApp};
use galley_app::asset_protocol::{answer, SVG_CSP};
use serde_json::{json, Value};
use tauri::http::Request;
use tauri::ipc::InvokeBody;
use tauri::test::{get_ipc_response, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::Manager;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\x01\x01\x01\0\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"><script>alert(1)</script></svg>";

fn get(app: &TestApp, label: &str, path: &str) -> galley_app::asset_protocol::Answer {
    let request = Request::builder().method("GET").uri(format!("galley-asset://localhost{path}")).body(Vec::new()).unwrap();
    answer(app.window.app_handle(), label, &request)
}

fn body(answer: &galley_app::asset_protocol::Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

/// Attaches image bytes as the page does: raw body, post and name in headers.
fn attach(app: &TestApp, post: i64, name: &str, bytes: &[u8]) -> Result<Value, Value> {
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert("x-galley-post", post.to_string().parse().unwrap());
    headers.insert("x-galley-name", name.parse().unwrap());
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: "attach_image".into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Raw(bytes.to_vec()),
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

fn post_ids(app: &TestApp) -> Vec<i64> {
    let page = invoke(app, "list_page", json!({ "query": { "sort": "title_asc" } })).unwrap();
    page["posts"].as_array().unwrap().iter().map(|post| post["id"].as_i64().unwrap()).collect()
}

#[test]
fn the_scheme_serves_the_open_posts_images_to_the_main_window_only() {
    let app = test_app();
    let ids = post_ids(&app);
    let (id, other) = (ids[0], ids[1]);
    invoke(&app, "open_post", json!({ "id": id })).unwrap();
    let name = attach(&app, id, "", PNG).unwrap();
    let name = name.as_str().unwrap();
    attach(&app, other, "theirs.png", PNG).unwrap();

    let served = get(&app, "main", &format!("/post/{id}/{name}"));
    assert_eq!(served.status, 200);
    assert_eq!(served.content_type, "image/png");
    assert_eq!(served.body, PNG);

    // Other webviews, other posts (even with an image of that name), other methods: refused.
    assert_eq!(get(&app, "preview", &format!("/post/{id}/{name}")).status, 403);
    assert_eq!(get(&app, "other", &format!("/post/{id}/{name}")).status, 403);
    assert_eq!(get(&app, "main", &format!("/post/{other}/theirs.png")).status, 403);
    let post = Request::builder().method("POST").uri(format!("galley-asset://localhost/post/{id}/{name}")).body(Vec::new()).unwrap();
    assert_eq!(answer(app.window.app_handle(), "main", &post).status, 405);
    for path in ["/", "/post", &format!("/post/{id}"), "/post/x/a.png", &format!("/elsewhere/{id}/a.png"), "/../library.sqlite3"] {
        assert_eq!(get(&app, "main", path).status, 404, "{path}");
    }
    // Names that are paths: refused in the core, answered with a placeholder that says so and
    // never with bytes from anywhere.
    for bad in [
        format!("..%2F{other}%2Ftheirs.png"),
        format!("../{other}/theirs.png"),
        "%2Fetc%2Fpasswd".to_string(),
        "a%00b.png".to_string(),
        "..".to_string(),
        "a%5Cb.png".to_string(),
    ] {
        let refused = get(&app, "main", &format!("/post/{id}/{bad}"));
        assert_eq!(refused.content_type, "image/svg+xml", "{bad}");
        assert!(body(&refused).contains("refused"), "{bad}: {}", body(&refused));
        assert!(!refused.body.windows(4).any(|w| w == b"IHDR"), "{bad}");
    }
    // After another post opens, the first one's images are no longer served.
    invoke(&app, "open_post", json!({ "id": other })).unwrap();
    assert_eq!(get(&app, "main", &format!("/post/{id}/{name}")).status, 403);
    assert_eq!(get(&app, "main", &format!("/post/{other}/theirs.png")).status, 200);
}

#[test]
fn content_type_comes_from_the_bytes_and_svg_cannot_run() {
    let post = std::cell::Cell::new(0);
    let app = test_app_with(|library, _| {
        let id = library.new_draft("Figures").unwrap();
        post.set(id);
        // A program named .png (as a bundle file may be): stored, but never served as an image.
        library.put_asset(id, "program.png", ELF).unwrap();
        library.put_asset(id, "drawing.png", SVG).unwrap();
    });
    let id = post.get();
    invoke(&app, "open_post", json!({ "id": id })).unwrap();
    let program = get(&app, "main", &format!("/post/{id}/program.png"));
    assert_eq!(program.content_type, "image/svg+xml");
    assert!(body(&program).contains("Not an image"), "{}", body(&program));
    assert!(!program.body.starts_with(b"\x7fELF"));

    let drawing = get(&app, "main", &format!("/post/{id}/drawing.png"));
    assert_eq!((drawing.status.as_u16(), drawing.content_type), (200, "image/svg+xml"));
    assert_eq!(drawing.body, SVG);
    let response = galley_app::asset_protocol::response(drawing);
    assert_eq!(response.headers()["content-security-policy"], SVG_CSP);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    let missing = get(&app, "main", &format!("/post/{id}/figures/missing%20one.png"));
    assert_eq!(missing.content_type, "image/svg+xml");
    assert!(body(&missing).contains("figures/missing one.png"), "the placeholder names the path: {}", body(&missing));
    let hostile = get(&app, "main", &format!("/post/{id}/%3Cscript%3Ex%3C%2Fscript%3E.png"));
    assert!(body(&hostile).contains("&lt;script&gt;") && !body(&hostile).contains("<script>"), "{}", body(&hostile));
}

#[test]
fn root_relative_images_come_only_from_the_linked_sites_static_folder() {
    let post = std::cell::Cell::new(0);
    let app = test_app_with(|library, dir| {
        let site = dir.join("site");
        std::fs::create_dir_all(site.join("static/images")).unwrap();
        std::fs::create_dir_all(site.join("content/posts")).unwrap();
        std::fs::write(site.join("hugo.toml"), "title = 't'\n").unwrap();
        std::fs::write(site.join("static/images/abs.png"), PNG).unwrap();
        std::fs::write(site.join("content/posts/inside.png"), PNG).unwrap();
        std::fs::write(dir.join("outside.png"), PNG).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("outside.png"), site.join("static/images/link.png")).unwrap();
            std::os::unix::fs::symlink(dir, site.join("static/up")).unwrap();
        }
        library.set_linked_site(Some(&site)).unwrap();
        let id = library.new_draft("Figures").unwrap();
        post.set(id);
        library.put_asset(id, "images/library-only.png", PNG).unwrap();
    });
    let id = post.get();
    invoke(&app, "open_post", json!({ "id": id })).unwrap();
    let served = get(&app, "main", &format!("/site/{id}/images%2Fabs.png"));
    assert_eq!((served.status.as_u16(), served.content_type, served.body.as_slice()), (200, "image/png", PNG));
    // Not in the static folder, but the post holds it under that path.
    assert_eq!(get(&app, "main", &format!("/site/{id}/images%2Flibrary-only.png")).content_type, "image/png");
    // Outside the static folder, through links, `..`, absolute or NUL: never the file's bytes.
    for bad in [
        "..%2Fcontent%2Fposts%2Finside.png",
        "images%2Flink.png",
        "up%2Foutside.png",
        "%2Fetc%2Fpasswd",
        "images%2Fa%00.png",
        "..%2F..%2Foutside.png",
    ] {
        let refused = get(&app, "main", &format!("/site/{id}/{bad}"));
        assert_eq!(refused.content_type, "image/svg+xml", "{bad}");
        assert_ne!(refused.body, PNG, "{bad}");
    }
    let ids = post_ids(&app);
    let other = ids.into_iter().find(|other| *other != id).unwrap();
    assert_eq!(get(&app, "main", &format!("/site/{other}/images%2Fabs.png")).status, 403);
}

#[test]
fn the_preview_links_images_through_the_scheme_and_remote_images_obey_the_setting() {
    let app = test_app();
    let id = post_ids(&app)[0];
    invoke(&app, "open_post", json!({ "id": id })).unwrap();
    let text = "![a](diagram.png)\n\n![b](/images/abs.png)\n\n![c](https://go.dev/x.png)\n\n<img src=\"https://go.dev/y.png\">\n";
    let render = |version: u64| {
        let output = invoke(&app, "render_preview", json!({ "text": text, "version": version, "reset": true })).unwrap();
        output["blocks"].as_array().unwrap().iter().map(|block| block["html"].as_str().unwrap().to_string()).collect::<String>()
    };
    let on = render(1);
    assert!(on.contains(&format!("src=\"galley-asset://localhost/post/{id}/diagram.png\"")), "{on}");
    assert!(on.contains(&format!("src=\"galley-asset://localhost/site/{id}/images%2Fabs.png\"")), "{on}");
    assert!(on.contains("src=\"https://go.dev/x.png\"") && on.contains("src=\"https://go.dev/y.png\""), "{on}");
    assert_eq!(invoke(&app, "image_settings", json!({})).unwrap()["load_remote"], true);

    invoke(&app, "set_load_remote_images", json!({ "on": false })).unwrap();
    let off = render(2);
    assert!(!off.contains("go.dev/x.png\"") && !off.contains("https://"), "no remote URL is left: {off}");
    assert_eq!(off.matches("src=\"galley-asset://localhost/remote/").count(), 2, "{off}");
    let placeholder = get(&app, "main", "/remote/https%3A%2F%2Fgo.dev%2Fx.png");
    assert!(body(&placeholder).contains("https://go.dev/x.png"), "{}", body(&placeholder));
    assert_eq!(invoke(&app, "image_settings", json!({})).unwrap()["load_remote"], false);
    // The setting is the library's: reopening the post keeps it.
    invoke(&app, "open_post", json!({ "id": id })).unwrap();
    assert!(render(3).contains("galley-asset://localhost/remote/"));
}

#[test]
fn attached_images_get_safe_unique_names_and_bad_data_is_refused_in_words() {
    let app = test_app();
    let id = post_ids(&app)[0];
    let title = invoke(&app, "open_post", json!({ "id": id })).unwrap()["title"].as_str().unwrap().to_string();
    let slug = galley::slug::slug_for(&[&title], id);
    assert_eq!(attach(&app, id, "", PNG).unwrap(), format!("{slug}-1.png"));
    assert_eq!(attach(&app, id, "", PNG).unwrap(), format!("{slug}-2.png"));
    assert_eq!(attach(&app, id, "My%20Diagram.PNG", PNG).unwrap(), "my-diagram.png");
    assert_eq!(attach(&app, id, "My%20Diagram.PNG", PNG).unwrap(), "my-diagram-2.png");
    assert_eq!(attach(&app, id, "..%2F..%2Fetc%2Fpasswd", PNG).unwrap(), "passwd.png");
    assert_eq!(attach(&app, id, "drawing.png", SVG).unwrap(), "drawing.svg", "the extension follows the content");

    let error = attach(&app, id, "tool.png", ELF).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    assert!(error["message"].as_str().unwrap().contains("tool.png is not an image"), "{error}");
    let huge = vec![0u8; galley::assets::MAX_ASSET_BYTES + 1];
    let error = attach(&app, id, "", &huge).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("up to 25 MB"), "{error}");
    let error = attach(&app, 999_999, "", PNG).unwrap_err();
    assert_eq!(error["kind"], "not_found");
    // A JSON body (not raw bytes) is refused, not guessed at.
    let error = invoke(&app, "attach_image", json!({ "bytes": [1, 2, 3] })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
}

#[test]
fn dropped_or_picked_files_are_read_as_regular_files_only() {
    let app = test_app();
    let id = post_ids(&app)[0];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Screen Shot.png"), PNG).unwrap();
    let state = app.window.app_handle().state::<galley_app::state::AppState>();
    let names = galley_app::commands::images::store_files(&state, id, &[dir.path().join("Screen Shot.png")]).unwrap();
    assert_eq!(names, ["screen-shot.png"]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("Screen Shot.png"), dir.path().join("link.png")).unwrap();
        let error = galley_app::commands::images::store_files(&state, id, &[dir.path().join("link.png")]).unwrap_err();
        assert!(error.message.contains("link.png cannot be used"), "{}", error.message);
    }
    let error = galley_app::commands::images::store_files(&state, id, &[dir.path().to_path_buf()]).unwrap_err();
    assert!(error.message.contains("not a regular file"), "{}", error.message);
}
