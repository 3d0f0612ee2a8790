//! Markdown → sanitized preview HTML, split into top-level blocks that carry their source line.
//! `highlight` is the only syntect user, `sanitize` the only ammonia user.
pub mod highlight;
pub mod sanitize;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// The Markdown extensions Galley renders (never `Options::all()`).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// One top-level block of the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedBlock {
    /// Stable key of this block's output: equal keys mean equal HTML.
    pub key: String,
    /// 1-based source line where the block starts.
    pub line: usize,
    /// Sanitized HTML of the block.
    pub html: String,
}

/// Renders a whole document to one sanitized HTML fragment (what `galley render` prints).
pub fn render_html(markdown: &str) -> String {
    render_blocks(markdown)
        .into_iter()
        .map(|block| block.html)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders a document into its top-level blocks, each sanitized and carrying `data-line`.
pub fn render_blocks(markdown: &str) -> Vec<RenderedBlock> {
    let line_starts = line_starts(markdown);
    let parser = Parser::new_ext(markdown, markdown_options()).into_offset_iter();
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Vec<Event> = Vec::new();
    let mut start_offset = 0usize;
    for (event, range) in parser {
        match &event {
            Event::Start(_) => {
                if depth == 0 {
                    start_offset = range.start;
                }
                depth += 1;
                current.push(event);
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                current.push(event);
                if depth == 0 {
                    let line = line_of(&line_starts, start_offset);
                    blocks.push(finish_block(std::mem::take(&mut current), line));
                }
            }
            _ if depth == 0 => {
                let line = line_of(&line_starts, range.start);
                blocks.push(finish_block(vec![event], line));
            }
            _ => current.push(event),
        }
    }
    if !current.is_empty() {
        blocks.push(finish_block(current, line_of(&line_starts, start_offset)));
    }
    blocks
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_of(line_starts: &[usize], offset: usize) -> usize {
    match line_starts.binary_search(&offset) {
        Ok(index) => index + 1,
        Err(index) => index,
    }
}

fn is_more_divider(html: &str) -> bool {
    let trimmed = html.trim();
    let Some(inner) = trimmed
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
    else {
        return false;
    };
    inner.trim().eq_ignore_ascii_case("more")
}

/// Turns the events of one top-level block into sanitized HTML: code is highlighted outside the
/// sanitizer (its text is escaped by us), everything else passes through ammonia.
fn finish_block(events: Vec<Event>, line: usize) -> RenderedBlock {
    let placeholder_tag = placeholder_nonce();
    let mut codes: Vec<String> = Vec::new();
    let mut out_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut in_code: Option<(String, String)> = None;
    let mut more_divider = false;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                in_code = Some((info, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code)) = in_code.take() {
                    codes.push(code_block_html(&info, &code));
                    out_events.push(Event::Text(
                        format!("{placeholder_tag}{}\u{E000}", codes.len() - 1).into(),
                    ));
                }
            }
            Event::Text(text) if in_code.is_some() => {
                if let Some((_, code)) = in_code.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::Html(html) if is_more_divider(&html) => more_divider = true,
            other => out_events.push(other),
        }
    }
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, out_events.into_iter());
    let mut html = sanitize::sanitize_html(&raw);
    for (index, code) in codes.iter().enumerate() {
        html = html.replace(&format!("{placeholder_tag}{index}\u{E000}"), code);
    }
    if more_divider {
        html.push_str("<div class=\"galley-more\" role=\"separator\">more</div>");
    }
    let html = add_data_line(html.trim(), line);
    let mut hasher = DefaultHasher::new();
    html.hash(&mut hasher);
    RenderedBlock { key: format!("{:016x}", hasher.finish()), line, html }
}

fn placeholder_nonce() -> &'static str {
    use std::sync::OnceLock;
    static NONCE: OnceLock<String> = OnceLock::new();
    NONCE.get_or_init(|| {
        let mut hasher = DefaultHasher::new();
        std::time::SystemTime::now().hash(&mut hasher);
        std::process::id().hash(&mut hasher);
        format!("\u{E000}galley-code-{:x}-", hasher.finish())
    })
}

fn code_block_html(info: &str, code: &str) -> String {
    let language = info.split_whitespace().next().unwrap_or("");
    match highlight::highlight_code(language, code) {
        Some(highlighted) => format!(
            "<pre class=\"code\"><code class=\"{}code\">{highlighted}</code></pre>",
            highlight::CLASS_PREFIX
        ),
        None => format!(
            "<pre class=\"code\"><code class=\"language-plain\">{}</code></pre>",
            sanitize::escape_text(code)
        ),
    }
}

/// Puts `data-line="N"` on the first element of a block's HTML.
fn add_data_line(html: &str, line: usize) -> String {
    if let Some(rest) = html.strip_prefix('<') {
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_end > 0 {
            return format!("<{} data-line=\"{line}\"{}", &rest[..name_end], &rest[name_end..]);
        }
    }
    format!("<div data-line=\"{line}\">{html}</div>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_carry_their_source_line() {
        let blocks = render_blocks("# Title\n\nSome *prose*.\n\n```go\nfunc main() {}\n```\n");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].line, 1);
        assert!(blocks[0].html.starts_with("<h1 data-line=\"1\""));
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
    }
}
