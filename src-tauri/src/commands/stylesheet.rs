//! Commands for the site's own stylesheet in the preview: choose it (system dialog) or forget it,
//! and read it made safe; the watch that reloads it is `stylesheet_watch.rs`.
use std::path::PathBuf;

use serde::Serialize;
use tauri::{Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::state::AppState;

/// Settings key of the stylesheet the preview borrows from the site.
const PREVIEW_CSS: &str = "preview_css";

/// The site's stylesheet for the preview, made safe (remote references dropped, the site's own
/// fonts and images inlined), or why it cannot be used (the preview then uses Galley's own).
#[derive(Serialize, ts_rs::TS)]
pub struct SiteCss {
    path: Option<String>,
    css: Option<String>,
    /// References that were not loaded, each with its reason.
    dropped: Vec<String>,
    error: Option<String>,
}

/// Lets the writer pick a CSS file (the site's own) for the preview, or forget it (`clear`).
#[tauri::command]
pub async fn choose_preview_css<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    clear: bool,
) -> Result<SiteCss, CommandError> {
    if clear {
        state.library()?.set_setting(PREVIEW_CSS, None)?;
    } else if let Some(file) =
        app.dialog().file().set_title("Choose your site's stylesheet").add_filter("CSS", &["css"]).blocking_pick_file()
    {
        let file = file.into_path().map_err(|error| CommandError::invalid(format!("that file cannot be used: {error}")))?;
        state.library()?.set_setting(PREVIEW_CSS, Some(&file.to_string_lossy()))?;
    }
    preview_site_css(app, state).await
}

/// The chosen stylesheet, read off the main thread (regular files only, at most 1 MiB) and made
/// safe for the preview. The library is locked only to read the setting, never during the read.
#[tauri::command]
pub async fn preview_site_css<R: Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>) -> Result<SiteCss, CommandError> {
    let (path, site) = {
        let library = state.library()?;
        (library.setting(PREVIEW_CSS)?, library.linked_site()?)
    };
    let Some(path) = path else {
        state.stylesheet.follow(&app, None);
        return Ok(SiteCss { path: None, css: None, dropped: Vec::new(), error: None });
    };
    let file = PathBuf::from(&path);
    state.stylesheet.follow(&app, Some(&file));
    let roots = galley::stylesheet::AssetRoots::for_stylesheet(&file, site.as_deref());
    Ok(match galley::stylesheet::read_preview_stylesheet(&file, &roots) {
        Ok(sheet) => SiteCss { path: Some(path), css: Some(sheet.css), dropped: sheet.dropped, error: None },
        Err(error) => SiteCss {
            path: Some(path),
            css: None,
            dropped: Vec::new(),
            error: Some(format!("{error}. The preview uses Galley's own style until the file is fixed or another one is chosen.")),
        },
    })
}
