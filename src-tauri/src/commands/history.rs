//! Commands on a post's history: its revisions (save points), what changed since one, and
//! restoring one (itself recorded as a new revision).
use galley::library::{Post, RevisionDiff, RevisionSummary};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// A post's save points, newest first.
#[tauri::command]
pub async fn list_revisions(state: State<'_, AppState>, id: i64) -> Result<Vec<RevisionSummary>, CommandError> {
    Ok(state.library()?.revisions(id)?)
}

/// What changed between a revision and the post's current text.
#[tauri::command]
pub async fn revision_diff(state: State<'_, AppState>, revision_id: i64) -> Result<RevisionDiff, CommandError> {
    Ok(state.library()?.diff_revision(revision_id)?)
}

/// Makes a revision the current text (itself recorded as a new revision; nothing is lost).
#[tauri::command]
pub async fn restore_revision(state: State<'_, AppState>, revision_id: i64) -> Result<Post, CommandError> {
    Ok(state.library()?.restore_revision(revision_id)?)
}
