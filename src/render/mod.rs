//! Markdown → sanitized preview HTML, split into top-level blocks that carry their source line.
//! `highlight` is the only syntect user, `sanitize` the only ammonia user; `Renderer` is incremental.
mod autolink;
mod css;
pub mod dialect;
pub mod highlight;
pub mod image_src;
mod incremental;
mod raw_html;
pub mod sanitize;
mod split;
mod template;
mod writer;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;

pub use css::preview_css;
pub use dialect::{Autolinks, Dialect, Flavor, HeadingIds};
pub use image_src::ImageSources;
pub use incremental::{BlockRef, BlockUpdate, HighlightJob, HighlightResult, RenderOutput, Renderer};
pub use writer::{is_more_divider, slugify};

use template::BlockTemplate;
use writer::{BlockWriter, DocState, Usage};

/// The Markdown extensions Galley's own dialect renders (never `Options::all()`; a site's
/// dialect has its own: [`Dialect::options`]).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// One top-level block of the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RenderedBlock {
    /// Key of this block, unique within the document. From a [`Renderer`]: kept across renders
    /// while the block is unchanged (its `data-line` numbers may shift and its code may get
    /// highlighted). From [`render_blocks`]: its content hash, `-N` for the N-th repeat.
    pub key: String,
    /// 1-based source line where the block starts.
    pub line: usize,
    /// Sanitized HTML of the block; every block element in it carries `data-line`.
    pub html: String,
}

/// Renders a whole document to one sanitized HTML fragment (what `galley render` prints).
pub fn render_html(markdown: &str) -> String {
    render_html_in(markdown, &Dialect::galley())
}

/// [`render_html`] in a given dialect.
pub fn render_html_in(markdown: &str, dialect: &Dialect) -> String {
    render_blocks_in(markdown, dialect).into_iter().map(|block| block.html).collect::<Vec<_>>().join("\n")
}

/// Renders a document into its top-level blocks, each sanitized, carrying `data-line` and with its
/// code highlighted (synchronously). One pulldown-cmark parse of the whole document: this is the
/// reference the incremental `Renderer` must equal.
pub fn render_blocks(markdown: &str) -> Vec<RenderedBlock> {
    render_blocks_in(markdown, &Dialect::galley())
}

/// [`render_blocks`] in a given dialect.
pub fn render_blocks_in(markdown: &str, dialect: &Dialect) -> Vec<RenderedBlock> {
    render_blocks_with(markdown, dialect, &ImageSources::default())
}

/// [`render_blocks`] for one post's preview: its dialect, image sources mapped as `images` says.
pub fn render_blocks_with(markdown: &str, dialect: &Dialect, images: &ImageSources) -> Vec<RenderedBlock> {
    let blocks = full_templates(markdown, dialect, images);
    let keys = assign_keys(blocks.iter().map(|(_, template)| template.hash));
    let mut highlighted: HashMap<u64, Option<String>> = HashMap::new();
    for (_, template) in &blocks {
        for slot in &template.codes {
            highlighted.entry(slot.id).or_insert_with(|| highlight::highlight_code(&slot.lang, &slot.code));
        }
    }
    blocks
        .iter()
        .zip(keys)
        .map(|((line, template), key)| RenderedBlock {
            key,
            line: *line,
            html: template.materialize(*line, |slot| highlighted.get(&slot.id).and_then(|html| html.as_deref())),
        })
        .collect()
}

/// Like [`render_blocks`] but with every code block plain (escaped, not highlighted): no syntect,
/// so it is fast enough for a first paint of a huge post.
pub fn render_blocks_unhighlighted(markdown: &str) -> Vec<RenderedBlock> {
    render_blocks_unhighlighted_in(markdown, &Dialect::galley())
}

/// [`render_blocks_unhighlighted`] in a given dialect.
pub fn render_blocks_unhighlighted_in(markdown: &str, dialect: &Dialect) -> Vec<RenderedBlock> {
    let blocks = full_templates(markdown, dialect, &ImageSources::default());
    let keys = assign_keys(blocks.iter().map(|(_, template)| template.hash));
    blocks
        .iter()
        .zip(keys)
        .map(|((line, template), key)| RenderedBlock { key, line: *line, html: template.materialize(*line, |_| None) })
        .collect()
}

/// The templates of a whole document from one parse, with their absolute lines.
fn full_templates(markdown: &str, dialect: &Dialect, images: &ImageSources) -> Vec<(usize, Arc<BlockTemplate>)> {
    let starts = line_starts(markdown);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, dialect.options()).into_offset_iter().collect();
    let mut state = DocState::default();
    let mut usage = Usage::default();
    blocks_from_events(&events, 0, |offset| line_of(&starts, offset), &mut state, &mut usage, dialect, images)
        .into_iter()
        .map(|(line, template)| (line, Arc::new(template)))
        .collect()
}

/// Groups events into top-level blocks (skipping blocks that start before `skip_before`) and
/// writes and sanitizes each; returns each block's line (as given by `line_of`) and template.
pub(crate) fn blocks_from_events<F: Fn(usize) -> usize + Copy>(
    events: &[(Event<'_>, Range<usize>)],
    skip_before: usize,
    line_of: F,
    state: &mut DocState,
    usage: &mut Usage,
    dialect: &Dialect,
    images: &ImageSources,
) -> Vec<(usize, BlockTemplate)> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut group_start = 0usize;
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            let group = &events[group_start..=index];
            group_start = index + 1;
            let start = group[0].1.start;
            if start < skip_before {
                continue;
            }
            let line = line_of(start);
            let (raw, codes) = BlockWriter::new(group, line_of, line, state, usage, template::nonce(), dialect).run();
            push_block(&mut blocks, line, raw, codes, images);
        }
    }
    if group_start < events.len() {
        let group = &events[group_start..];
        let start = group[0].1.start;
        if start >= skip_before {
            let line = line_of(start);
            let (raw, codes) = BlockWriter::new(group, line_of, line, state, usage, template::nonce(), dialect).run();
            push_block(&mut blocks, line, raw, codes, images);
        }
    }
    blocks
}

/// Adds a written block, unless it wrote nothing (an HTML comment: the page shows no block).
fn push_block(blocks: &mut Vec<(usize, BlockTemplate)>, line: usize, raw: String, codes: Vec<writer::CodeSource>, images: &ImageSources) {
    if !raw.trim().is_empty() {
        blocks.push((line, BlockTemplate::build_with(&raw, codes, images)));
    }
}

/// Keys for a document's blocks: the template hash, plus `-N` for the N-th repeat of equal blocks.
pub(crate) fn assign_keys(hashes: impl Iterator<Item = u64>) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    hashes
        .map(|hash| {
            let count = seen.entry(hash).or_insert(0);
            let key = block_key(hash, *count);
            *count += 1;
            key
        })
        .collect()
}

pub(crate) fn block_key(hash: u64, occurrence: u32) -> String {
    if occurrence == 0 {
        format!("{hash:016x}")
    } else {
        format!("{hash:016x}-{occurrence}")
    }
}

pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

pub(crate) fn line_of(line_starts: &[usize], offset: usize) -> usize {
    match line_starts.binary_search(&offset) {
        Ok(index) => index + 1,
        Err(index) => index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_carry_their_source_line() {
        let blocks = render_blocks("# Title\n\nSome *prose*.\n\n```go\nfunc main() {}\n```\n");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].line, 1);
        assert!(blocks[0].html.starts_with("<h1 data-line=\"1\""), "{}", blocks[0].html);
        assert_eq!(blocks[1].line, 3);
        assert_eq!(blocks[2].line, 5);
        assert!(blocks[2].html.contains("hl-"), "{}", blocks[2].html);
    }

    #[test]
    fn script_never_survives() {
        let html = render_html("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n");
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn unknown_language_is_plain_escaped() {
        let html = render_html("```nosuchlang\n<b>hi</b>\n```\n");
        assert!(html.contains("&lt;b&gt;hi&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn more_divider_is_visible() {
        let html = render_html("Intro.\n\n<!-- more -->\n\nRest.\n");
        assert!(html.contains("galley-more"), "{html}");
        let html = render_html("Intro.\n\n<!--MORE-->\n\nRest.\n");
        assert!(html.contains("galley-more"), "{html}");
    }

    #[test]
    fn equal_blocks_get_distinct_keys() {
        let blocks = render_blocks("same\n\nsame\n");
        assert_eq!(blocks.len(), 2);
        assert_ne!(blocks[0].key, blocks[1].key);
    }
}
