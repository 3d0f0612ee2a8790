//! Markdown events of one top-level block → raw (unsanitized) HTML: `data-line` on every block
//! element, heading ids, footnote numbers, GFM alerts, the `<!-- more -->` divider, code placeholders.
use std::ops::Range;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use rustc_hash::{FxHashMap, FxHashSet};

use super::dialect::Dialect;
use super::template::line_nonce;

/// How a heading gets its id: written by the author (`{#id}`) or derived from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeadingId {
    /// `{#id}`: used as written.
    Explicit(String),
    /// The slug of the heading text, deduplicated document-wide.
    Auto(String),
}

/// Document-wide numbering, advanced block by block in document order: heading ids already
/// taken and footnote numbers (by first appearance, references and definitions alike).
#[derive(Debug, Default, Clone)]
pub(crate) struct DocState {
    used_ids: FxHashSet<String>,
    /// For each auto slug, the next suffix worth trying (every smaller one is taken).
    next_suffix: FxHashMap<String, usize>,
    footnotes: FxHashMap<String, usize>,
    /// What `replay` changed, so a mismatch can be undone.
    undo: Vec<Undo>,
}

#[derive(Debug, Clone)]
enum Undo {
    Id(String),
    Suffix(String, Option<usize>),
    Footnote(String),
}

/// What one chunk took from the document-wide state, so a cached render can be re-checked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Usage {
    /// Each heading's id source, in order.
    pub headings: Vec<HeadingId>,
    /// The id each heading received.
    pub ids: Vec<String>,
    /// Footnote labels (normalized) in order of appearance, with the number each received.
    pub footnotes: Vec<(String, usize)>,
}

impl DocState {
    fn assign_id(&mut self, heading: &HeadingId) -> String {
        let id = match heading {
            HeadingId::Explicit(id) => id.clone(),
            HeadingId::Auto(base) => {
                if !self.used_ids.contains(base.as_str()) {
                    base.clone()
                } else {
                    let previous = self.next_suffix.get(base.as_str()).copied();
                    let mut n = previous.unwrap_or(1);
                    let id = loop {
                        let candidate = format!("{base}-{n}");
                        if !self.used_ids.contains(&candidate) {
                            break candidate;
                        }
                        n += 1;
                    };
                    self.next_suffix.insert(base.clone(), n + 1);
                    self.undo.push(Undo::Suffix(base.clone(), previous));
                    id
                }
            }
        };
        if self.used_ids.insert(id.clone()) {
            self.undo.push(Undo::Id(id.clone()));
        }
        id
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        if let Some(number) = self.footnotes.get(label) {
            return *number;
        }
        let next = self.footnotes.len() + 1;
        self.footnotes.insert(label.to_string(), next);
        self.undo.push(Undo::Footnote(label.to_string()));
        next
    }

    /// Replays a cached chunk's usage: when the ids and numbers it would receive now equal the
    /// recorded ones, advances the state and returns true; otherwise leaves the state untouched.
    pub(crate) fn replay(&mut self, usage: &Usage) -> bool {
        if usage.headings.is_empty() && usage.footnotes.is_empty() {
            return true;
        }
        self.undo.clear();
        let mut same = true;
        for (heading, recorded) in usage.headings.iter().zip(&usage.ids) {
            if self.assign_id(heading) != *recorded {
                same = false;
                break;
            }
        }
        if same {
            for (label, recorded) in &usage.footnotes {
                if self.footnote_number(label) != *recorded {
                    same = false;
                    break;
                }
            }
        }
        if !same {
            while let Some(undo) = self.undo.pop() {
                match undo {
                    Undo::Id(id) => {
                        self.used_ids.remove(&id);
                    }
                    Undo::Suffix(base, Some(n)) => {
                        self.next_suffix.insert(base, n);
                    }
                    Undo::Suffix(base, None) => {
                        self.next_suffix.remove(&base);
                    }
                    Undo::Footnote(label) => {
                        self.footnotes.remove(&label);
                    }
                }
            }
        }
        self.undo.clear();
        same
    }
}

/// Slug of a heading's text: lowercase letters, digits, `_` and `-`; whitespace runs become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_dash = !slug.is_empty();
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            if pending_dash {
                slug.push('-');
                pending_dash = false;
            }
            slug.push(c);
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Footnote labels are matched case-insensitively (as pulldown-cmark does).
pub(crate) fn normalize_footnote_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A code block found while writing: the writer leaves a placeholder where its HTML goes.
#[derive(Debug, Clone)]
pub(crate) struct CodeSource {
    /// The first word of the fence's info string.
    pub lang: String,
    /// The code itself.
    pub code: String,
}

/// True for `<!-- more -->` (case-insensitive, spaces allowed).
pub fn is_more_divider(html: &str) -> bool {
    let trimmed = html.trim();
    let Some(inner) = trimmed.strip_prefix("<!--").and_then(|rest| rest.strip_suffix("-->")) else {
        return false;
    };
    inner.trim().eq_ignore_ascii_case("more")
}

/// The placeholder text standing for code block `index` until after sanitizing.
pub(crate) fn code_placeholder(nonce: &str, index: usize) -> String {
    format!("\u{E000}{nonce}{index}\u{E000}")
}

enum TableState {
    Head,
    Body,
}

struct HeadingOpen {
    pos: usize,
    level: pulldown_cmark::HeadingLevel,
    explicit: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    rel_line: usize,
    text: String,
}

/// Writes one top-level block. `line_of` maps a source offset to its 1-based line; every
/// `data-line` is written relative to `block_line` (0 for the block's first line).
pub(crate) struct BlockWriter<'s, 'e, 'a, F: Fn(usize) -> usize> {
    events: &'e [(Event<'a>, Range<usize>)],
    index: usize,
    line_of: F,
    block_line: usize,
    state: &'s mut DocState,
    usage: &'s mut Usage,
    nonce: &'s str,
    dialect: &'s Dialect,
    /// Open links (no autolinks inside them).
    link_depth: usize,
    out: String,
    end_newline: bool,
    table_state: TableState,
    table_alignments: Vec<Alignment>,
    table_cell_index: usize,
    heading: Option<HeadingOpen>,
    code: Option<CodeSource>,
    codes: Vec<CodeSource>,
    html_block: Option<(usize, Vec<String>)>,
}

impl<'s, 'e, 'a, F: Fn(usize) -> usize> BlockWriter<'s, 'e, 'a, F> {
    pub(crate) fn new(
        events: &'e [(Event<'a>, Range<usize>)],
        line_of: F,
        block_line: usize,
        state: &'s mut DocState,
        usage: &'s mut Usage,
        nonce: &'s str,
        dialect: &'s Dialect,
    ) -> Self {
        BlockWriter {
            events,
            index: 0,
            line_of,
            block_line,
            state,
            usage,
            nonce,
            dialect,
            link_depth: 0,
            out: String::new(),
            end_newline: true,
            table_state: TableState::Head,
            table_alignments: Vec::new(),
            table_cell_index: 0,
            heading: None,
            code: None,
            codes: Vec::new(),
            html_block: None,
        }
    }

    fn rel_line(&self, offset: usize) -> usize {
        (self.line_of)(offset).saturating_sub(self.block_line)
    }

    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    fn open_block(&mut self, tag: &str, offset: usize, rest: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        let line = self.rel_line(offset);
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(" data-line=\"");
        self.out.push_str(line_nonce());
        self.out.push_str(&line.to_string());
        self.out.push('"');
        self.out.push_str(rest);
        self.out.push('>');
        self.end_newline = false;
    }

    fn push_text(&mut self, text: &str) {
        if let Some(heading) = self.heading.as_mut() {
            heading.text.push_str(text);
        }
    }

    /// Runs the writer; returns the raw HTML and the code blocks whose placeholders it contains.
    pub(crate) fn run(mut self) -> (String, Vec<CodeSource>) {
        while self.index < self.events.len() {
            let (event, range) = &self.events[self.index];
            self.index += 1;
            let event = event.clone();
            let start = range.start;
            self.event(event, start);
        }
        (self.out, self.codes)
    }

    fn event(&mut self, event: Event<'a>, start: usize) {
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::Text(text) => {
                    code.code.push_str(&text);
                    return;
                }
                Event::End(TagEnd::CodeBlock) => {}
                _ => return,
            }
        }
        if let Some((_, lines)) = self.html_block.as_mut() {
            match event {
                Event::Html(html) | Event::InlineHtml(html) | Event::Text(html) => {
                    lines.push(html.to_string());
                    return;
                }
                Event::End(TagEnd::HtmlBlock) => {}
                _ => return,
            }
        }
        match event {
            Event::Start(tag) => self.start_tag(tag, start),
            Event::End(tag) => self.end_tag(tag),
            Event::Text(text) => {
                let line_head = self.index < 2 || at_line_head(&self.events[self.index - 2].0);
                let text = self.merged_text(text);
                if self.dialect.linkify && self.link_depth == 0 {
                    super::autolink::write_linked(&mut self.out, &text, self.dialect, line_head);
                } else {
                    escape_html_body_text(&mut self.out, &text).ok();
                }
                self.end_newline = text.ends_with('\n');
                self.push_text(&text);
            }
            Event::Code(text) => {
                self.write("<code>");
                escape_html_body_text(&mut self.out, &text).ok();
                self.write("</code>");
                self.push_text(&text);
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.write("<code>");
                escape_html(&mut self.out, &text).ok();
                self.write("</code>");
            }
            Event::Html(html) => self.write(&html),
            Event::InlineHtml(html) if self.dialect.raw_html => self.write(&html),
            Event::InlineHtml(html) => {
                if !super::raw_html::is_comment(&html) {
                    self.write(super::raw_html::INLINE_OMITTED);
                }
            }
            Event::SoftBreak => {
                self.write("\n");
                self.push_text(" ");
            }
            Event::HardBreak => {
                self.write("<br />\n");
                self.push_text(" ");
            }
            Event::Rule => {
                self.open_block("hr", start, " /");
                self.write("\n");
            }
            Event::FootnoteReference(name) => {
                let label = normalize_footnote_label(&name);
                let number = self.footnote(&label);
                self.write("<sup class=\"footnote-reference\"><a href=\"#fn-");
                escape_html(&mut self.out, &label).ok();
                self.write("\">");
                self.write(&number.to_string());
                self.write("</a></sup>");
            }
            Event::TaskListMarker(done) => self.write(if done {
                "<span class=\"task task-done\" role=\"img\" aria-label=\"done\">☑</span> "
            } else {
                "<span class=\"task\" role=\"img\" aria-label=\"to do\">☐</span> "
            }),
        }
    }

    fn footnote(&mut self, label: &str) -> usize {
        let number = self.state.footnote_number(label);
        self.state.undo.clear();
        self.usage.footnotes.push((label.to_string(), number));
        number
    }

    fn start_tag(&mut self, tag: Tag<'a>, start: usize) {
        match tag {
            Tag::HtmlBlock => self.html_block = Some((start, Vec::new())),
            Tag::Paragraph => self.open_block("p", start, ""),
            Tag::Heading { level, id, classes, attrs } => {
                if !self.end_newline {
                    self.out.push('\n');
                }
                self.heading = Some(HeadingOpen {
                    pos: self.out.len(),
                    level,
                    explicit: id.map(|id| id.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string()))).collect(),
                    rel_line: self.rel_line(start),
                    text: String::new(),
                });
                self.end_newline = false;
            }
            Tag::Table(alignments) => {
                self.table_alignments = alignments;
                self.open_block("table", start, "");
            }
            Tag::TableHead => {
                self.table_state = TableState::Head;
                self.table_cell_index = 0;
                self.write("<thead>");
                self.open_block("tr", start, "");
            }
            Tag::TableRow => {
                self.table_cell_index = 0;
                self.open_block("tr", start, "");
            }
            Tag::TableCell => {
                self.write(match self.table_state {
                    TableState::Head => "<th",
                    TableState::Body => "<td",
                });
                match self.table_alignments.get(self.table_cell_index) {
                    Some(Alignment::Left) => self.write(" style=\"text-align: left\">"),
                    Some(Alignment::Center) => self.write(" style=\"text-align: center\">"),
                    Some(Alignment::Right) => self.write(" style=\"text-align: right\">"),
                    _ => self.write(">"),
                }
            }
            Tag::BlockQuote(None) => {
                self.open_block("blockquote", start, "");
                self.write("\n");
            }
            Tag::BlockQuote(Some(kind)) => {
                let (class, title) = alert_class_title(kind);
                self.open_block("div", start, &format!(" class=\"markdown-alert {class}\""));
                self.open_block("p", start, " class=\"markdown-alert-title\"");
                self.write(title);
                self.write("</p>\n");
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.open_block("pre", start, " class=\"code\"");
                self.code = Some(CodeSource { lang, code: String::new() });
            }
            Tag::List(Some(1)) => {
                self.open_block("ol", start, "");
                self.write("\n");
            }
            Tag::List(Some(first)) => {
                self.open_block("ol", start, &format!(" start=\"{first}\""));
                self.write("\n");
            }
            Tag::List(None) => {
                self.open_block("ul", start, "");
                self.write("\n");
            }
            Tag::Item => self.open_block("li", start, ""),
            Tag::DefinitionList => {
                self.open_block("dl", start, "");
                self.write("\n");
            }
            Tag::DefinitionListTitle => self.open_block("dt", start, ""),
            Tag::DefinitionListDefinition => self.open_block("dd", start, ""),
            Tag::Subscript => self.write("<sub>"),
            Tag::Superscript => self.write("<sup>"),
            Tag::Emphasis => self.write("<em>"),
            Tag::Strong => self.write("<strong>"),
            Tag::Strikethrough => self.write("<del>"),
            Tag::Link { link_type, dest_url, title, .. } => {
                self.link_depth += 1;
                self.write("<a href=\"");
                if link_type == LinkType::Email {
                    self.write("mailto:");
                }
                escape_href(&mut self.out, &dest_url).ok();
                if !title.is_empty() {
                    self.write("\" title=\"");
                    escape_html(&mut self.out, &title).ok();
                }
                self.write("\">");
            }
            Tag::Image { dest_url, title, .. } => {
                self.write("<img src=\"");
                escape_href(&mut self.out, &dest_url).ok();
                self.write("\" alt=\"");
                self.raw_text();
                if !title.is_empty() {
                    self.write("\" title=\"");
                    escape_html(&mut self.out, &title).ok();
                }
                self.write("\" />");
            }
            Tag::FootnoteDefinition(name) => {
                let label = normalize_footnote_label(&name);
                let mut rest = String::from(" class=\"footnote-definition\" id=\"fn-");
                escape_html(&mut rest, &label).ok();
                rest.push('"');
                self.open_block("div", start, &rest);
                let number = self.footnote(&label);
                self.write("<sup class=\"footnote-definition-label\">");
                self.write(&number.to_string());
                self.write("</sup>");
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::HtmlBlock => self.finish_html_block(),
            TagEnd::Paragraph => self.write("</p>\n"),
            TagEnd::Heading(level) => {
                if let Some(heading) = self.heading.take() {
                    self.finish_heading(heading);
                }
                self.write(&format!("</{level}>\n"));
            }
            TagEnd::Table => self.write("</tbody></table>\n"),
            TagEnd::TableHead => {
                self.write("</tr></thead><tbody>\n");
                self.table_state = TableState::Body;
            }
            TagEnd::TableRow => self.write("</tr>\n"),
            TagEnd::TableCell => {
                self.write(match self.table_state {
                    TableState::Head => "</th>",
                    TableState::Body => "</td>",
                });
                self.table_cell_index += 1;
            }
            TagEnd::BlockQuote(None) => self.write("</blockquote>\n"),
            TagEnd::BlockQuote(Some(_)) => self.write("</div>\n"),
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    let placeholder = code_placeholder(self.nonce, self.codes.len());
                    self.codes.push(code);
                    self.write(&placeholder);
                }
                self.write("</pre>\n");
            }
            TagEnd::List(true) => self.write("</ol>\n"),
            TagEnd::List(false) => self.write("</ul>\n"),
            TagEnd::Item => self.write("</li>\n"),
            TagEnd::DefinitionList => self.write("</dl>\n"),
            TagEnd::DefinitionListTitle => self.write("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.write("</dd>\n"),
            TagEnd::Emphasis => self.write("</em>"),
            TagEnd::Superscript => self.write("</sup>"),
            TagEnd::Subscript => self.write("</sub>"),
            TagEnd::Strong => self.write("</strong>"),
            TagEnd::Strikethrough => self.write("</del>"),
            TagEnd::Link => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.write("</a>");
            }
            TagEnd::Image => {}
            TagEnd::FootnoteDefinition => self.write("</div>\n"),
            TagEnd::MetadataBlock(_) => {}
        }
    }

    fn finish_heading(&mut self, heading: HeadingOpen) {
        let source = match heading.explicit {
            Some(id) => Some(HeadingId::Explicit(id)),
            None => self.dialect.heading_slug(&heading.text).map(HeadingId::Auto),
        };
        let mut tag = format!("<{} data-line=\"{}{}\"", heading.level, line_nonce(), heading.rel_line);
        if let Some(source) = source {
            let id = self.state.assign_id(&source);
            self.state.undo.clear();
            self.usage.headings.push(source);
            self.usage.ids.push(id.clone());
            tag.push_str(" id=\"");
            escape_html(&mut tag, &id).ok();
            tag.push('"');
        }
        if !heading.classes.is_empty() {
            tag.push_str(" class=\"");
            escape_html(&mut tag, &heading.classes.join(" ")).ok();
            tag.push('"');
        }
        for (name, value) in &heading.attrs {
            tag.push(' ');
            escape_html(&mut tag, name).ok();
            tag.push_str("=\"");
            if let Some(value) = value {
                escape_html(&mut tag, value).ok();
            }
            tag.push('"');
        }
        tag.push('>');
        self.out.insert_str(heading.pos, &tag);
    }

    fn finish_html_block(&mut self) {
        let Some((start, lines)) = self.html_block.take() else {
            return;
        };
        let only_dividers =
            lines.iter().all(|line| line.trim().is_empty() || is_more_divider(line)) && lines.iter().any(|line| is_more_divider(line));
        if only_dividers {
            self.open_block("div", start, " class=\"galley-more\" role=\"separator\"");
            self.write("more</div>\n");
            return;
        }
        // A comment shows nowhere: no block at all (the site's page has none either).
        if lines.iter().all(|line| super::raw_html::is_comment(line)) || super::raw_html::is_comment(&lines.concat()) {
            return;
        }
        if !self.dialect.raw_html {
            self.open_block("div", start, super::raw_html::BLOCK_OMITTED_ATTRIBUTES);
            self.write(super::raw_html::BLOCK_OMITTED_TEXT);
            self.write("</div>\n");
            return;
        }
        self.open_block("div", start, " class=\"galley-html\"");
        self.write("\n");
        for line in &lines {
            if is_more_divider(line) {
                self.write("<div class=\"galley-more\" role=\"separator\">more</div>\n");
            } else {
                self.write(line);
            }
        }
        self.write("</div>\n");
    }

    /// `text` joined with the text events right after it (pulldown-cmark splits text at
    /// delimiters and escapes; an autolink may span the pieces).
    fn merged_text(&mut self, text: pulldown_cmark::CowStr<'a>) -> pulldown_cmark::CowStr<'a> {
        if !matches!(self.events.get(self.index), Some((Event::Text(_), _))) {
            return text;
        }
        let mut joined = text.into_string();
        while let Some((Event::Text(next), _)) = self.events.get(self.index) {
            joined.push_str(next);
            self.index += 1;
        }
        joined.into()
    }

    /// Writes the plain text of an image's description (the `alt` attribute), consuming its end.
    fn raw_text(&mut self) {
        let mut nest = 0usize;
        while self.index < self.events.len() {
            let (event, _) = &self.events[self.index];
            self.index += 1;
            match event {
                Event::Start(_) => nest += 1,
                Event::End(_) => {
                    if nest == 0 {
                        break;
                    }
                    nest -= 1;
                }
                Event::Html(_) => {}
                Event::InlineHtml(text) | Event::Code(text) | Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                    escape_html(&mut self.out, text).ok();
                }
                Event::SoftBreak | Event::HardBreak | Event::Rule => self.out.push(' '),
                Event::FootnoteReference(name) => {
                    let label = normalize_footnote_label(name);
                    let number = self.footnote(&label);
                    self.out.push_str(&format!("[{number}]"));
                }
                Event::TaskListMarker(true) => self.out.push_str("[x]"),
                Event::TaskListMarker(false) => self.out.push_str("[ ]"),
            }
        }
    }
}

/// True when text after `previous` starts a line as Goldmark sees it (a block's start or a break),
/// not right after inline markup.
fn at_line_head(previous: &Event<'_>) -> bool {
    match previous {
        Event::SoftBreak | Event::HardBreak => true,
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } | Tag::Superscript | Tag::Subscript
        ),
        _ => false,
    }
}

fn alert_class_title(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("markdown-alert-note", "Note"),
        BlockQuoteKind::Tip => ("markdown-alert-tip", "Tip"),
        BlockQuoteKind::Important => ("markdown-alert-important", "Important"),
        BlockQuoteKind::Warning => ("markdown-alert-warning", "Warning"),
        BlockQuoteKind::Caution => ("markdown-alert-caution", "Caution"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  The `go` statement  "), "the-go-statement");
        assert_eq!(slugify("Über Straße"), "über-straße");
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("a_b-c"), "a_b-c");
    }

    #[test]
    fn replay_matches_assignment() {
        let mut state = DocState::default();
        let usage = Usage {
            headings: vec![HeadingId::Auto("intro".into()), HeadingId::Auto("intro".into())],
            ids: vec!["intro".into(), "intro-1".into()],
            footnotes: vec![("a".into(), 1), ("b".into(), 2), ("a".into(), 1)],
        };
        assert!(state.replay(&usage));
        // A second identical chunk gets different ids and numbers: replay must refuse.
        let before = state.clone();
        assert!(!state.replay(&usage));
        assert_eq!(before.used_ids, state.used_ids);
    }
}
