//! Commands for the linked site folder: choose it (system dialog, in Rust), import its posts, and
//! export to it with a preset after a dry run. The page never sends a path: the folder is the one
//! the writer picked, remembered in the library.
use std::path::PathBuf;

use galley::export::{ExportOptions, ExportPlan, ExportReport, Preset};
use galley::import::{ImportPlan, ImportReport};
use galley::library::Status;
use serde::Serialize;
use tauri::{Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::state::AppState;

/// The linked site folder, as the status bar and dialogs show it.
#[derive(Serialize)]
pub struct SiteInfo {
    folder: Option<String>,
}

fn linked_folder(state: &AppState) -> Result<PathBuf, CommandError> {
    state.library()?.linked_site()?.ok_or_else(|| CommandError::invalid("no site folder is linked yet: choose one first"))
}

/// The site folder this library is linked to, if any.
#[tauri::command]
pub async fn site_info(state: State<'_, AppState>) -> Result<SiteInfo, CommandError> {
    let folder = state.library()?.linked_site()?;
    Ok(SiteInfo { folder: folder.map(|f| f.display().to_string()) })
}

/// Lets the writer pick the site folder with the system dialog and remembers it.
/// Returns the folder (unchanged when the dialog was cancelled).
#[tauri::command]
pub async fn choose_site_folder<R: Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>) -> Result<SiteInfo, CommandError> {
    let picked = app.dialog().file().set_title("Choose your site folder").blocking_pick_folder();
    if let Some(folder) = picked {
        let folder = folder.into_path().map_err(|error| CommandError::invalid(format!("that folder cannot be used: {error}")))?;
        if !folder.is_dir() {
            return Err(CommandError::invalid(format!("{} is not a folder", folder.display())));
        }
        state.library()?.set_linked_site(Some(&folder))?;
        state.watch_linked_site(&app);
    }
    site_info(state).await
}

/// What importing the linked site would do, file by file.
#[tauri::command]
pub async fn import_site_plan(state: State<'_, AppState>) -> Result<ImportPlan, CommandError> {
    let folder = linked_folder(&state)?;
    // The folder is read without holding the library (reading a large site takes a while).
    let scan = galley::import::scan(&folder)?;
    let library = state.library()?;
    Ok(galley::import::plan_scan(&library, scan)?)
}

/// Imports the linked site's posts (re-importing updates changed posts, duplicates nothing).
#[tauri::command]
pub async fn import_site(state: State<'_, AppState>, force: bool) -> Result<ImportReport, CommandError> {
    let folder = linked_folder(&state)?;
    let scan = galley::import::scan(&folder)?;
    let mut library = state.library()?;
    let plan = galley::import::plan_scan(&library, scan)?;
    Ok(galley::import::execute(&mut library, &plan, force)?)
}

fn export_options(state: &AppState, preset: &str, status: Option<String>) -> Result<ExportOptions, CommandError> {
    Ok(ExportOptions {
        site: linked_folder(state)?,
        preset: Preset::parse(preset)?,
        status: status.filter(|s| !s.is_empty()).map(|s| Status::parse(&s)).transpose()?,
        post_ids: None,
    })
}

/// Plans an export holding the library only while reading its posts and records: the site folder
/// is read after the lock is released, so saves and lists never wait for the disk.
fn plan_export(state: &AppState, options: &ExportOptions) -> Result<ExportPlan, CommandError> {
    let inputs = {
        let library = state.library()?;
        galley::export::PlanInputs::read(&library, options)?
    };
    Ok(galley::export::plan_from(inputs, options)?)
}

/// The app's library as an export ledger: locked for each record or revision, never while the
/// export writes files.
struct LockedLedger<'a>(&'a AppState);

impl LockedLedger<'_> {
    fn with<T>(&self, step: impl FnOnce(&mut galley::library::Library) -> galley::Result<T>) -> galley::Result<T> {
        let mut library = self.0.library().map_err(|error| galley::Error::Invalid(error.message))?;
        step(&mut library)
    }
}

impl galley::export::ExportLedger for LockedLedger<'_> {
    fn site_files(&mut self, root: &str) -> galley::Result<std::collections::HashMap<String, galley::library::SiteFile>> {
        self.with(|library| library.site_files(root))
    }
    fn record_export(&mut self, root: &str, writes: &[galley::library::ExportWrite<'_>]) -> galley::Result<()> {
        self.with(|library| library.record_export(root, writes))
    }
    fn keep_overwritten_text(&mut self, post_id: i64, text: &str, reason: &str) -> galley::Result<()> {
        self.with(|library| library.keep_overwritten_text(post_id, text, reason).map(|_| ()))
    }
    fn restore_site_file(
        &mut self,
        root: &str,
        path: &str,
        previous: Option<&galley::library::SiteFile>,
        preset: &str,
    ) -> galley::Result<()> {
        self.with(|library| library.restore_site_file(root, path, previous, preset))
    }
    fn record_asset_export(&mut self, root: &str, writes: &[galley::library::AssetExportWrite<'_>]) -> galley::Result<()> {
        self.with(|library| library.record_asset_export(root, writes))
    }
}

/// The dry run: each file the export would write, as create / update / unchanged / conflict.
#[tauri::command]
pub async fn export_site_plan(state: State<'_, AppState>, preset: String, status: Option<String>) -> Result<ExportPlan, CommandError> {
    let options = export_options(&state, &preset, status)?;
    plan_export(&state, &options)
}

/// Exports to the linked site folder (planned again here, never trusting a plan from the page).
/// Files changed outside Galley are refused unless `force`. The library is locked only for its
/// own reads and writes, never while files are read or written.
#[tauri::command]
pub async fn export_site(
    state: State<'_, AppState>,
    preset: String,
    status: Option<String>,
    force: bool,
) -> Result<ExportReport, CommandError> {
    let options = export_options(&state, &preset, status)?;
    let plan = plan_export(&state, &options)?;
    Ok(galley::export::execute(&mut LockedLedger(&state), &plan, force, &mut |_, _| {})?)
}
