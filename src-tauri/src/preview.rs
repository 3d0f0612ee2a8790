//! The live preview's backend: the incremental renderer for the open document, highlighting on a
//! worker (typing never waits for syntect), and reading-time statistics off the keystroke path.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use galley::render::{RenderOutput, Renderer};
use galley::stats::Stats;
use serde::Serialize;
use tauri::{Emitter, Runtime};

use crate::error::CommandError;

/// Preview state of the main window.
#[derive(Default)]
pub struct PreviewState {
    renderer: Mutex<Renderer>,
    /// The newest text waiting for statistics (only the latest matters).
    stats_slot: Arc<Mutex<Option<(u64, String)>>>,
    stats_running: Arc<AtomicBool>,
}

/// Highlighted HTML for blocks already on screen (event `preview-highlight`).
#[derive(Clone, Serialize)]
pub struct HighlightedBlock {
    key: String,
    html: String,
}

/// Words and reading time of a rendered revision (event `preview-stats`).
#[derive(Clone, Serialize)]
pub struct StatsUpdate {
    revision: u64,
    stats: Stats,
}

impl PreviewState {
    /// Renders the editor's text incrementally; code blocks come plain and are highlighted on a
    /// worker, which then emits `preview-highlight`. Statistics follow as `preview-stats`.
    pub fn render<R: Runtime>(&self, app: &tauri::AppHandle<R>, text: &str, reset: bool) -> Result<RenderOutput, CommandError> {
        let (output, jobs) = {
            let mut renderer = self.renderer.lock().map_err(|_| CommandError::poisoned())?;
            if reset {
                renderer.reset_view();
            }
            let output = renderer.render(text);
            (output, renderer.take_highlight_jobs())
        };
        if !jobs.is_empty() {
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let results: Vec<_> = jobs.iter().map(|job| job.run()).collect();
                let state = tauri::Manager::state::<crate::state::AppState>(&app);
                let Ok(mut renderer) = state.preview.renderer.lock() else { return };
                let updates: Vec<HighlightedBlock> = renderer
                    .apply_highlights(results)
                    .into_iter()
                    .map(|update| HighlightedBlock { key: update.key, html: update.html })
                    .collect();
                drop(renderer);
                if !updates.is_empty() {
                    let _ = app.emit_to("main", "preview-highlight", updates);
                }
            });
        }
        self.request_stats(app, output.revision, text);
        Ok(output)
    }

    /// Counts words and reading time of the newest text on a worker, skipping texts that were
    /// superseded while it counted.
    fn request_stats<R: Runtime>(&self, app: &tauri::AppHandle<R>, revision: u64, text: &str) {
        if let Ok(mut slot) = self.stats_slot.lock() {
            *slot = Some((revision, text.to_owned()));
        }
        if self.stats_running.swap(true, Ordering::AcqRel) {
            return;
        }
        let slot = Arc::clone(&self.stats_slot);
        let running = Arc::clone(&self.stats_running);
        let app = app.clone();
        tauri::async_runtime::spawn_blocking(move || loop {
            let next = slot.lock().ok().and_then(|mut slot| slot.take());
            let Some((revision, text)) = next else {
                running.store(false, Ordering::Release);
                // A text may have arrived between the take and the store.
                let more = slot.lock().map(|slot| slot.is_some()).unwrap_or(false);
                if more && !running.swap(true, Ordering::AcqRel) {
                    continue;
                }
                return;
            };
            let stats = galley::stats::stats(&text);
            let _ = app.emit_to("main", "preview-stats", StatsUpdate { revision, stats });
        });
    }
}
