//! The live preview's backend: the incremental renderer for the open document, highlighting on a
//! worker (typing never waits for syntect), and reading-time statistics off the keystroke path.
//! A panic anywhere in rendering is caught here: logged, shown in the preview, state restarted.
//! The workers get a clone of [`PreviewState`]; nothing here reaches into the app's other state.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use galley::render::{HighlightJob, HighlightResult, ImageSources, RenderOutput, Renderer};
use galley::stats::Stats;
use serde::Serialize;
use tauri::{Emitter, Runtime};

use crate::error::{CommandError, ErrorKind};

/// The editor's text as the backend holds it.
#[derive(Default)]
struct Document {
    /// The page's number for this version of the text (0: none held).
    version: u64,
    text: String,
    /// A known UTF-16/byte position pair in `text`, near the last edit.
    landmark: Landmark,
}

/// Preview state of the main window. Clones are the same preview: the command, the highlighting
/// worker and the statistics worker each hold one.
#[derive(Clone, Default)]
pub struct PreviewState {
    shared: Arc<Preview>,
}

#[derive(Default)]
struct Preview {
    renderer: Mutex<Renderer>,
    /// The editor's text as the backend last received it, and the page's number for that version.
    /// Keystrokes arrive as small changes against it instead of the whole post.
    document: Mutex<Document>,
    /// The newest revision waiting for statistics (only the latest matters).
    stats_slot: Mutex<Option<u64>>,
    stats_running: AtomicBool,
}

/// How long typing must pause before the statistics worker counts the post.
const STATS_SETTLE: std::time::Duration = std::time::Duration::from_millis(200);

/// Highlighted HTML for blocks already on screen (event `preview-highlight`).
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct HighlightedBlock {
    key: String,
    html: String,
}

/// Words and reading time of a rendered revision (event `preview-stats`).
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct StatsUpdate {
    revision: u64,
    stats: Stats,
}

/// One change of the editor's text, positions in UTF-16 code units of the text it applies to
/// (CodeMirror's positions).
#[derive(serde::Deserialize, ts_rs::TS)]
pub struct TextChange {
    from: usize,
    to: usize,
    insert: String,
}

/// A known pair of positions in the same text: `utf16` code units and `byte` bytes from its start.
/// Keystrokes land near each other, so converting from the last pair walks a few characters
/// instead of the whole post.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Landmark {
    utf16: usize,
    byte: usize,
}

/// Byte offset in `text` of a UTF-16 position, or `None` past the end or inside a character,
/// walking from `near` (a correct pair for this text).
fn byte_offset(text: &str, utf16: usize, near: Landmark) -> Option<usize> {
    let mut units = near.utf16;
    if utf16 >= near.utf16 {
        for (index, c) in text[near.byte..].char_indices() {
            if units == utf16 {
                return Some(near.byte + index);
            }
            units += c.len_utf16();
            if units > utf16 {
                return None;
            }
        }
        (units == utf16).then_some(text.len())
    } else {
        let mut byte = near.byte;
        for c in text[..near.byte].chars().rev() {
            units -= c.len_utf16();
            byte -= c.len_utf8();
            if units == utf16 {
                return Some(byte);
            }
            if units < utf16 {
                return None;
            }
        }
        None
    }
}

/// Applies changes given against the same base text (as CodeMirror's `iterChanges` reports
/// them: ascending, not overlapping) by working from the last to the first. `near` is a landmark
/// in the base text; the result is one in the new text (the start of the first change).
fn apply_changes(text: &mut String, changes: &[TextChange], near: Landmark) -> Option<Landmark> {
    let mut ranges = Vec::with_capacity(changes.len());
    let mut landmark = near;
    for change in changes {
        if change.from > change.to {
            return None;
        }
        let from = byte_offset(text, change.from, landmark)?;
        let from_mark = Landmark { utf16: change.from, byte: from };
        let to = byte_offset(text, change.to, from_mark)?;
        landmark = from_mark;
        ranges.push((from, to, change.insert.as_str()));
    }
    if ranges.windows(2).any(|pair| pair[0].1 > pair[1].0) {
        return None;
    }
    let first = changes.first().map(|change| Landmark { utf16: change.from, byte: ranges[0].0 });
    for (from, to, insert) in ranges.into_iter().rev() {
        text.replace_range(from..to, insert);
    }
    // Text before the first change is unchanged, so its start is a landmark in the new text too.
    Some(first.unwrap_or(near))
}

/// The text of a panic's payload (what `panic!` was given), for the log and the preview.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "an internal error (no details)".to_string()
    }
}

/// Locks `mutex`; when an earlier panic poisoned it, logs that, lets `reset` put the value back
/// into a known state and clears the poison, so one failure never disables the preview for good.
fn lock_or_reset<'m, T>(mutex: &'m Mutex<T>, what: &str, reset: impl FnOnce(&mut T)) -> MutexGuard<'m, T> {
    mutex.lock().unwrap_or_else(|poisoned| {
        eprintln!("galley: the preview's {what} was left broken by an earlier failure; starting it afresh");
        let mut guard = poisoned.into_inner();
        reset(&mut guard);
        mutex.clear_poison();
        guard
    })
}

/// The error the page answers by sending the whole text again.
fn resync() -> CommandError {
    CommandError::new(ErrorKind::Resync, "the preview lost track of the text; sending it again")
}

/// Runs one highlighting job; a panic in the highlighter leaves that code block plain.
fn run_highlight(job: &HighlightJob) -> HighlightResult {
    catch_unwind(AssertUnwindSafe(|| job.run())).unwrap_or_else(|payload| {
        eprintln!("galley: highlighting a {:?} code block failed, showing it plain: {}", job.lang, panic_message(&*payload));
        HighlightResult { id: job.id, html: None }
    })
}

impl PreviewState {
    /// Runs `f` on the renderer. A panic inside it (a renderer bug that some text triggers) never
    /// reaches the caller nor poisons the lock: it is logged, and `failed` gets the restarted
    /// renderer and the panic's message to make the answer.
    fn with_renderer<T>(&self, f: impl FnOnce(&mut Renderer) -> T, failed: impl FnOnce(&mut Renderer, &str) -> T) -> T {
        let mut renderer = lock_or_reset(&self.shared.renderer, "renderer", Renderer::restart);
        match catch_unwind(AssertUnwindSafe(|| f(&mut renderer))) {
            Ok(value) => value,
            Err(payload) => {
                let message = panic_message(&*payload);
                eprintln!("galley: the preview failed to render the text: {message}");
                renderer.restart();
                failed(&mut renderer, &message)
            }
        }
    }

    /// Renders from now on in `dialect` (a different one drops the renderer's caches: the next
    /// render returns every block).
    pub fn set_dialect(&self, dialect: galley::render::Dialect) {
        self.with_renderer(|renderer| renderer.set_dialect(dialect), |_, _| false);
    }

    /// The dialect the preview renders in.
    pub fn dialect(&self) -> galley::render::Dialect {
        self.with_renderer(|renderer| renderer.dialect(), |renderer, _| renderer.dialect())
    }

    /// Sets how the open post's image sources map (`galley::render::ImageSources`); a change makes
    /// the next render answer every block.
    pub fn set_image_sources(&self, images: ImageSources) {
        lock_or_reset(&self.shared.renderer, "renderer", Renderer::restart).set_image_sources(images);
    }

    /// How image sources map now (which post the preview shows).
    pub fn image_sources(&self) -> ImageSources {
        lock_or_reset(&self.shared.renderer, "renderer", Renderer::restart).image_sources().clone()
    }

    /// The editor's text as the backend holds it, locked (a poisoned lock forgets the text, so
    /// the next keystroke asks the page for all of it).
    fn document(&self) -> MutexGuard<'_, Document> {
        lock_or_reset(&self.shared.document, "copy of the text", |document| *document = Document::default())
    }

    /// Takes the editor's whole text as version `version` and renders it (see [`Self::render`]).
    pub fn render_text<R: Runtime>(
        &self,
        app: &tauri::AppHandle<R>,
        text: String,
        version: u64,
        reset: bool,
    ) -> Result<RenderOutput, CommandError> {
        catch_unwind(AssertUnwindSafe(|| {
            let mut document = self.document();
            *document = Document { version, text, landmark: Landmark::default() };
            self.render(app, &document.text, reset)
        }))
        .unwrap_or_else(|payload| {
            // Shown in the preview like a renderer failure (an error here would make the page
            // send the same text again at once).
            let message = panic_message(&*payload);
            eprintln!("galley: the preview failed to take the text: {message}");
            Ok(self.with_renderer(|renderer| renderer.failed(&message), |renderer, message| renderer.failed(message)))
        })
    }

    /// Applies the editor's changes since version `base` and renders version `version`. When the
    /// backend does not hold `base` (a change got lost, another post was opened, an earlier
    /// failure), it answers with the error kind `resync` and the page sends the whole text instead.
    pub fn render_changes<R: Runtime>(
        &self,
        app: &tauri::AppHandle<R>,
        base: u64,
        version: u64,
        changes: &[TextChange],
    ) -> Result<RenderOutput, CommandError> {
        catch_unwind(AssertUnwindSafe(|| self.apply_and_render(app, base, version, changes))).unwrap_or_else(|payload| {
            eprintln!("galley: the preview failed to apply a change, asking for the whole text: {}", panic_message(&*payload));
            self.document().version = 0;
            Err(resync())
        })
    }

    fn apply_and_render<R: Runtime>(
        &self,
        app: &tauri::AppHandle<R>,
        base: u64,
        version: u64,
        changes: &[TextChange],
    ) -> Result<RenderOutput, CommandError> {
        let mut document = self.document();
        if document.version != base || base == 0 {
            return Err(resync());
        }
        let near = document.landmark;
        let Some(landmark) = apply_changes(&mut document.text, changes, near) else {
            document.version = 0;
            return Err(resync());
        };
        document.version = version;
        document.landmark = landmark;
        self.render(app, &document.text, false)
    }

    /// Renders the editor's text incrementally; code blocks come plain and are highlighted on a
    /// worker, which then emits `preview-highlight`. Statistics follow as `preview-stats`.
    pub fn render<R: Runtime>(&self, app: &tauri::AppHandle<R>, text: &str, reset: bool) -> Result<RenderOutput, CommandError> {
        let (output, jobs) = self.with_renderer(
            |renderer| {
                if reset {
                    renderer.reset_view();
                }
                let output = renderer.render(text);
                (output, renderer.take_highlight_jobs())
            },
            |renderer, message| (renderer.failed(message), Vec::new()),
        );
        if !jobs.is_empty() {
            let app = app.clone();
            let preview = self.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let results: Vec<_> = jobs.iter().map(run_highlight).collect();
                let updates: Vec<HighlightedBlock> = preview.with_renderer(
                    |renderer| {
                        renderer
                            .apply_highlights(results)
                            .into_iter()
                            .map(|update| HighlightedBlock { key: update.key, html: update.html })
                            .collect()
                    },
                    |_, _| Vec::new(),
                );
                if !updates.is_empty() {
                    let _ = app.emit_to("main", "preview-highlight", updates);
                }
            });
        }
        self.request_stats(app, output.revision);
        Ok(output)
    }

    /// Counts words and reading time of the newest text on a worker, skipping texts that were
    /// superseded while it counted. Only the revision is noted here: the worker copies the text
    /// once typing pauses, not on every keystroke.
    fn request_stats<R: Runtime>(&self, app: &tauri::AppHandle<R>, revision: u64) {
        if let Ok(mut slot) = self.shared.stats_slot.lock() {
            *slot = Some(revision);
        }
        if self.shared.stats_running.swap(true, Ordering::AcqRel) {
            return;
        }
        let preview = self.clone();
        let app = app.clone();
        let mut last_seen = Some(revision);
        tauri::async_runtime::spawn_blocking(move || loop {
            // Count only once typing pauses: counting a long post takes tens of milliseconds of a
            // core that the web view needs for painting keystrokes.
            std::thread::sleep(STATS_SETTLE);
            let (slot, running) = (&preview.shared.stats_slot, &preview.shared.stats_running);
            let Ok(mut waiting) = slot.lock() else { return };
            let revision = match *waiting {
                None => {
                    running.store(false, Ordering::Release);
                    drop(waiting);
                    // A revision may have arrived between the check and the store.
                    let more = slot.lock().map(|slot| slot.is_some()).unwrap_or(false);
                    if more && !running.swap(true, Ordering::AcqRel) {
                        continue;
                    }
                    return;
                }
                Some(revision) if Some(revision) != last_seen => {
                    // Still typing: wait for a pause.
                    last_seen = Some(revision);
                    continue;
                }
                Some(revision) => revision,
            };
            *waiting = None;
            drop(waiting);
            last_seen = None;
            // The newest text (if typing went on meanwhile, its own revision follows next round).
            let text = preview.document().text.clone();
            match catch_unwind(|| galley::stats::stats(&text)) {
                Ok(stats) => {
                    let _ = app.emit_to("main", "preview-stats", StatsUpdate { revision, stats });
                }
                Err(payload) => eprintln!("galley: counting the post's words failed: {}", panic_message(&*payload)),
            }
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
    fn a_panic_in_the_renderer_becomes_a_visible_error_and_the_next_render_works() {
        let state = PreviewState::default();
        let first = state.with_renderer(|renderer| renderer.render("# Before\n"), |renderer, message| renderer.failed(message));
        let failed = state
            .with_renderer(|_| -> RenderOutput { panic!("attempt to add with overflow") }, |renderer, message| renderer.failed(message));
        assert!(!state.shared.renderer.is_poisoned(), "the panic never poisons the lock");
        assert_eq!((failed.keep_head, failed.keep_tail, failed.total), (0, 0, 1), "the error replaces the whole preview");
        let html = &failed.blocks[0].html;
        assert!(html.contains("The preview failed to render this text:") && html.contains("attempt to add with overflow"), "{html}");
        assert!(failed.revision > first.revision, "revisions keep counting up");
        // The next render starts afresh: every block, replacing the error.
        let next = state.with_renderer(|renderer| renderer.render("# After\n\ntext\n"), |renderer, message| renderer.failed(message));
        assert_eq!((next.keep_head, next.keep_tail, next.blocks.len()), (0, 0, 2), "{:?}", next.blocks);
        assert!(next.revision > failed.revision);
    }

    #[test]
    fn a_poisoned_lock_is_recovered_and_asks_for_the_whole_text() {
        let state = PreviewState::default();
        *state.document() = Document { version: 7, text: "kept?".into(), landmark: Landmark::default() };
        std::thread::scope(|scope| {
            let poisoner = scope.spawn(|| {
                let _document = state.shared.document.lock();
                let _renderer = state.shared.renderer.lock();
                panic!("a failure while holding the locks");
            });
            assert!(poisoner.join().is_err());
        });
        assert!(state.shared.document.is_poisoned() && state.shared.renderer.is_poisoned());
        let document = state.document();
        assert_eq!((document.version, document.text.as_str()), (0, ""), "version 0: the next keystroke resyncs");
        drop(document);
        assert!(!state.shared.document.is_poisoned());
        let output = state.with_renderer(|renderer| renderer.render("text\n"), |renderer, message| renderer.failed(message));
        assert_eq!(output.blocks.len(), 1);
        assert!(!state.shared.renderer.is_poisoned());
    }

    #[test]
    fn changes_apply_in_utf16_positions() {
        let mut text = String::from("a–b 😀 c");
        // "–" is one UTF-16 unit (3 bytes); "😀" is two units (4 bytes).
        let mark = apply_changes(&mut text, &[change(1, 2, "-"), change(4, 6, ":)")], Landmark::default()).unwrap();
        assert_eq!(text, "a-b :) c");
        assert_eq!(mark, Landmark { utf16: 1, byte: 1 });
        apply_changes(&mut text, &[change(8, 8, "!")], mark).unwrap();
        assert_eq!(text, "a-b :) c!");
    }

    #[test]
    fn bad_changes_are_refused_not_applied() {
        let mut text = String::from("x😀y");
        let end = Landmark { utf16: 4, byte: 6 };
        for near in [Landmark::default(), end] {
            assert!(apply_changes(&mut text, &[change(2, 2, "inside a surrogate pair")], near).is_none());
            assert!(apply_changes(&mut text, &[change(3, 9, "past the end")], near).is_none());
            assert!(apply_changes(&mut text, &[change(0, 2, "a"), change(1, 3, "overlap")], near).is_none());
            assert!(apply_changes(&mut text, &[change(3, 1, "backwards")], near).is_none());
        }
        assert_eq!(text, "x😀y");
    }

    /// Applying changes the slow, obvious way: through the text as UTF-16 code units.
    fn reference_apply(text: &str, changes: &[TextChange]) -> String {
        let mut units: Vec<u16> = text.encode_utf16().collect();
        for change in changes.iter().rev() {
            units.splice(change.from..change.to, change.insert.encode_utf16());
        }
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn landmarks_carried_across_many_edits_give_the_same_text_as_converting_from_the_start() {
        let pieces = ["a", "é", "–", "😀", "\n", "code ", "ß"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound.max(1) as u64) as usize
        };
        let mut text: String = (0..400).map(|i| pieces[i % pieces.len()]).collect();
        let mut landmark = Landmark::default();
        for _ in 0..2000 {
            // Char boundaries in UTF-16 units, so every change is a valid one.
            let mut boundaries = vec![0];
            for c in text.chars() {
                boundaries.push(boundaries.last().unwrap() + c.len_utf16());
            }
            let mut a = boundaries[next(boundaries.len())];
            let mut b = if next(3) == 0 { a } else { boundaries[next(boundaries.len())] };
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let insert: String = (0..next(4)).map(|_| pieces[next(pieces.len())]).collect();
            let changes = [change(a, b, &insert)];
            let expected = reference_apply(&text, &changes);
            landmark = apply_changes(&mut text, &changes, landmark).unwrap();
            assert_eq!(text, expected);
            assert_eq!(text[..landmark.byte].encode_utf16().count(), landmark.utf16, "the landmark stays true");
        }
    }
}
