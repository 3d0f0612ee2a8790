//! The `galley-asset` URI scheme: the images the preview of the open post shows. It answers only
//! the main window, takes a post id and a name (never a path from the page), serves only the post
//! the preview shows, with the Content-Type its bytes say, and a placeholder when an image is missing.
//!
//! URLs (made by `galley::render::image_src`, never by the page): `/post/<id>/<name>` (one of the
//! post's images), `/site/<id>/<path>` (a root-relative `/path`: the linked site's static folder,
//! regular files only and no link followed, then the post's images), `/remote/<url>` (a remote
//! image while "Load remote images" is off: a placeholder, no request).
use galley::assets::{self, AssetKind, MAX_ASSET_BYTES};
use tauri::http::{header, Method, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme's name (`galley-asset://localhost/...` on Linux and macOS).
pub const SCHEME: &str = "galley-asset";

/// What an SVG served here may do: draw, with its own inline styles; no script, no loads.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// One answer of the scheme.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Answer {
    fn refused(status: StatusCode, why: &str) -> Answer {
        Answer { status, content_type: "text/plain; charset=utf-8", body: why.as_bytes().to_vec() }
    }

    fn image(kind: AssetKind, body: Vec<u8>) -> Answer {
        Answer { status: StatusCode::OK, content_type: kind.mime(), body }
    }

    /// A visible placeholder with the text of `lines` (escaped), shown where an image is missing.
    fn placeholder(lines: &[&str]) -> Answer {
        let width = lines.iter().map(|line| line.chars().count()).max().unwrap_or(0).clamp(24, 90) * 8 + 32;
        let height = lines.len() * 20 + 24;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\
             <rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#f6f3ee\" stroke=\"#b9472f\" stroke-dasharray=\"6 4\"/>",
            width - 2,
            height - 2
        );
        for (index, line) in lines.iter().enumerate() {
            let clipped: String = line.chars().take(90).collect();
            svg.push_str(&format!(
                "<text x=\"16\" y=\"{}\" font-family=\"sans-serif\" font-size=\"13\" fill=\"#7a2e1f\">{}</text>",
                30 + index * 20,
                galley::render::sanitize::escape_text(&clipped)
            ));
        }
        svg.push_str("</svg>");
        Answer { status: StatusCode::OK, content_type: "image/svg+xml", body: svg.into_bytes() }
    }
}

/// The open post's id and whether it may be served: the preview must show it.
fn open_post<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<i64> {
    app.state::<AppState>().preview.image_sources().post_id
}

/// Answers one request. `webview_label` is the webview that sent it; reads the library (call it
/// off the main thread).
pub fn answer<R: Runtime>(app: &tauri::AppHandle<R>, webview_label: &str, request: &Request<Vec<u8>>) -> Answer {
    if webview_label != "main" {
        return Answer::refused(StatusCode::FORBIDDEN, "only the main window's preview shows images");
    }
    if request.method() != Method::GET {
        return Answer::refused(StatusCode::METHOD_NOT_ALLOWED, "images are only read");
    }
    let path = request.uri().path().trim_start_matches('/');
    let mut parts = path.splitn(3, '/');
    let (Some(area), Some(second)) = (parts.next(), parts.next()) else {
        return Answer::refused(StatusCode::NOT_FOUND, "unknown image request");
    };
    let decode =
        |text: &str| -> Option<String> { percent_encoding::percent_decode_str(text).decode_utf8().map(|text| text.into_owned()).ok() };
    if area == "remote" {
        let url = decode(second).unwrap_or_default();
        return Answer::placeholder(&["Remote image not loaded (Load remote images is off):", &url]);
    }
    let (Ok(id), Some(name)) = (second.parse::<i64>(), parts.next().and_then(decode)) else {
        return Answer::refused(StatusCode::NOT_FOUND, "unknown image request");
    };
    if open_post(app) != Some(id) {
        return Answer::refused(StatusCode::FORBIDDEN, "that post is not the one the preview shows");
    }
    let state = app.state::<AppState>();
    let found = match area {
        "post" => post_image(&state, id, &name),
        "site" => site_image(&state, id, &name),
        _ => return Answer::refused(StatusCode::NOT_FOUND, "unknown image request"),
    };
    let shown = if area == "site" { format!("/{name}") } else { name.clone() };
    match found {
        Ok(Some((kind, bytes))) if kind.is_image() => Answer::image(kind, bytes),
        Ok(Some(_)) => Answer::placeholder(&["Not an image Galley can show (PNG, JPEG, GIF, WebP, AVIF, SVG):", &shown]),
        Ok(None) => Answer::placeholder(&["Image not found:", &shown]),
        Err(why) => Answer::placeholder(&[&format!("Image refused ({why}):"), &shown]),
    }
}

/// One of the post's images, by the relative name the post uses.
fn post_image(state: &AppState, id: i64, name: &str) -> Result<Option<(AssetKind, Vec<u8>)>, String> {
    let name = assets::validate_name(name).map_err(|error| error.to_string())?;
    let library = state.library().map_err(|error| error.message)?;
    let found = library.asset(id, &name).map_err(|error| error.to_string())?;
    Ok(found.map(|(info, bytes)| (info.kind, bytes)))
}

/// A root-relative image: the linked site's static folder first (inside it only, regular files,
/// no link followed), then the post's own images under the same path.
fn site_image(state: &AppState, id: i64, path: &str) -> Result<Option<(AssetKind, Vec<u8>)>, String> {
    galley::slug::check_relative_path(path)?;
    let site = state.library().map_err(|error| error.message)?.linked_site().map_err(|error| error.to_string())?;
    if let Some(site) = site {
        let root = galley::site::layout::root(&site).map_err(|error| error.to_string())?;
        let folder = galley::site::layout::Layout::detect(&root).static_folder();
        let rel = if folder.is_empty() { path.to_string() } else { format!("{folder}/{path}") };
        match galley::site::fs::read_file(&root, &rel, MAX_ASSET_BYTES as u64) {
            Ok(bytes) => return Ok(Some((AssetKind::detect(&bytes), bytes))),
            Err(why) if !why.starts_with("cannot be read") => return Err(why),
            Err(_) => {}
        }
    }
    post_image(state, id, path)
}

/// The HTTP response for an answer: never cached (images change under the same name), SVG
/// with a policy that lets it run nothing, nothing sniffed.
pub fn response(answer: Answer) -> Response<Vec<u8>> {
    let mut builder = Response::builder()
        .status(answer.status)
        .header(header::CONTENT_TYPE, answer.content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff");
    if answer.content_type == "image/svg+xml" {
        builder = builder.header(header::CONTENT_SECURITY_POLICY, SVG_CSP);
    }
    builder.body(answer.body).unwrap_or_else(|_| Response::new(Vec::new()))
}

/// Registers the scheme: each request is answered on a worker (it reads the library), and a
/// panic there becomes a 500, never a crash.
pub fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |context: UriSchemeContext<'_, R>, request, responder: UriSchemeResponder| {
        let app = context.app_handle().clone();
        let label = context.webview_label().to_string();
        tauri::async_runtime::spawn_blocking(move || {
            let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(&app, &label, &request)));
            let answer = answered.unwrap_or_else(|payload| {
                eprintln!("galley: an image request failed: {}", crate::preview::panic_message(&*payload));
                Answer::refused(StatusCode::INTERNAL_SERVER_ERROR, "the image could not be read")
            });
            responder.respond(response(answer));
        });
    })
}
