//! The incremental `Renderer` equals a full render: random edits to real Go blog posts and to
//! synthetic documents full of tricky constructs, checked after every edit, in every dialect.
mod common;
use std::path::PathBuf;
use std::sync::OnceLock;

use galley::render::{
    render_blocks, render_blocks_unhighlighted, render_blocks_unhighlighted_in, Dialect, Flavor, RenderedBlock, Renderer,
};
use proptest::prelude::*;

/// 96 cases unless `PROPTEST_CASES` asks for more (e.g. a long local soak).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

fn corpus_dir() -> PathBuf {
    common::repo_path("../shared/corpus/go-blog")
}

/// The bodies of the corpus posts (front matter removed), sorted by file name.
fn corpus() -> &'static [String] {
    static POSTS: OnceLock<Vec<String>> = OnceLock::new();
    POSTS.get_or_init(|| {
        let Ok(entries) = std::fs::read_dir(corpus_dir()) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .map(|text| strip_front_matter(&text).to_string())
            .filter(|body| body.len() > 200)
            .collect()
    })
}

/// Says loudly that the corpus is missing; under CI that fails the test.
fn corpus_missing() {
    common::missing(&format!("THE GO BLOG CORPUS IS MISSING at {}: corpus cases skipped", corpus_dir().display()));
}

fn strip_front_matter(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

#[derive(Debug, Clone)]
enum Edit {
    InsertChar(f64, char),
    InsertLine(f64, &'static str),
    DeleteChars(f64, usize),
    DeleteLine(f64),
}

const CHARS: &[char] = &[
    'a', ' ', '`', '#', '>', '-', '|', '\n', '*', '_', '[', ']', '(', ')', '!', '<', '~', '1', '.', ':', '^', '\t', '=', '{', '}', '"',
    'é', '\r', '\0', '&', '\\', '\u{E000}', '😀', '\u{200B}',
];

const LINES: &[&str] = &[
    "",
    "```",
    "```go",
    "~~~",
    "# Heading",
    "## Heading {#custom}",
    "> quote",
    "> [!NOTE]",
    "- item",
    "* item",
    "1. one",
    "2) two",
    "| a | b |",
    "|---|:-:|",
    "    indented code",
    "  two spaces",
    "<!--",
    "-->",
    "<!-- more -->",
    "<div>",
    "</div>",
    "<script>",
    "</script>",
    "<pre>",
    "[^1]: a note",
    "[^1]",
    "see [^n] here",
    "[ref]: https://example.com/ref \"Title\"",
    "[ref] and [Ref][] and [x][ref]",
    "---",
    "***",
    "===",
    "- [ ] task",
    "text with *emphasis* and `code`",
    "<?php",
    "?>",
    // Issue 10, point 1: a writer's data-line once overflowed the line arithmetic.
    "<div data-line=\"18446744073709551615\">x</div>",
    "<p data-line=\"-1\">inline <span data-line=\"99999999999999999999\">deep</span></p>",
    "text <b data-line=\"007\">b</b> and <i data-line=\"x\">i</i>",
    "# Heading {data-line=18446744073709551615}",
    "\r",
    "line\r\nwith crlf",
    // Dialects: smart punctuation, autolinks, raw HTML omitted, definition lists, heading ids.
    "\"quoted\" -- dash --- and 'single' ...",
    "see www.example.com/a_b_(c) or https://go.dev/x_y, mail me@example.org",
    "Term",
    ": definition",
    ":   another definition",
    "<b>inline</b> html and <!-- a comment -->",
    "## Heading",
    "## Über -- Straße?",
];

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0.0..1.0f64, proptest::sample::select(CHARS)).prop_map(|(at, c)| Edit::InsertChar(at, c)),
        3 => (0.0..1.0f64, proptest::sample::select(LINES)).prop_map(|(at, l)| Edit::InsertLine(at, l)),
        2 => (0.0..1.0f64, 1usize..40).prop_map(|(at, n)| Edit::DeleteChars(at, n)),
        2 => (0.0..1.0f64).prop_map(Edit::DeleteLine),
    ]
}

fn boundary(text: &str, at: f64) -> usize {
    let mut index = ((text.len() as f64) * at) as usize;
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::InsertChar(at, c) => {
            let index = boundary(text, *at);
            text.insert(index, *c);
        }
        Edit::InsertLine(at, line) => {
            let index = boundary(text, *at);
            let start = text[..index].rfind('\n').map(|i| i + 1).unwrap_or(0);
            text.insert_str(start, &format!("{line}\n"));
        }
        Edit::DeleteChars(at, count) => {
            let start = boundary(text, *at);
            let mut end = (start + count).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, "");
        }
        Edit::DeleteLine(at) => {
            let index = boundary(text, *at);
            let start = text[..index].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let end = text[index..].find('\n').map(|i| index + i + 1).unwrap_or(text.len());
            text.replace_range(start..end, "");
        }
    }
}

fn lines_and_html(blocks: &[RenderedBlock]) -> Vec<(usize, &str)> {
    blocks.iter().map(|block| (block.line, block.html.as_str())).collect()
}

/// HTML with every `data-line` value blanked (a moved block keeps its HTML until the UI shifts it).
fn strip_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" data-line=\"") {
        out.push_str(&rest[..at + 12]);
        rest = &rest[at + 12..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

fn concat(blocks: &[RenderedBlock]) -> String {
    blocks.iter().map(|block| block.html.as_str()).collect::<Vec<_>>().join("\n")
}

/// Applies one render's output to the previous block list, as the UI does.
fn patch(view: &mut Vec<RenderedBlock>, output: &galley::render::RenderOutput) {
    let tail_start = view.len() - output.keep_tail;
    let mut tail: Vec<RenderedBlock> = view.split_off(tail_start);
    view.truncate(output.keep_head);
    view.extend(output.blocks.iter().cloned());
    for block in &mut tail {
        block.line = (block.line as i64 + output.line_shift) as usize;
    }
    view.extend(tail);
}

fn check_edits(base: &str, edits: &[Edit]) -> Result<(), TestCaseError> {
    check_edits_in(base, edits, Dialect::galley())
}

fn check_edits_in(base: &str, edits: &[Edit], dialect: Dialect) -> Result<(), TestCaseError> {
    let mut renderer = Renderer::with_dialect(dialect);
    let mut text = base.to_string();
    let mut view: Vec<RenderedBlock> = Vec::new();
    for edit in std::iter::once(None).chain(edits.iter().map(Some)) {
        if let Some(edit) = edit {
            apply(&mut text, edit);
        }
        let output = renderer.render(&text);
        patch(&mut view, &output);
        let expected = render_blocks_unhighlighted_in(&text, &dialect);
        let got = renderer.blocks();
        prop_assert_eq!(
            concat(&got),
            concat(&expected),
            "incremental != full in {:?} after {:?}\n--- text ---\n{}",
            dialect.flavor,
            edit,
            text
        );
        prop_assert_eq!(lines_and_html(&got), lines_and_html(&expected));
        // The patched view is the document: same keys as the renderer's, right lines, and the
        // HTML of every block that was not sent again differs at most in its data-line numbers.
        prop_assert_eq!(view.len(), expected.len());
        let mut keys = std::collections::HashSet::new();
        for ((seen, want), now) in view.iter().zip(&expected).zip(&got) {
            prop_assert_eq!(&seen.key, &now.key);
            prop_assert_eq!(seen.line, want.line);
            prop_assert!(keys.insert(seen.key.clone()), "duplicate key {}", seen.key);
            prop_assert_eq!(strip_lines(&seen.html), strip_lines(&want.html));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_edits_to_corpus_posts(post in any::<prop::sample::Index>(), edits in prop::collection::vec(edit_strategy(), 1..12)) {
        let posts = corpus();
        if posts.is_empty() {
            corpus_missing();
            return Ok(());
        }
        check_edits(&posts[post.index(posts.len())], &edits)?;
    }

    /// Arbitrary bytes (as a file would hold them, invalid UTF-8 replaced) never panic the full
    /// or the incremental renderer, and both agree, also after edits.
    #[test]
    fn arbitrary_bytes_render_the_same_both_ways(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        edits in prop::collection::vec(edit_strategy(), 0..6),
    ) {
        check_edits(&String::from_utf8_lossy(&bytes), &edits)?;
    }

    /// Arbitrary Unicode text, and real posts with arbitrary text spliced in.
    #[test]
    fn arbitrary_text_renders_the_same_both_ways(
        text in prop::collection::vec(prop_oneof![any::<char>().prop_map(String::from), proptest::sample::select(LINES).prop_map(|l| format!("{l}\n"))], 0..80),
        post in any::<prop::sample::Index>(),
        at in 0.0..1.0f64,
    ) {
        let text = text.concat();
        check_edits(&text, &[])?;
        let posts = corpus();
        if let Some(post) = (!posts.is_empty()).then(|| &posts[post.index(posts.len())]) {
            let mut spliced = post.clone();
            spliced.insert_str(boundary(&spliced, at), &text);
            let mut renderer = Renderer::new();
            renderer.render(post);
            renderer.render(&spliced);
            let (got, expected) = (renderer.blocks(), render_blocks_unhighlighted(&spliced));
            prop_assert_eq!(lines_and_html(&got), lines_and_html(&expected));
        }
    }

    /// Every dialect (smart punctuation, autolinks, omitted raw HTML, definition lists, its
    /// heading ids): the incremental renderer still equals a full render in that dialect.
    #[test]
    fn random_edits_in_every_dialect(
        flavor in proptest::sample::select(&Flavor::ALL[..]),
        lines in prop::collection::vec(proptest::sample::select(LINES), 0..40),
        edits in prop::collection::vec(edit_strategy(), 1..16),
        post in any::<prop::sample::Index>(),
        post_edits in prop::collection::vec(edit_strategy(), 1..8),
    ) {
        let dialect = Dialect::of(flavor);
        check_edits_in(&lines.join("\n"), &edits, dialect)?;
        let posts = corpus();
        if !posts.is_empty() {
            check_edits_in(&posts[post.index(posts.len())], &post_edits, dialect)?;
        }
    }

    #[test]
    fn random_edits_to_synthetic_documents(
        lines in prop::collection::vec(proptest::sample::select(LINES), 0..40),
        edits in prop::collection::vec(edit_strategy(), 1..16),
    ) {
        let base = lines.join("\n");
        check_edits(&base, &edits)?;
    }
}

#[test]
fn every_corpus_post_renders_incrementally_like_a_full_render() {
    let posts = corpus();
    if posts.is_empty() {
        corpus_missing();
        return;
    }
    let mut renderer = Renderer::new();
    for post in posts {
        // One renderer across posts: caches from other documents must not leak.
        renderer.render(post);
        assert_eq!(lines_and_html(&renderer.blocks()), lines_and_html(&render_blocks_unhighlighted(post)));
    }
}

#[test]
fn switching_the_dialect_renders_everything_in_the_new_one() {
    let text = "# \"Hi\" -- there\n\nSee www.example.com.\n\n<center>x</center>\n";
    let mut renderer = Renderer::new();
    renderer.render(text);
    let mut switched = 0;
    for flavor in Flavor::ALL {
        let dialect = Dialect::of(flavor);
        let changed = renderer.set_dialect(dialect);
        let output = renderer.render(text);
        if changed {
            switched += 1;
            assert_eq!((output.keep_head, output.keep_tail), (0, 0), "{flavor:?}: a new dialect must repaint every block");
        }
        assert_eq!(lines_and_html(&renderer.blocks()), lines_and_html(&render_blocks_unhighlighted_in(text, &dialect)), "{flavor:?}");
    }
    assert_eq!(switched, Flavor::ALL.len() - 1);
}

#[test]
fn highlighted_incremental_render_equals_full_render() {
    let posts = corpus();
    let sample: Vec<&String> = if posts.is_empty() {
        corpus_missing();
        Vec::new()
    } else {
        posts.iter().step_by(23).collect()
    };
    let dir = common::repo_path("content");
    let mut own: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect())
        .unwrap_or_default();
    own.sort();
    for text in sample.into_iter().chain(own.iter()) {
        let mut renderer = Renderer::new();
        renderer.render(text);
        renderer.highlight_pending();
        assert_eq!(lines_and_html(&renderer.blocks()), lines_and_html(&render_blocks(text)));
    }
}

/// Found by `random_edits_in_every_dialect`: a definition after a blank line belongs to the
/// paragraph before it, so the incremental renderer must never render it in a chunk of its own.
#[test]
fn a_definition_after_a_blank_line_stays_with_its_term() {
    for dialect in [Dialect::hugo(), Dialect::galley()] {
        for text in ["?>\n\n: definition", "Term\n\n: one\n\n: two\n\nAfter.\n", "a?>\n\n: definition\n"] {
            let result = check_edits_in(text, &[Edit::InsertChar(0.0, 'a')], dialect);
            assert!(result.is_ok(), "{result:?}");
        }
    }
}
