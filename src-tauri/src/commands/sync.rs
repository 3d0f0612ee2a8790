//! Commands that keep the library in step with the linked site folder while the app runs (the
//! watcher and the queue are the service in `site_sync.rs`): apply the queued changes, settle a
//! conflict.
use galley::sync::{Resolution, Resolved, SyncReport};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Applies the queued site changes. `open_post` / `body` are the editor's post and its current
/// body (saved first when they differ from the library, so typing counts as a change here).
#[tauri::command]
pub async fn sync_site(state: State<'_, AppState>, open_post: Option<i64>, body: Option<String>) -> Result<SyncReport, CommandError> {
    state.site_sync.sync(state.library_handle(), open_post, body)
}

/// Settles a conflict of this post: keep mine, take theirs or keep both.
#[tauri::command]
pub async fn resolve_site_conflict(state: State<'_, AppState>, post_id: i64, resolution: Resolution) -> Result<Resolved, CommandError> {
    state.site_sync.resolve(state.library_handle(), post_id, resolution)
}
