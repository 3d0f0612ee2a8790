//! A rendered, sanitized block that does not yet know its position or its highlighting:
//! `data-line` values are relative and code blocks are slots, filled in by `materialize`.
//! Both are marked with per-process secrets, so nothing a writer types can stand for either.
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::OnceLock;

use super::image_src::{self, ImageSources};
use super::sanitize;
use super::writer::CodeSource;

/// One code block of a template, identified by a hash of its language and code.
#[derive(Debug, Clone)]
pub(crate) struct CodeSlot {
    /// `code_id(lang, code)`.
    pub id: u64,
    /// First word of the info string.
    pub lang: String,
    /// The code.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Html(String),
    /// A `data-line` value, relative to the block's first line.
    Line(usize),
    /// Index into `codes`.
    Code(usize),
}

/// A sanitized block with relative lines and code slots.
#[derive(Debug, Clone)]
pub(crate) struct BlockTemplate {
    segments: Vec<Segment>,
    pub codes: Vec<CodeSlot>,
    /// Hash of everything above: equal hashes mean equal HTML at equal line and highlighting.
    pub hash: u64,
}

/// The per-process secret part of code placeholders (user text cannot forge one).
pub(crate) fn nonce() -> &'static str {
    static NONCE: OnceLock<String> = OnceLock::new();
    NONCE.get_or_init(|| secret("galley-code"))
}

/// The per-process secret that prefixes the renderer's own relative `data-line` values
/// (`data-line="<line_nonce><digits>"`). The sanitizer drops every `data-line` without it, so a
/// writer's own `data-line` attributes never reach the line arithmetic of `materialize`.
pub(crate) fn line_nonce() -> &'static str {
    static NONCE: OnceLock<String> = OnceLock::new();
    NONCE.get_or_init(|| secret("galley-line"))
}

/// `<prefix>-<16 random hex digits>-`, random per call (and so per process for the statics above).
fn secret(prefix: &str) -> String {
    let value = std::collections::hash_map::RandomState::new().hash_one(0x6761_6c6c_6579u64);
    format!("{prefix}-{value:016x}-")
}

/// The most digits a renderer-made relative line has (`usize::MAX` has 20).
pub(crate) const MAX_LINE_DIGITS: usize = 20;

/// True for a `data-line` value the renderer wrote: its secret prefix, then 1 to
/// [`MAX_LINE_DIGITS`] ASCII digits.
pub(crate) fn is_renderer_line(value: &str) -> bool {
    value
        .strip_prefix(line_nonce())
        .is_some_and(|digits| (1..=MAX_LINE_DIGITS).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Identity of a code block's highlighted HTML.
pub(crate) fn code_id(lang: &str, code: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    lang.to_ascii_lowercase().hash(&mut hasher);
    code.hash(&mut hasher);
    hasher.finish()
}

const DATA_LINE: &[u8] = b" data-line=\"";
const MARK: &str = "\u{E000}";

impl BlockTemplate {
    /// Sanitizes the writer's raw HTML and cuts it into segments (image sources left as written).
    #[cfg(test)]
    pub(crate) fn build(raw_html: &str, codes: Vec<CodeSource>) -> BlockTemplate {
        Self::build_with(raw_html, codes, &ImageSources::default())
    }

    /// [`BlockTemplate::build`] with the post's image sources mapped (after sanitizing).
    pub(crate) fn build_with(raw_html: &str, codes: Vec<CodeSource>, images: &ImageSources) -> BlockTemplate {
        // Without the whitespace after the block's last tag: a character there would make the
        // parser reopen an element the writer's raw HTML left open (an unclosed `<a>` came back
        // as a second, empty anchor after the block).
        let clean = sanitize::sanitize_html(raw_html.trim_end());
        let clean = image_src::map_images(&clean, images);
        let clean = clean.trim();
        let nonce = nonce();
        let line_nonce = line_nonce();
        let bytes = clean.as_bytes();
        let mut segments = Vec::new();
        let mut seg_start = 0usize;
        let mut i = 0usize;
        let mut in_tag = false;
        let mut in_quote = false;
        while i < bytes.len() {
            let b = bytes[i];
            if in_tag {
                if in_quote {
                    in_quote = b != b'"';
                } else if b == b'"' {
                    in_quote = true;
                } else if b == b'>' {
                    in_tag = false;
                } else if bytes[i..].starts_with(DATA_LINE) && bytes[i + DATA_LINE.len()..].starts_with(line_nonce.as_bytes()) {
                    let value_start = i + DATA_LINE.len();
                    let digits_start = value_start + line_nonce.len();
                    let digits_len = bytes[digits_start..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let digits_end = digits_start + digits_len;
                    if digits_len > 0 && bytes.get(digits_end) == Some(&b'"') {
                        // Only the renderer writes these; a value too big for usize (impossible
                        // from the writer) still never becomes a secret leaked to the page.
                        let value = clean[digits_start..digits_end].parse::<usize>().unwrap_or(usize::MAX);
                        segments.push(Segment::Html(clean[seg_start..value_start].to_string()));
                        segments.push(Segment::Line(value));
                        seg_start = digits_end;
                        i = digits_end + 1;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            if b == b'<' {
                in_tag = true;
                i += 1;
                continue;
            }
            if bytes[i..].starts_with(MARK.as_bytes()) {
                let after = i + '\u{E000}'.len_utf8();
                if let Some(rest) = clean[after..].strip_prefix(nonce) {
                    let digits_len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
                    if let Ok(index) = rest[..digits_len].parse::<usize>() {
                        if rest[digits_len..].starts_with('\u{E000}') && index < codes.len() {
                            segments.push(Segment::Html(clean[seg_start..i].to_string()));
                            segments.push(Segment::Code(index));
                            i = after + nonce.len() + digits_len + '\u{E000}'.len_utf8();
                            seg_start = i;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
        segments.push(Segment::Html(clean[seg_start..].to_string()));
        segments.retain(|segment| !matches!(segment, Segment::Html(text) if text.is_empty()));
        let codes: Vec<CodeSlot> = codes
            .into_iter()
            .map(|source| CodeSlot { id: code_id(&source.lang, &source.code), lang: source.lang, code: source.code })
            .collect();
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        segments.hash(&mut hasher);
        for code in &codes {
            code.id.hash(&mut hasher);
        }
        let hash = hasher.finish();
        BlockTemplate { segments, codes, hash }
    }

    /// The block's HTML at `line`, with each code block highlighted when `highlighted` has it.
    pub(crate) fn materialize<'h>(&self, line: usize, highlighted: impl Fn(&CodeSlot) -> Option<&'h str>) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Html(html) => out.push_str(html),
                // Saturating: the relative line is the renderer's own, but no text may ever make
                // this arithmetic panic.
                Segment::Line(relative) => out.push_str(&line.saturating_add(*relative).to_string()),
                Segment::Code(index) => {
                    if let Some(slot) = self.codes.get(*index) {
                        push_code_html(&mut out, slot, highlighted(slot));
                    }
                }
            }
        }
        out
    }
}

/// The `<code>` element inside a code block's `<pre>`: highlighted spans or plain escaped text.
fn push_code_html(out: &mut String, slot: &CodeSlot, highlighted: Option<&str>) {
    match highlighted {
        Some(html) => {
            out.push_str("<code class=\"hl-code\">");
            out.push_str(html);
        }
        None => {
            out.push_str("<code class=\"plain\">");
            out.push_str(&sanitize::escape_text(&slot.code));
        }
    }
    out.push_str("</code>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_only_inside_tags() {
        let raw = format!("<p data-line=\"{}0\">text says data-line=\"7\" &lt;b data-line=\"3\"&gt;</p>", line_nonce());
        let template = BlockTemplate::build(&raw, Vec::new());
        let html = template.materialize(10, |_| None);
        assert!(html.starts_with("<p data-line=\"10\">"), "{html}");
        assert!(html.contains("data-line=\"7\""), "{html}");
        assert!(html.contains("data-line=\"3\""), "{html}");
    }

    #[test]
    fn writers_data_lines_never_reach_the_arithmetic() {
        let raw = format!(
            "<div data-line=\"{}0\"><div data-line=\"18446744073709551615\">x</div><p data-line=\"{}99999999999999999999\">y</p></div>",
            line_nonce(),
            line_nonce()
        );
        let template = BlockTemplate::build(&raw, Vec::new());
        let html = template.materialize(usize::MAX, |_| None);
        assert!(!html.contains("18446744073709551615\">x"), "the writer's data-line is dropped: {html}");
        assert!(html.starts_with(&format!("<div data-line=\"{}\">", usize::MAX)), "{html}");
        assert!(!html.contains(line_nonce()), "the secret never reaches the page: {html}");
    }

    #[test]
    fn code_slots_survive_sanitizing() {
        let code = CodeSource { lang: "go".into(), code: "a < b\n".into() };
        let raw =
            format!("<pre data-line=\"{}0\" class=\"code\">{}</pre>", line_nonce(), super::super::writer::code_placeholder(nonce(), 0));
        let template = BlockTemplate::build(&raw, vec![code]);
        assert_eq!(template.codes.len(), 1);
        let plain = template.materialize(1, |_| None);
        assert_eq!(plain, "<pre data-line=\"1\" class=\"code\"><code class=\"plain\">a &lt; b\n</code></pre>");
        let lit = template.materialize(1, |_| Some("<span class=\"hl-x\">a</span>"));
        assert!(lit.contains("hl-code"), "{lit}");
    }
}
