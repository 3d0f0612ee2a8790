//! Commands for the desktop side of the window: the files and requests that arrived from outside
//! (see [`crate::open_file`]) and the pane widths, remembered in the library's settings.
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandError;
use crate::open_file::{OpenRequest, OpenRequests};
use crate::state::AppState;

/// Takes the requests waiting for the page (files opened, a new draft), oldest first.
#[tauri::command]
pub async fn take_open_requests(requests: State<'_, OpenRequests>) -> Result<Vec<OpenRequest>, CommandError> {
    Ok(requests.take())
}

/// How the window's panes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PaneLayout {
    /// The editor's share of the editor + preview width (0.2 to 0.8; the preview has the rest).
    pub editor_fraction: f64,
    /// Whether the library sidebar is hidden.
    pub library_hidden: bool,
}

impl Default for PaneLayout {
    fn default() -> Self {
        PaneLayout { editor_fraction: 0.5, library_hidden: false }
    }
}

/// The library setting that holds the layout (JSON).
const PANES_SETTING: &str = "window.panes";

/// The remembered pane layout (the default when none was saved or the saved one is unreadable).
#[tauri::command]
pub async fn pane_layout(state: State<'_, AppState>) -> Result<PaneLayout, CommandError> {
    let saved = state.library()?.setting(PANES_SETTING)?;
    Ok(saved.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// Remembers the pane layout (a fraction outside 0.2 to 0.8 is brought inside).
#[tauri::command]
pub async fn set_pane_layout(state: State<'_, AppState>, layout: PaneLayout) -> Result<PaneLayout, CommandError> {
    if !layout.editor_fraction.is_finite() {
        return Err(CommandError::invalid("the editor's width must be a number between 0.2 and 0.8"));
    }
    let layout = PaneLayout { editor_fraction: layout.editor_fraction.clamp(0.2, 0.8), ..layout };
    let json = serde_json::to_string(&layout).map_err(|error| CommandError::invalid(error.to_string()))?;
    state.library()?.set_setting(PANES_SETTING, Some(&json))?;
    Ok(layout)
}
