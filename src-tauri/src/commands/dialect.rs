//! The preview's Markdown dialect: the one in use (chosen by hand in the library's settings, or
//! the linked site's from its config) and choosing it.
use galley::render::{Dialect, Flavor};
use galley::site_config::DialectSource;
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// What the settings show: the choice, the dialect in effect and where it comes from.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DialectInfo {
    /// `site` (follow the linked site) or a dialect's name.
    pub choice: String,
    /// The dialect the preview renders in now.
    pub dialect: Dialect,
    /// Where it comes from.
    pub source: DialectSource,
}

/// The preview's dialect, re-read from the settings and the linked site's config and applied to
/// the preview (call it when the app starts and after the site folder changes).
#[tauri::command]
pub async fn preview_dialect(state: State<'_, AppState>) -> Result<DialectInfo, CommandError> {
    apply(&state)
}

/// Chooses the preview's dialect by name (`galley`, `hugo`, `zola`, `jekyll`, `astro`) or `site`
/// to follow the linked site, remembers it in the library and applies it. Render the whole text
/// again afterwards.
#[tauri::command]
pub async fn set_preview_dialect(state: State<'_, AppState>, choice: String) -> Result<DialectInfo, CommandError> {
    let flavor = if choice == "site" {
        None
    } else {
        Some(Flavor::from_name(&choice).ok_or_else(|| {
            CommandError::invalid(format!(
                "'{choice}' is not a Markdown dialect Galley knows: choose galley, hugo, zola, jekyll, astro or site"
            ))
        })?)
    };
    state.library()?.set_markdown_dialect(flavor)?;
    apply(&state)
}

fn apply(state: &AppState) -> Result<DialectInfo, CommandError> {
    let (chosen, site) = {
        let library = state.library()?;
        (library.markdown_dialect()?, library.linked_site()?)
    };
    // The config is read without holding the library.
    let (dialect, source) = galley::site_config::preview_dialect(chosen, site.as_deref());
    state.preview.set_dialect(dialect);
    Ok(DialectInfo { choice: chosen.map_or("site", Flavor::name).to_string(), dialect, source })
}
