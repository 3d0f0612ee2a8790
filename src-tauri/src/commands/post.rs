//! Commands on the open post: open, create, save its body, change front matter fields or the raw
//! block, and its status.
use galley::library::{Post, PostSummary, Status};
use tauri::State;

use crate::error::{CommandError, ErrorKind};
use crate::state::AppState;

/// Front matter fields the form may change.
const EDITABLE_FIELDS: &[&str] = &["title", "date", "summary", "category", "tags"];

/// Opens one post for editing.
#[tauri::command]
pub async fn open_post(state: State<'_, AppState>, id: i64) -> Result<Post, CommandError> {
    let library = state.library()?;
    let post = library.post(id)?;
    super::images::preview_post(&state, &library, id)?;
    Ok(post)
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
        Some(problem) => CommandError::new(ErrorKind::Storage, problem),
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
