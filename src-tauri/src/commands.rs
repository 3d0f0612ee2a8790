//! The commands the frontend may call. Each takes ids and text (never file paths from the page),
//! calls the core, and maps errors to `CommandError`. Every command that touches the library is
//! async: it runs on a worker, so the main thread, which answers the preview's keystroke requests,
//! never waits for the library (a save of a long post holds it for tens of milliseconds).
use galley::library::{Post, PostSummary, Status};
use galley::render::RenderOutput;
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Front matter fields the form may change.
const EDITABLE_FIELDS: &[&str] = &["title", "date", "summary", "category", "tags"];

/// Opens one post for editing.
#[tauri::command]
pub async fn open_post(state: State<'_, AppState>, id: i64) -> Result<Post, CommandError> {
    Ok(state.library()?.post(id)?)
}

/// Creates a new draft and returns it.
#[tauri::command]
pub async fn create_post(state: State<'_, AppState>, title: String) -> Result<Post, CommandError> {
    let title = title.trim();
    let title = if title.is_empty() { "Untitled draft" } else { title };
    let mut library = state.library()?;
    let id = library.new_draft(title)?;
    Ok(library.post(id)?)
}

/// Saves the editor's text as the post's body. A save that fails for lack of space or permission
/// changes nothing and says why in a few words (kind `storage`, e.g. "the disk is full"); the
/// page keeps the text and tries again.
#[tauri::command]
pub async fn save_body(state: State<'_, AppState>, id: i64, body: String) -> Result<PostSummary, CommandError> {
    state.library()?.save_body(id, &body).map_err(|error| match error.storage_problem() {
        Some(problem) => CommandError { kind: "storage", message: problem.to_string() },
        None => error.into(),
    })
}

/// Changes one front matter field (title, date, summary, category or tags).
#[tauri::command]
pub async fn set_field(state: State<'_, AppState>, id: i64, key: String, value: Vec<String>) -> Result<Post, CommandError> {
    if !EDITABLE_FIELDS.contains(&key.as_str()) {
        return Err(CommandError::invalid(format!("'{key}' is not a field the form can change")));
    }
    let is_list = key == "tags";
    let value: Vec<String> = value.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty() || !is_list).collect();
    Ok(state.library()?.set_field(id, &key, &value, is_list)?)
}

/// Replaces the raw front matter block (the "raw" view of the form).
#[tauri::command]
pub async fn set_front_matter(state: State<'_, AppState>, id: i64, front_matter: String) -> Result<Post, CommandError> {
    let (block, rest) = galley::front_matter::split(&front_matter);
    if !front_matter.trim().is_empty() && (block.is_empty() || !rest.trim().is_empty()) {
        return Err(CommandError::invalid("front matter must start with a --- or +++ line and end with the same line"));
    }
    let mut library = state.library()?;
    let post = library.post(id)?;
    library.save_post(id, &front_matter, &post.body)?;
    Ok(library.post(id)?)
}

/// Changes a post's status: draft, ready or published.
#[tauri::command]
pub async fn set_status(state: State<'_, AppState>, id: i64, status: String) -> Result<PostSummary, CommandError> {
    Ok(state.library()?.set_status(id, Status::parse(&status)?)?)
}

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
    changes: Vec<crate::preview::TextChange>,
) -> Result<RenderOutput, CommandError> {
    state.preview.render_changes(&app, base, version, &changes)
}

/// The preview's stylesheet (typography and code colours) for the light or dark theme.
#[tauri::command]
pub fn preview_css(dark: bool) -> String {
    galley::render::preview_css(dark)
}

/// Where the library lives, for the status bar.
#[derive(Serialize)]
pub struct LibraryInfo {
    path: String,
}

/// Describes the open library.
#[tauri::command]
pub async fn library_info(state: State<'_, AppState>) -> Result<LibraryInfo, CommandError> {
    Ok(LibraryInfo { path: state.library()?.path().display().to_string() })
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
        .map_err(|error| CommandError { kind: "io", message: format!("could not open {url}: {error}") })
}
