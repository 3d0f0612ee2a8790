//! The keystroke path of the preview: the `galley-preview` URI scheme, which the main window calls
//! with a synchronous request so the preview patch lands in the same frame as the editor's update.
//!
//! Tauri's commands always answer asynchronously, and under software rendering the reply waited
//! behind the editor's frame, costing the preview one more frame per keystroke (BENCHMARKS.md,
//! "In-app latency"). This scheme does one thing only, the same as the allow-listed command
//! `render_preview_changes`: apply a keystroke's small change set to the text the backend already
//! holds and answer with the changed preview blocks. It takes no paths, reads and writes no files,
//! and answers only the main window's own page (label `main`, app origin).
use tauri::http::{header, Method, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext};

use crate::error::{CommandError, ErrorKind};
use crate::preview::TextChange;
use crate::state::AppState;

/// The scheme's name, as the page builds its URL (`convertFileSrc("changes", SCHEME)`).
pub const SCHEME: &str = "galley-preview";

/// A keystroke's change set is tiny; anything larger (a big paste) takes the asynchronous command
/// so the page never blocks on it.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The request body: the same arguments as `render_preview_changes`.
#[derive(serde::Deserialize)]
struct ChangesRequest {
    base: u64,
    version: u64,
    changes: Vec<TextChange>,
}

/// True for the origins the app's own page is served from (Linux/macOS and Windows forms).
fn is_app_origin(origin: &str) -> bool {
    matches!(origin, "tauri://localhost" | "http://tauri.localhost" | "https://tauri.localhost")
}

/// Answers one request of the scheme. `webview_label` is the webview that sent it.
pub fn handle<R: Runtime>(app: &tauri::AppHandle<R>, webview_label: &str, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let origin = request.headers().get(header::ORIGIN).and_then(|value| value.to_str().ok()).unwrap_or("");
    if webview_label != "main" || !is_app_origin(origin) {
        return error_response(StatusCode::FORBIDDEN, None, CommandError::invalid("only the main window may render the preview"));
    }
    let origin = Some(origin);
    if request.method() != Method::POST || request.uri().path() != "/changes" {
        return error_response(StatusCode::NOT_FOUND, origin, CommandError::invalid("unknown preview request"));
    }
    if request.body().len() > MAX_BODY_BYTES {
        return error_response(StatusCode::PAYLOAD_TOO_LARGE, origin, CommandError::invalid("change too large for the keystroke path"));
    }
    let parsed: ChangesRequest = match serde_json::from_slice(request.body()) {
        Ok(parsed) => parsed,
        Err(error) => {
            return error_response(StatusCode::BAD_REQUEST, origin, CommandError::invalid(format!("bad preview request: {error}")))
        }
    };
    let state = app.state::<AppState>();
    match state.preview.render_changes(app, parsed.base, parsed.version, &parsed.changes) {
        Ok(output) => match serde_json::to_vec(&output) {
            Ok(body) => json_response(StatusCode::OK, origin, body),
            Err(error) => {
                error_response(StatusCode::INTERNAL_SERVER_ERROR, origin, CommandError::new(ErrorKind::Internal, error.to_string()))
            }
        },
        Err(error) if error.kind == ErrorKind::Resync => error_response(StatusCode::CONFLICT, origin, error),
        Err(error) => error_response(StatusCode::INTERNAL_SERVER_ERROR, origin, error),
    }
}

fn json_response(status: StatusCode, origin: Option<&str>, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response =
        Response::builder().status(status).header(header::CONTENT_TYPE, "application/json").header(header::CACHE_CONTROL, "no-store");
    if let Some(origin) = origin {
        response = response.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response.body(body).unwrap_or_else(|_| Response::new(Vec::new()))
}

fn error_response(status: StatusCode, origin: Option<&str>, error: CommandError) -> Response<Vec<u8>> {
    let body = serde_json::to_vec(&error).unwrap_or_default();
    json_response(status, origin, body)
}

/// [`handle`], but a panic never leaves it: the scheme runs on the main thread, inside GTK, where
/// an unwinding panic aborts the whole app. It is logged and answered like a lost change (409,
/// kind `resync`), so the page sends the whole text through the asynchronous command.
pub fn handle_guarded<R: Runtime>(app: &tauri::AppHandle<R>, webview_label: &str, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(app, webview_label, request))).unwrap_or_else(|payload| {
        let message = crate::preview::panic_message(&*payload);
        eprintln!("galley: the keystroke preview failed: {message}");
        let origin = request.headers().get(header::ORIGIN).and_then(|value| value.to_str().ok()).filter(|origin| is_app_origin(origin));
        error_response(
            StatusCode::CONFLICT,
            origin,
            CommandError::new(ErrorKind::Resync, format!("the preview failed to render this change ({message}); sending the whole text")),
        )
    })
}

/// Registers the scheme on a builder.
pub fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.register_uri_scheme_protocol(SCHEME, |context: UriSchemeContext<'_, R>, request| {
        handle_guarded(context.app_handle(), context.webview_label(), &request)
    })
}
