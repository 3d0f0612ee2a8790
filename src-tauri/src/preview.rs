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
    /// The editor's text as the backend last received it, and the page's number for that version.
    /// Keystrokes arrive as small changes against it instead of the whole post.
    document: Mutex<(u64, String)>,
    /// The newest text waiting for statistics (only the latest matters).
    stats_slot: Arc<Mutex<Option<(u64, String)>>>,
    stats_running: Arc<AtomicBool>,
}

/// How long the statistics worker waits for typing to pause before counting.
const STATS_SETTLE: std::time::Duration = std::time::Duration::from_millis(200);

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

/// One change of the editor's text, positions in UTF-16 code units of the text it applies to
/// (CodeMirror's positions).
#[derive(serde::Deserialize)]
pub struct TextChange {
    from: usize,
    to: usize,
    insert: String,
}

/// Byte offset in `text` of a UTF-16 position, or `None` past the end or inside a character.
fn byte_offset(text: &str, utf16: usize) -> Option<usize> {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        if units == utf16 {
            return Some(index);
        }
        units += c.len_utf16();
        if units > utf16 {
            return None;
        }
    }
    (units == utf16).then_some(text.len())
}

/// Applies changes given against the same base text (as CodeMirror's `iterChanges` reports
/// them: ascending, not overlapping) by working from the last to the first.
fn apply_changes(text: &mut String, changes: &[TextChange]) -> Option<()> {
    let mut ranges = Vec::with_capacity(changes.len());
    for change in changes {
        let from = byte_offset(text, change.from)?;
        let to = byte_offset(text, change.to)?;
        if from > to {
            return None;
        }
        ranges.push((from, to, change.insert.as_str()));
    }
    if ranges.windows(2).any(|pair| pair[0].1 > pair[1].0) {
        return None;
    }
    for (from, to, insert) in ranges.into_iter().rev() {
        text.replace_range(from..to, insert);
    }
    Some(())
}

impl PreviewState {
    /// Takes the editor's whole text as version `version` and renders it (see [`Self::render`]).
    pub fn render_text<R: Runtime>(&self, app: &tauri::AppHandle<R>, text: String, version: u64, reset: bool) -> Result<RenderOutput, CommandError> {
        let mut document = self.document.lock().map_err(|_| CommandError::poisoned())?;
        *document = (version, text);
        self.render(app, &document.1, reset)
    }

    /// Applies the editor's changes since version `base` and renders version `version`. When the
    /// backend does not hold `base` (a change got lost, another post was opened), it answers with
    /// the error kind `resync` and the page sends the whole text instead.
    pub fn render_changes<R: Runtime>(&self, app: &tauri::AppHandle<R>, base: u64, version: u64, changes: &[TextChange]) -> Result<RenderOutput, CommandError> {
        let mut document = self.document.lock().map_err(|_| CommandError::poisoned())?;
        let resync = || CommandError { kind: "resync", message: "the preview lost track of the text; sending it again".into() };
        if document.0 != base {
            return Err(resync());
        }
        if apply_changes(&mut document.1, changes).is_none() {
            document.0 = 0;
            return Err(resync());
        }
        document.0 = version;
        self.render(app, &document.1, false)
    }

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
            // Let a burst of typing settle first: counting a long post competes with painting.
            std::thread::sleep(STATS_SETTLE);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn change(from: usize, to: usize, insert: &str) -> TextChange {
        TextChange { from, to, insert: insert.into() }
    }

    #[test]
    fn changes_apply_in_utf16_positions() {
        let mut text = String::from("a–b 😀 c");
        // "–" is one UTF-16 unit (3 bytes); "😀" is two units (4 bytes).
        apply_changes(&mut text, &[change(1, 2, "-"), change(4, 6, ":)")]).unwrap();
        assert_eq!(text, "a-b :) c");
        apply_changes(&mut text, &[change(8, 8, "!")]).unwrap();
        assert_eq!(text, "a-b :) c!");
    }

    #[test]
    fn bad_changes_are_refused_not_applied() {
        let mut text = String::from("x😀y");
        assert!(apply_changes(&mut text, &[change(2, 2, "inside a surrogate pair")]).is_none());
        assert!(apply_changes(&mut text, &[change(3, 9, "past the end")]).is_none());
        assert!(apply_changes(&mut text, &[change(0, 2, "a"), change(1, 3, "overlap")]).is_none());
        assert_eq!(text, "x😀y");
    }
}
