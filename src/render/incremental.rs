//! The incremental preview renderer: chunks cached by source and document context (link
//! definitions, footnotes, heading ids), plain code first, highlighting as lock-free jobs.
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, Parser, Tag};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use serde::Serialize;
use unicase::UniCase;

use super::dialect::Dialect;
use super::image_src::ImageSources;
use super::template::BlockTemplate;
use super::writer::{normalize_footnote_label, DocState, HeadingId, Usage};
use super::RenderedBlock;
use super::{blocks_from_events, highlight, line_of, line_starts, split};

/// A link reference definition's destination and title.
type LinkTarget = (String, String);

/// What a chunk's source alone tells (cached by source).
#[derive(Debug)]
struct ChunkMeta {
    text: Arc<str>,
    hash: u64,
    /// The chunk ends inside a fenced code block or a long HTML block: merge with the next one.
    open_at_end: bool,
    newlines: usize,
    refdefs: Vec<(String, LinkTarget)>,
    /// Footnotes defined here: label as written.
    footnote_defs: Vec<String>,
    /// Footnote labels that `[^…]` text in the chunk may refer to (normalized).
    footnote_refs: Vec<String>,
}

/// A chunk rendered in a given document context (cached by source, checked against context).
#[derive(Debug)]
struct ChunkRender {
    text: Arc<str>,
    /// Every reference looked up outside the chunk, with what it resolved to.
    links: Vec<(String, Option<LinkTarget>)>,
    /// Footnote definitions from elsewhere that were stubbed in (labels as written).
    stubs: Vec<String>,
    usage: Usage,
    /// Each block's first line relative to the chunk's first line, and its template.
    blocks: Vec<(usize, Arc<BlockTemplate>)>,
}

#[derive(Debug, Clone)]
struct CurrentBlock {
    hash: u64,
    /// Identity given by the renderer: kept while the block is unchanged (or only moved).
    id: u64,
    line: usize,
    template: Arc<BlockTemplate>,
}

impl CurrentBlock {
    fn key(&self) -> String {
        format!("b{:x}", self.id)
    }
}

/// One block of the document, without its HTML. A `Renderer` gives each block a key when it
/// first appears and keeps it while the block stays unchanged (it may move: see `line`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockRef {
    /// Stable key (see [`RenderedBlock::key`]).
    pub key: String,
    /// 1-based source line where the block starts.
    pub line: usize,
}

/// What changed since the previous `render`: the document's blocks are the previous list with
/// its first `keep_head` blocks kept as they were, its last `keep_tail` blocks kept with their
/// lines shifted by `line_shift` (add it to every `data-line` inside them), and everything in
/// between replaced by `blocks`, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RenderOutput {
    /// Increases with every `render`; highlight updates carry the revision they belong to.
    pub revision: u64,
    /// Number of blocks in the document now.
    pub total: usize,
    /// Leading blocks unchanged (same key, same line).
    pub keep_head: usize,
    /// Trailing blocks unchanged except for their line, which moved by `line_shift`.
    pub keep_tail: usize,
    /// Lines the trailing blocks moved by.
    pub line_shift: i64,
    /// The new blocks between head and tail, with their HTML (code plain until highlighted).
    pub blocks: Vec<RenderedBlock>,
    /// Code blocks still waiting for highlighting (see [`Renderer::take_highlight_jobs`]).
    pub pending_highlights: usize,
}

/// Highlighting work for one code block: a pure function of its fields, run it anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighlightJob {
    /// Identity of the code block's (language, code).
    pub id: u64,
    /// The fence's language word.
    pub lang: String,
    /// The code.
    pub code: String,
}

/// The highlighted HTML of one code block (`None`: language unknown, stays plain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighlightResult {
    /// The job's id.
    pub id: u64,
    /// Highlighted spans (the inside of `<code>`), or `None` for plain.
    pub html: Option<String>,
}

impl HighlightJob {
    /// Highlights the code (syntect; a few milliseconds per block, much more on first use).
    pub fn run(&self) -> HighlightResult {
        HighlightResult { id: self.id, html: highlight::highlight_code(&self.lang, &self.code) }
    }
}

/// A block whose HTML changed after the fact (its code got highlighted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockUpdate {
    /// The `RenderOutput::revision` this HTML belongs to; apply it after that output.
    pub revision: u64,
    /// The block to replace.
    pub key: String,
    /// Its line at that revision.
    pub line: usize,
    /// Its new HTML.
    pub html: String,
}

/// Incremental renderer for one open document. Cheap to create; keep one per editor (e.g. in a
/// `Mutex` in app state). `render` never runs syntect: highlighting is handed out as jobs.
///
/// A keystroke costs a comparison with the previous text, a re-scan of the few chunks around
/// the edit and a parse of the changed ones; the rest of the document is reused as it was.
#[derive(Debug, Default)]
pub struct Renderer {
    metas: FxHashMap<u64, Vec<Arc<ChunkMeta>>>,
    renders: FxHashMap<u64, Vec<Arc<ChunkRender>>>,
    highlights: FxHashMap<u64, Option<Arc<str>>>,
    queue: Vec<HighlightJob>,
    queued: FxHashSet<u64>,
    current: Vec<CurrentBlock>,
    revision: u64,
    fresh_view: bool,
    rendered_once: bool,
    live: FxHashSet<u64>,
    /// The previous text and its chunks, for the windowed fast path.
    text: String,
    slots: Vec<Slot>,
    links: LinkMap,
    footnotes: FootnoteMap,
    next_id: u64,
    /// The numbering state before slot `.0`, from the last windowed render that needed it.
    snapshot: Option<(usize, DocState)>,
    /// The dialect every cached chunk was rendered in.
    dialect: Dialect,
    /// How image sources map for the open post (see [`Renderer::set_image_sources`]).
    images: ImageSources,
}

/// Link reference definitions of the whole document (first definition wins).
type LinkMap = FxHashMap<UniCase<String>, LinkTarget>;
/// Footnote definitions of the whole document: normalized label → label as written.
type FootnoteMap = FxHashMap<UniCase<String>, String>;

/// One chunk of the last render.
#[derive(Debug, Clone)]
struct Slot {
    start: usize,
    line: usize,
    first_block: usize,
    meta: Arc<ChunkMeta>,
    render: Arc<ChunkRender>,
}

/// Appends one rendered chunk: its slot, starting at `start` / `line`, and its blocks (the first
/// of `blocks` has index `block_base` in the document), then moves `start` and `line` past it.
fn push_chunk(
    slots: &mut Vec<Slot>,
    blocks: &mut Vec<CurrentBlock>,
    block_base: usize,
    meta: Arc<ChunkMeta>,
    render: Arc<ChunkRender>,
    start: &mut usize,
    line: &mut usize,
) {
    let first_block = block_base + blocks.len();
    for (relative, template) in &render.blocks {
        blocks.push(CurrentBlock { hash: template.hash, id: 0, line: line.saturating_add(*relative), template: Arc::clone(template) });
    }
    let (chunk_start, chunk_line) = (*start, *line);
    *line += meta.newlines;
    *start += meta.text.len();
    slots.push(Slot { start: chunk_start, line: chunk_line, first_block, meta, render });
}

impl Slot {
    fn has_context(&self) -> bool {
        !self.meta.refdefs.is_empty() || !self.meta.footnote_defs.is_empty()
    }
    fn has_usage(&self) -> bool {
        !self.render.usage.headings.is_empty() || !self.render.usage.footnotes.is_empty()
    }
}

/// A window of the document that was re-rendered: new blocks replacing old ones.
struct Window {
    /// First block index (same in old and new lists).
    first_block: usize,
    /// Old blocks replaced.
    old_blocks: usize,
    /// New blocks, in order.
    blocks: Vec<CurrentBlock>,
    /// Lines the blocks after the window moved by.
    line_shift: i64,
}

const MAX_VARIANTS: usize = 4;

impl Renderer {
    /// An empty renderer (Galley's own dialect).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty renderer for `dialect`.
    pub fn with_dialect(dialect: Dialect) -> Self {
        Renderer { dialect, ..Renderer::default() }
    }

    /// The dialect this renderer renders in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Switches to `dialect`: when it differs, every cache is dropped and the next `render`
    /// returns every block. Returns whether it changed.
    pub fn set_dialect(&mut self, dialect: Dialect) -> bool {
        if self.dialect == dialect {
            return false;
        }
        self.restart();
        self.dialect = dialect;
        true
    }

    /// Renders `markdown` and returns only what changed since the previous call (everything on
    /// the first call or after [`Renderer::reset_view`]).
    pub fn render(&mut self, markdown: &str) -> RenderOutput {
        self.revision += 1;
        let fresh = self.fresh_view || !self.rendered_once;
        let window = if self.rendered_once { self.try_window(markdown) } else { None };
        let (mut keep_head, mut keep_tail, mut line_shift) = match window {
            Some(window) => self.apply_window(window),
            None => {
                let next = self.render_everything(markdown);
                let previous = std::mem::replace(&mut self.current, next);
                let (head, tail, shift) = diff(&previous, &self.current);
                let len = self.current.len();
                for (index, block) in self.current.iter_mut().enumerate() {
                    if index < head {
                        block.id = previous[index].id;
                    } else if index >= len - tail {
                        block.id = previous[previous.len() - (len - index)].id;
                    } else {
                        self.next_id += 1;
                        block.id = self.next_id;
                    }
                }
                (head, tail, shift)
            }
        };
        self.text.clear();
        self.text.push_str(markdown);
        if fresh {
            (keep_head, keep_tail, line_shift) = (0, 0, 0);
        }
        self.fresh_view = false;
        self.rendered_once = true;
        let changed = &self.current[keep_head..self.current.len() - keep_tail];
        for block in changed {
            for slot in &block.template.codes {
                if !self.highlights.contains_key(&slot.id) && self.queued.insert(slot.id) {
                    self.queue.push(HighlightJob { id: slot.id, lang: slot.lang.clone(), code: slot.code.clone() });
                }
            }
        }
        let blocks = changed.iter().map(|block| self.materialize(block)).collect();
        self.prune();
        RenderOutput {
            revision: self.revision,
            total: self.current.len(),
            keep_head,
            keep_tail,
            line_shift,
            blocks,
            pending_highlights: self.queued.len(),
        }
    }

    /// Renders `markdown` and returns every block with its HTML (code highlighted when cached).
    pub fn render_full(&mut self, markdown: &str) -> Vec<RenderedBlock> {
        self.render(markdown);
        self.blocks()
    }

    /// Every block of the last render with its HTML.
    pub fn blocks(&self) -> Vec<RenderedBlock> {
        self.current.iter().map(|block| self.materialize(block)).collect()
    }

    /// Every block of the last render, keys and lines only.
    pub fn block_refs(&self) -> Vec<BlockRef> {
        self.current.iter().map(|block| BlockRef { key: block.key(), line: block.line }).collect()
    }

    /// The next `render` returns every block (e.g. after the preview was reloaded).
    pub fn reset_view(&mut self) {
        self.fresh_view = true;
        self.queue.clear();
        self.queued.clear();
    }

    /// Forgets everything but the revision counter, so the next `render` starts from nothing
    /// and returns every block. For recovering after a failure left the renderer's state suspect.
    pub fn restart(&mut self) {
        let (revision, dialect) = (self.revision, self.dialect);
        let images = std::mem::take(&mut self.images);
        *self = Renderer { revision, dialect, images, ..Renderer::default() };
    }

    /// How image sources map now.
    pub fn image_sources(&self) -> &ImageSources {
        &self.images
    }

    /// Sets how image sources map (the open post, remote images on or off). When they differ
    /// from the current ones no cached chunk is reused (its images were mapped the old way) and
    /// the next `render` returns every block; block keys and highlighted code stay valid.
    pub fn set_image_sources(&mut self, images: ImageSources) {
        if self.images != images {
            self.images = images;
            self.renders.clear();
            self.slots.clear();
            self.snapshot = None;
            self.rendered_once = false;
            self.fresh_view = true;
        }
    }

    /// What the preview shows when rendering failed (`message` says why): the renderer restarts
    /// (see [`Renderer::restart`]) and the output replaces the whole preview with one block
    /// that says so; the next `render` replaces that block with the document again.
    pub fn failed(&mut self, message: &str) -> RenderOutput {
        self.restart();
        self.revision += 1;
        let html = format!(
            "<div class=\"galley-render-error\" role=\"alert\" data-line=\"1\"><p><strong>The preview failed to render this text:</strong> {}</p><p>Your text and the editor are not affected; the preview tries again with your next change.</p></div>",
            super::sanitize::escape_text(message)
        );
        RenderOutput {
            revision: self.revision,
            total: 1,
            keep_head: 0,
            keep_tail: 0,
            line_shift: 0,
            blocks: vec![RenderedBlock { key: format!("render-error-{}", self.revision), line: 1, html }],
            pending_highlights: 0,
        }
    }

    /// The revision of the last `render`.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Hands out the highlighting work queued by `render` (each job once). Run the jobs outside
    /// any lock, then give the results to [`Renderer::apply_highlights`].
    pub fn take_highlight_jobs(&mut self) -> Vec<HighlightJob> {
        std::mem::take(&mut self.queue)
    }

    /// Stores highlighted code and returns the current blocks whose HTML changed because of it.
    pub fn apply_highlights(&mut self, results: Vec<HighlightResult>) -> Vec<BlockUpdate> {
        let mut ids = FxHashSet::default();
        for result in results {
            self.queued.remove(&result.id);
            self.highlights.insert(result.id, result.html.map(Arc::from));
            ids.insert(result.id);
        }
        self.current
            .iter()
            .filter(|block| block.template.codes.iter().any(|slot| ids.contains(&slot.id)))
            .map(|block| {
                let rendered = self.materialize(block);
                BlockUpdate { revision: self.revision, key: rendered.key, line: rendered.line, html: rendered.html }
            })
            .collect()
    }

    /// Runs all queued highlighting here and now (convenient in tests and the CLI; the app runs
    /// the jobs on a worker instead).
    pub fn highlight_pending(&mut self) -> Vec<BlockUpdate> {
        let jobs = self.take_highlight_jobs();
        let results = jobs.iter().map(HighlightJob::run).collect();
        self.apply_highlights(results)
    }

    fn materialize(&self, block: &CurrentBlock) -> RenderedBlock {
        let html = block.template.materialize(block.line, |slot| self.highlights.get(&slot.id).and_then(|html| html.as_deref()));
        RenderedBlock { key: block.key(), line: block.line, html }
    }

    /// The slow path: plans and renders the whole document (chunks still come from the cache).
    fn render_everything(&mut self, markdown: &str) -> Vec<CurrentBlock> {
        self.live.clear();
        let chunks = self.plan(markdown, 0, markdown.len());
        let mut links: LinkMap = FxHashMap::default();
        let mut footnotes: FootnoteMap = FxHashMap::default();
        for meta in &chunks {
            for (label, target) in &meta.refdefs {
                links.entry(UniCase::new(label.clone())).or_insert_with(|| target.clone());
            }
            for label in &meta.footnote_defs {
                footnotes.entry(UniCase::new(normalize_footnote_label(label))).or_insert_with(|| label.clone());
            }
        }
        self.links = links;
        self.footnotes = footnotes;
        let mut state = DocState::default();
        let mut blocks: Vec<CurrentBlock> = Vec::with_capacity(self.current.len().max(16));
        let mut slots = Vec::with_capacity(chunks.len());
        let mut line = 1usize;
        let mut start = 0usize;
        for meta in chunks {
            let stubs = needed_stubs(&meta, &self.footnotes);
            let render = self.chunk_render(&meta, stubs, &mut state);
            push_chunk(&mut slots, &mut blocks, 0, meta, render, &mut start, &mut line);
        }
        self.slots = slots;
        self.snapshot = None;
        blocks
    }

    /// The fast path: finds the chunks the edit touched (by comparing with the previous text),
    /// re-plans and re-renders only those. `None` when the edit may change the document-wide
    /// context (definitions) or numbering in a way the window cannot contain.
    fn try_window(&mut self, text: &str) -> Option<Window> {
        if self.slots.is_empty() {
            return None;
        }
        let old = std::mem::take(&mut self.text);
        let result = self.window_between(&old, text);
        self.text = old;
        result
    }

    fn window_between(&mut self, old: &str, new: &str) -> Option<Window> {
        let prefix = common_prefix(old.as_bytes(), new.as_bytes());
        let max_suffix = old.len().min(new.len()) - prefix;
        let suffix = common_suffix(old.as_bytes(), new.as_bytes(), max_suffix);
        let delta = new.len() as i64 - old.len() as i64;
        // Reuse every chunk whose text and closing cut lie before the first changed byte.
        let mut keep = 0usize;
        while keep + 1 < self.slots.len() && split::line_end(old, self.slots[keep + 1].start) <= prefix {
            keep += 1;
        }
        let window_start = self.slots[keep].start;
        let suffix_start = new.len() - suffix;
        // Re-scan from the window start until a cut lands on an old cut inside the unchanged tail.
        self.live.clear();
        let mut metas: Vec<Arc<ChunkMeta>> = Vec::new();
        let mut resume: Option<usize> = None;
        let mut pending: Option<usize> = None;
        for range in split::Scanner::new(new, window_start) {
            let start = pending.take().unwrap_or(range.start);
            let meta = self.meta(&new[start..range.end]);
            if meta.open_at_end && range.end < new.len() {
                pending = Some(start);
                continue;
            }
            metas.push(meta);
            if range.end >= suffix_start && range.end < new.len() {
                let old_position = (range.end as i64 - delta) as usize;
                if let Ok(index) = self.slots.binary_search_by_key(&old_position, |slot| slot.start) {
                    if index > keep {
                        resume = Some(index);
                        break;
                    }
                }
            }
        }
        let resume = resume.unwrap_or(self.slots.len());
        let old_window = &self.slots[keep..resume];
        if old_window.iter().any(Slot::has_context) || metas.iter().any(|meta| !meta.refdefs.is_empty() || !meta.footnote_defs.is_empty()) {
            return None;
        }
        let old_usage = old_window.iter().any(Slot::has_usage);
        let old_window: Vec<Arc<ChunkRender>> =
            if old_usage { old_window.iter().map(|slot| Arc::clone(&slot.render)).collect() } else { Vec::new() };
        // Render the window; numbering needs the state before it only when headings or
        // footnotes are involved (then every chunk after the window is re-checked too).
        let mut renders = Vec::with_capacity(metas.len());
        let mut needs_state = old_usage;
        if !needs_state {
            let mut scratch = DocState::default();
            for meta in &metas {
                let stubs = needed_stubs(meta, &self.footnotes);
                let render = self.chunk_render(meta, stubs, &mut scratch);
                needs_state |= !render.usage.headings.is_empty() || !render.usage.footnotes.is_empty();
                renders.push(render);
            }
        }
        if needs_state {
            let mut state = match self.snapshot.take() {
                Some((at, state)) if at == keep => state,
                _ => {
                    let mut state = DocState::default();
                    for slot in &self.slots[..keep] {
                        if slot.has_usage() && !state.replay(&slot.render.usage) {
                            return None;
                        }
                    }
                    state
                }
            };
            self.snapshot = Some((keep, state.clone()));
            renders.clear();
            for meta in &metas {
                let stubs = needed_stubs(meta, &self.footnotes);
                renders.push(self.chunk_render(meta, stubs, &mut state));
            }
            // Same headings and footnotes in the window as before: the numbering after it is
            // unchanged. Otherwise every later chunk must still get the ids it was rendered with.
            let old_sequence = old_window.iter().map(|render| &render.usage);
            let new_sequence = renders.iter().map(|render| &render.usage);
            if !same_numbering_inputs(old_sequence, new_sequence) {
                for slot in &self.slots[resume..] {
                    if slot.has_usage() && !state.replay(&slot.render.usage) {
                        self.snapshot = None;
                        return None;
                    }
                }
            }
        }
        // Keep the reused chunks' caches alive.
        for slot in self.slots[..keep].iter().chain(&self.slots[resume..]) {
            self.live.insert(slot.meta.hash);
        }
        // New slots and blocks for the window.
        let first_block = self.slots[keep].first_block;
        let old_end_block = self.slots.get(resume).map_or(self.current.len(), |slot| slot.first_block);
        let mut line = self.slots[keep].line;
        let mut start = window_start;
        let mut slots = Vec::with_capacity(metas.len());
        let mut blocks = Vec::new();
        for (meta, render) in metas.into_iter().zip(renders) {
            push_chunk(&mut slots, &mut blocks, first_block, meta, render, &mut start, &mut line);
        }
        let line_shift = match self.slots.get(resume) {
            Some(slot) => line as i64 - slot.line as i64,
            None => 0,
        };
        let block_shift = blocks.len() as i64 - (old_end_block - first_block) as i64;
        let tail_start = keep + slots.len();
        self.slots.splice(keep..resume, slots);
        for slot in &mut self.slots[tail_start..] {
            slot.start = (slot.start as i64 + delta) as usize;
            slot.line = (slot.line as i64 + line_shift) as usize;
            slot.first_block = (slot.first_block as i64 + block_shift) as usize;
        }
        Some(Window { first_block, old_blocks: old_end_block - first_block, blocks, line_shift })
    }

    /// Splices a window into the block list; returns (keep_head, keep_tail, line_shift).
    fn apply_window(&mut self, window: Window) -> (usize, usize, i64) {
        let Window { first_block, old_blocks, mut blocks, line_shift } = window;
        let end = first_block + old_blocks;
        let keep_tail = self.current.len() - end;
        // Window blocks equal to the old ones at either edge keep their identity.
        let old = &self.current[first_block..end];
        let mut head = 0;
        while head < blocks.len() && head < old.len() && old[head].hash == blocks[head].hash && old[head].line == blocks[head].line {
            blocks[head].id = old[head].id;
            head += 1;
        }
        let mut tail = 0;
        while tail < blocks.len() - head
            && tail < old.len() - head
            && old[old.len() - 1 - tail].hash == blocks[blocks.len() - 1 - tail].hash
            && blocks[blocks.len() - 1 - tail].line as i64 - old[old.len() - 1 - tail].line as i64 == line_shift
        {
            let index = blocks.len() - 1 - tail;
            blocks[index].id = old[old.len() - 1 - tail].id;
            tail += 1;
        }
        let fresh_end = blocks.len() - tail;
        for block in &mut blocks[head..fresh_end] {
            self.next_id += 1;
            block.id = self.next_id;
        }
        self.current.splice(first_block..end, blocks);
        if line_shift != 0 {
            let len = self.current.len();
            for block in &mut self.current[len - keep_tail..] {
                block.line = (block.line as i64 + line_shift) as usize;
            }
        }
        let keep_tail = keep_tail + tail;
        (first_block + head, keep_tail, if keep_tail == 0 { 0 } else { line_shift })
    }

    /// Splits into chunks whose parses are independent: candidate cuts from the line scanner,
    /// merged while a chunk ends inside a fence/long HTML block or two chunks define one label.
    fn plan(&mut self, text: &str, from: usize, to: usize) -> Vec<Arc<ChunkMeta>> {
        let mut metas: Vec<Arc<ChunkMeta>> = Vec::new();
        let mut pending: Option<usize> = None;
        for range in split::Scanner::new(&text[..to], from) {
            let start = pending.take().unwrap_or(range.start);
            let meta = self.meta(&text[start..range.end]);
            if meta.open_at_end && range.end < to {
                pending = Some(start);
                continue;
            }
            metas.push(meta);
        }
        while let Some((first, last)) = duplicate_definitions(&metas) {
            let mut end = last + 1;
            while end < metas.len() && metas[end - 1].open_at_end {
                end += 1;
            }
            let merged: String = metas[first..end].iter().map(|meta| &*meta.text).collect();
            let meta = self.meta(&merged);
            metas.splice(first..end, [meta]);
        }
        metas
    }

    fn meta(&mut self, text: &str) -> Arc<ChunkMeta> {
        let hash = FxBuildHasher.hash_one(text);
        self.live.insert(hash);
        let variants = self.metas.entry(hash).or_default();
        if let Some(meta) = variants.iter().find(|meta| &*meta.text == text) {
            return Arc::clone(meta);
        }
        let meta = Arc::new(compute_meta(text, hash, &self.dialect));
        variants.push(Arc::clone(&meta));
        meta
    }

    fn chunk_render(&mut self, meta: &Arc<ChunkMeta>, stubs: Vec<String>, state: &mut DocState) -> Arc<ChunkRender> {
        let links = &self.links;
        let variants = self.renders.entry(meta.hash).or_default();
        for render in variants.iter() {
            let same_text = Arc::ptr_eq(&render.text, &meta.text) || *render.text == *meta.text;
            if !same_text || render.stubs != stubs {
                continue;
            }
            let links_same = render.links.iter().all(|(label, target)| links.get(&UniCase::new(label.clone())) == target.as_ref());
            if links_same && state.replay(&render.usage) {
                return Arc::clone(render);
            }
        }
        let render = Arc::new(render_chunk(meta, stubs, links, state, &self.dialect, &self.images));
        if variants.len() >= MAX_VARIANTS {
            variants.remove(0);
        }
        variants.push(Arc::clone(&render));
        render
    }

    /// Drops cached chunks and highlights the document no longer uses once caches grow large.
    fn prune(&mut self) {
        let slots = self.slots.len();
        if self.renders.len() > 2 * slots + 256 || self.metas.len() > 2 * slots + 256 {
            let live = &self.live;
            self.renders.retain(|hash, _| live.contains(hash));
            self.metas.retain(|hash, _| live.contains(hash));
        }
        if self.highlights.len() > 256 && self.highlights.len() > 2 * self.current.len() {
            let live: FxHashSet<u64> = self.current.iter().flat_map(|block| block.template.codes.iter().map(|slot| slot.id)).collect();
            self.highlights.retain(|id, _| live.contains(id));
        }
    }
}

/// True when two runs of chunks take the same heading ids and footnote labels, in order.
fn same_numbering_inputs<'u>(old: impl Iterator<Item = &'u Usage>, new: impl Iterator<Item = &'u Usage>) -> bool {
    let flatten = |usages: Vec<&'u Usage>| {
        let headings: Vec<&HeadingId> = usages.iter().flat_map(|usage| usage.headings.iter()).collect();
        let labels: Vec<&str> = usages.iter().flat_map(|usage| usage.footnotes.iter().map(|(label, _)| label.as_str())).collect();
        (headings, labels)
    };
    flatten(old.collect()) == flatten(new.collect())
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let limit = a.len().min(b.len());
    let mut index = 0;
    while index + 64 <= limit && a[index..index + 64] == b[index..index + 64] {
        index += 64;
    }
    while index < limit && a[index] == b[index] {
        index += 1;
    }
    index
}

fn common_suffix(a: &[u8], b: &[u8], limit: usize) -> usize {
    let mut count = 0;
    while count + 64 <= limit && a[a.len() - count - 64..a.len() - count] == b[b.len() - count - 64..b.len() - count] {
        count += 64;
    }
    while count < limit && a[a.len() - count - 1] == b[b.len() - count - 1] {
        count += 1;
    }
    count
}

/// Head kept, tail kept, and the tail's line shift between two block lists.
fn diff(previous: &[CurrentBlock], next: &[CurrentBlock]) -> (usize, usize, i64) {
    let same = |a: &CurrentBlock, b: &CurrentBlock| a.hash == b.hash;
    let limit = previous.len().min(next.len());
    let mut head = 0;
    while head < limit && same(&previous[head], &next[head]) && previous[head].line == next[head].line {
        head += 1;
    }
    let (Some(last_prev), Some(last_next)) = (previous.last(), next.last()) else {
        return (head, 0, 0);
    };
    let shift = last_next.line as i64 - last_prev.line as i64;
    let mut tail = 0;
    while tail < limit - head {
        let a = &previous[previous.len() - 1 - tail];
        let b = &next[next.len() - 1 - tail];
        if !same(a, b) || b.line as i64 - a.line as i64 != shift {
            break;
        }
        tail += 1;
    }
    (head, tail, if tail == 0 { 0 } else { shift })
}

/// The first pair of chunks defining the same link label (the first definition wins in the
/// whole document, but a chunk parsed alone would use its own): they must be parsed together.
fn duplicate_definitions(metas: &[Arc<ChunkMeta>]) -> Option<(usize, usize)> {
    let mut first: FxHashMap<UniCase<&str>, usize> = FxHashMap::default();
    for (index, meta) in metas.iter().enumerate() {
        for (label, _) in &meta.refdefs {
            match first.get(&UniCase::new(label.as_str())) {
                Some(&earlier) if earlier != index => return Some((earlier, index)),
                Some(_) => {}
                None => {
                    first.insert(UniCase::new(label.as_str()), index);
                }
            }
        }
    }
    None
}

/// Footnote definitions from other chunks that this chunk's `[^label]` text may refer to.
fn needed_stubs(meta: &ChunkMeta, footnotes: &FootnoteMap) -> Vec<String> {
    if meta.footnote_refs.is_empty() {
        return Vec::new();
    }
    let local: FxHashSet<UniCase<String>> = meta.footnote_defs.iter().map(|label| UniCase::new(normalize_footnote_label(label))).collect();
    let mut stubs: Vec<String> = meta
        .footnote_refs
        .iter()
        .map(|label| UniCase::new(label.clone()))
        .filter(|label| !local.contains(label))
        .filter_map(|label| footnotes.get(&label).cloned())
        .collect();
    stubs.sort();
    stubs.dedup();
    stubs
}

fn compute_meta(text: &str, hash: u64, dialect: &Dialect) -> ChunkMeta {
    let parser = Parser::new_ext(text, dialect.options());
    let refdefs: Vec<(String, LinkTarget)> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            let title = def.title.as_deref().unwrap_or("").to_string();
            (label.to_string(), (def.dest.to_string(), title))
        })
        .collect();
    let mut footnote_defs = Vec::new();
    let mut depth = 0usize;
    let mut top_is_long = false;
    let mut last_top: Option<(bool, usize)> = None;
    for (event, range) in parser.into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    top_is_long = matches!(tag, Tag::CodeBlock(CodeBlockKind::Fenced(_)) | Tag::HtmlBlock);
                }
                if let Tag::FootnoteDefinition(label) = tag {
                    footnote_defs.push(label.to_string());
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    last_top = Some((top_is_long, range.end));
                }
            }
            _ if depth == 0 => last_top = Some((false, range.end)),
            _ => {}
        }
    }
    let open_at_end = matches!(last_top, Some((true, end)) if end >= text.len());
    ChunkMeta {
        text: Arc::from(text),
        hash,
        open_at_end,
        newlines: text.bytes().filter(|&b| b == b'\n').count(),
        refdefs,
        footnote_defs,
        footnote_refs: footnote_ref_labels(text),
    }
}

/// Normalized labels of every `[^label]` in the text (a superset of the real references).
fn footnote_ref_labels(text: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[^") {
        rest = &rest[start + 2..];
        if let Some(end) = rest.find(']') {
            let label = &rest[..end];
            if !label.is_empty() && !label.contains('\n') {
                labels.push(normalize_footnote_label(label));
            }
        }
    }
    labels.sort();
    labels.dedup();
    labels
}

/// Parses and writes one chunk in its document context.
fn render_chunk(
    meta: &ChunkMeta,
    stubs: Vec<String>,
    links: &LinkMap,
    state: &mut DocState,
    dialect: &Dialect,
    images: &ImageSources,
) -> ChunkRender {
    let mut source = String::new();
    for stub in &stubs {
        source.push_str("[^");
        source.push_str(stub);
        source.push_str("]: x\n\n");
    }
    if !stubs.is_empty() {
        source.push_str("***\n");
    }
    let prefix = source.len();
    source.push_str(&meta.text);
    let starts = line_starts(&meta.text);
    let lookups: RefCell<Vec<(String, Option<LinkTarget>)>> = RefCell::new(Vec::new());
    let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        let label = link.reference.to_string();
        let found = links.get(&UniCase::new(label.clone())).cloned();
        let answer = found.clone().map(|(dest, title)| (CowStr::from(dest), CowStr::from(title)));
        lookups.borrow_mut().push((label, found));
        answer
    };
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_with_broken_link_callback(&source, dialect.options(), Some(callback)).into_offset_iter().collect();
    let mut usage = Usage::default();
    let line_in_chunk = |offset: usize| line_of(&starts, offset.saturating_sub(prefix));
    let blocks = blocks_from_events(&events, prefix, line_in_chunk, state, &mut usage, dialect, images)
        .into_iter()
        .map(|(line, template)| (line - 1, Arc::new(template)))
        .collect();
    drop(events);
    ChunkRender { text: Arc::clone(&meta.text), links: lookups.into_inner(), stubs, usage, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render_blocks;

    fn lines_and_html(blocks: Vec<RenderedBlock>) -> Vec<(usize, String)> {
        blocks.into_iter().map(|block| (block.line, block.html)).collect()
    }

    fn check(text: &str) {
        let mut renderer = Renderer::new();
        renderer.render(text);
        renderer.highlight_pending();
        assert_eq!(lines_and_html(renderer.blocks()), lines_and_html(render_blocks(text)), "text: {text:?}");
    }

    #[test]
    fn equals_full_render_on_tricky_documents() {
        for text in [
            "",
            "one paragraph",
            "# A\n\npara [ref] and [^n]\n\n[ref]: https://example.com \"T\"\n\n[^n]: note\n",
            "```\nunclosed\n\nstill code\n",
            "  ```\n  a\n\nb\n```\n\nc\n",
            "    ```\n\n```\ncode\n\nnot a cut\n```\n",
            "- a\n\n- b\n\nc\n\n- d\n",
            "<!--\n\ncomment\n\n-->\n\nafter\n",
            "# Same\n\n# Same\n\n## Same {#same-1}\n\n# Same\n",
            "[x]: /first\n\n[x]\n\n[x]: /second\n",
            "> [!NOTE]\n> alert\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n",
            "Intro\n\n<!-- more -->\n\n~~~rust\nfn main() {}\n~~~\n",
            "para\r\n\r\nnext\r\n",
        ] {
            check(text);
        }
    }

    #[test]
    fn a_keystroke_returns_one_block() {
        let mut renderer = Renderer::new();
        let first = renderer.render("# A\n\none\n\ntwo\n\nthree\n");
        assert_eq!(first.blocks.len(), 4);
        let out = renderer.render("# A\n\none\n\ntwo!\n\nthree\n");
        assert_eq!((out.keep_head, out.keep_tail, out.line_shift), (2, 1, 0));
        assert_eq!(out.blocks.len(), 1);
        assert!(out.blocks[0].html.contains("two!"));
        let out = renderer.render("# A\n\none\n\ntwo!\nmore\n\nthree\n");
        assert_eq!((out.keep_head, out.keep_tail, out.line_shift), (2, 1, 1));
    }

    #[test]
    fn code_is_plain_until_highlighted() {
        let mut renderer = Renderer::new();
        let out = renderer.render("```go\nfunc main() {}\n```\n");
        assert!(out.blocks[0].html.contains("class=\"plain\""));
        assert_eq!(out.pending_highlights, 1);
        let jobs = renderer.take_highlight_jobs();
        assert_eq!(jobs.len(), 1);
        let results = jobs.iter().map(HighlightJob::run).collect();
        let updates = renderer.apply_highlights(results);
        assert_eq!(updates.len(), 1);
        assert!(updates[0].html.contains("hl-"), "{}", updates[0].html);
        assert_eq!(updates[0].key, out.blocks[0].key);
        let again = renderer.render("```go\nfunc main() {}\n```\n");
        assert!(again.blocks.is_empty());
        assert_eq!(again.pending_highlights, 0);
    }
}
