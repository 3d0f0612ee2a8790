//! Cuts Markdown into candidate top-level chunks with a line scanner (no parse): a cut only
//! before an unindented line that follows a blank line, outside fences and long HTML blocks.
//! The scanner may be wrong about fences; `Renderer` checks every chunk's parse and merges.
use std::ops::Range;

/// How a multi-line leaf block that survives blank lines ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A fenced code block: fence character and length.
    Fence(u8, usize),
    /// An HTML block of CommonMark types 1–5: the text that ends it.
    Html(&'static str),
}

/// Byte ranges of candidate chunks covering `text` in order (empty text: no chunk).
#[cfg(test)]
pub(crate) fn candidate_chunks(text: &str) -> Vec<Range<usize>> {
    Scanner::new(text, 0).collect()
}

/// Yields candidate chunks from `start` (which must be 0 or a position where a previous scan cut:
/// the scanner's state there is always fresh) to the end of the text.
pub(crate) struct Scanner<'t> {
    bytes: &'t [u8],
    chunk_start: usize,
    line_start: usize,
    open: Option<Open>,
    maybe_list: bool,
    prev_blank: bool,
}

impl<'t> Scanner<'t> {
    pub(crate) fn new(text: &'t str, start: usize) -> Self {
        Scanner { bytes: text.as_bytes(), chunk_start: start, line_start: start, open: None, maybe_list: false, prev_blank: false }
    }
}

impl Iterator for Scanner<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.bytes;
        while self.line_start < bytes.len() {
            let line_start = self.line_start;
            let line_end = match memchr_newline(&bytes[line_start..]) {
                Some(index) => line_start + index + 1,
                None => bytes.len(),
            };
            let line = &bytes[line_start..line_end];
            let mut cut = None;
            if line_start > self.chunk_start
                && self.prev_blank
                && self.open.is_none()
                && starts_unindented(line)
                && !starts_definition(line)
                && !(self.maybe_list && looks_like_list_marker(line))
            {
                cut = Some(self.chunk_start..line_start);
                self.chunk_start = line_start;
                self.maybe_list = false;
            }
            let blank = is_blank(line);
            match self.open {
                Some(Open::Fence(ch, len)) if closes_fence(line, ch, len) => self.open = None,
                Some(Open::Html(end)) if contains_ignore_case(line, end.as_bytes()) => self.open = None,
                Some(_) => {}
                None if !blank => {
                    let (indent, rest) = indentation(line);
                    if indent <= 3 {
                        if let Some(fence) = opens_fence(rest) {
                            self.open = Some(fence);
                        } else if let Some(end) = opens_long_html(rest) {
                            if !contains_ignore_case(&rest[1..], end.as_bytes()) {
                                self.open = Some(Open::Html(end));
                            }
                        }
                        if list_marker_len(rest).is_some() {
                            self.maybe_list = true;
                        }
                    }
                }
                None => {}
            }
            self.prev_blank = blank;
            self.line_start = line_end;
            if cut.is_some() {
                return cut;
            }
        }
        if self.chunk_start < bytes.len() {
            let last = self.chunk_start..bytes.len();
            self.chunk_start = bytes.len();
            return Some(last);
        }
        None
    }
}

/// End of the line that starts at or contains `offset` (after its newline).
pub(crate) fn line_end(text: &str, offset: usize) -> usize {
    match memchr_newline(&text.as_bytes()[offset.min(text.len())..]) {
        Some(index) => offset + index + 1,
        None => text.len(),
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    // Eight bytes at a time: lines are long enough for this to matter on huge posts.
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut index = 0;
    while index + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[index..index + 8]);
        let x = u64::from_le_bytes(word) ^ NL;
        if (x.wrapping_sub(LO) & !x & HI) != 0 {
            break;
        }
        index += 8;
    }
    bytes[index..].iter().position(|&b| b == b'\n').map(|i| index + i)
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn starts_unindented(line: &[u8]) -> bool {
    matches!(line.first(), Some(b) if !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// A definition (`: text`) belongs to the paragraph before it, blank line or not, in the dialects
/// with definition lists: never cut there (a bigger chunk is only slower, never wrong).
fn starts_definition(line: &[u8]) -> bool {
    line.first() == Some(&b':') && matches!(line.get(1), Some(b' ' | b'\t'))
}

/// Columns of leading whitespace (a tab counts as reaching the next multiple of 4) and the rest.
fn indentation(line: &[u8]) -> (usize, &[u8]) {
    let mut columns = 0usize;
    for (index, b) in line.iter().enumerate() {
        match b {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => return (columns, &line[index..]),
        }
    }
    (columns, &[])
}

fn opens_fence(rest: &[u8]) -> Option<Open> {
    let ch = *rest.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.iter().take_while(|&&b| b == ch).count();
    if len < 3 {
        return None;
    }
    if ch == b'`' && rest[len..].contains(&b'`') {
        return None;
    }
    Some(Open::Fence(ch, len))
}

fn closes_fence(line: &[u8], ch: u8, len: usize) -> bool {
    let (indent, rest) = indentation(line);
    if indent > 3 {
        return false;
    }
    let run = rest.iter().take_while(|&&b| b == ch).count();
    run >= len && is_blank(&rest[run..])
}

/// The end marker of an HTML block of types 1–5 starting on this line.
fn opens_long_html(rest: &[u8]) -> Option<&'static str> {
    if rest.first() != Some(&b'<') {
        return None;
    }
    let after = &rest[1..];
    for (name, end) in [(&b"script"[..], "</script>"), (b"pre", "</pre>"), (b"style", "</style>"), (b"textarea", "</textarea>")] {
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            match after.get(name.len()) {
                None | Some(b' ' | b'\t' | b'>' | b'\r' | b'\n') => return Some(end),
                _ => {}
            }
        }
    }
    if after.starts_with(b"!--") {
        return Some("-->");
    }
    if after.starts_with(b"?") {
        return Some("?>");
    }
    if after.starts_with(b"![CDATA[") {
        return Some("]]>");
    }
    if after.first() == Some(&b'!') && after.get(1).is_some_and(|b| b.is_ascii_alphabetic()) {
        return Some(">");
    }
    None
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len() && haystack.windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
}

/// Length of a list item marker (`-`, `+`, `*`, `1.`, `1)`) at the start of `rest`.
fn list_marker_len(rest: &[u8]) -> Option<usize> {
    let marker = match rest.first()? {
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(rest.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match rest.get(marker) {
        None | Some(b' ' | b'\t' | b'\r' | b'\n') => Some(marker),
        _ => None,
    }
}

/// Generous: anything that might continue a list (or be a thematic break) is not a cut point.
fn looks_like_list_marker(line: &[u8]) -> bool {
    matches!(line.first(), Some(b'-' | b'+' | b'*' | b'0'..=b'9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        candidate_chunks(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn cuts_at_blank_lines() {
        assert_eq!(pieces("# A\n\npara\nmore\n\nlast"), vec!["# A\n\n", "para\nmore\n\n", "last"]);
    }

    #[test]
    fn keeps_fences_and_comments_whole() {
        let text = "```go\na\n\nb\n```\n\nafter\n";
        assert_eq!(pieces(text), vec!["```go\na\n\nb\n```\n\n", "after\n"]);
        let text = "<!--\n\nx\n-->\n\ny\n";
        assert_eq!(pieces(text), vec!["<!--\n\nx\n-->\n\n", "y\n"]);
    }

    #[test]
    fn keeps_definitions_with_their_term() {
        assert_eq!(pieces("Term\n\n: def\n\nnext\n"), vec!["Term\n\n: def\n\n", "next\n"]);
    }

    #[test]
    fn keeps_lists_whole() {
        let text = "- a\n\n- b\n\n  c\n\nend\n";
        assert_eq!(pieces(text), vec!["- a\n\n- b\n\n  c\n\n", "end\n"]);
    }

    #[test]
    fn covers_everything() {
        let text = "a\n\n\n\n    b\n\nc";
        let ranges = candidate_chunks(text);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }
}
