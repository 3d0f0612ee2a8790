//! Commands of the live preview: render the editor's text (whole or as a keystroke's changes; the
//! synchronous keystroke path is `preview_protocol.rs`), Galley's own preview stylesheet, and
//! opening a link from the preview in the system browser.
use galley::render::RenderOutput;
use tauri::State;

use crate::error::{CommandError, ErrorKind};
use crate::preview::TextChange;
use crate::state::AppState;

/// Renders the editor's text incrementally and returns what changed since the last call (every
/// block when `reset`, e.g. for a newly opened post). Highlighted code and statistics follow as
/// the events `preview-highlight` and `preview-stats`.
#[tauri::command]
pub async fn render_preview<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    text: String,
    version: u64,
    reset: bool,
) -> Result<RenderOutput, CommandError> {
    state.preview.render_text(&app, text, version, reset)
}

/// Renders after a keystroke: only the editor's changes since version `base` travel, not the
/// whole post. Fails with kind `resync` when the backend does not hold `base`.
#[tauri::command]
pub async fn render_preview_changes<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    base: u64,
    version: u64,
    changes: Vec<TextChange>,
) -> Result<RenderOutput, CommandError> {
    state.preview.render_changes(&app, base, version, &changes)
}

/// The preview's stylesheet (typography and code colours) for the light or dark theme.
#[tauri::command]
pub fn preview_css(dark: bool) -> String {
    galley::render::preview_css(dark)
}

/// Opens a link from the preview in the system browser, after the writer confirmed it.
/// Only http, https and mailto URLs are opened.
#[tauri::command]
pub fn open_external<R: tauri::Runtime>(app: tauri::AppHandle<R>, url: String) -> Result<(), CommandError> {
    use tauri_plugin_opener::OpenerExt;
    let parsed = tauri::Url::parse(&url).map_err(|_| CommandError::invalid(format!("'{url}' is not a valid link")))?;
    if !matches!(parsed.scheme(), "http" | "https" | "mailto") {
        return Err(CommandError::invalid(format!("Galley only opens http, https and mailto links, not '{}:'", parsed.scheme())));
    }
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|error| CommandError::new(ErrorKind::Io, format!("could not open {url}: {error}")))
}
