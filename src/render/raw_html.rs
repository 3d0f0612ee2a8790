//! Raw HTML in a dialect whose site omits it (Hugo's default `unsafe = false`): the visible
//! markers the preview shows in its place, and what counts as a bare comment (shown nowhere).

/// Attributes of the block that stands for an omitted HTML block.
pub(crate) const BLOCK_OMITTED_ATTRIBUTES: &str = " class=\"galley-raw-omitted\" role=\"note\"";
/// Its text.
pub(crate) const BLOCK_OMITTED_TEXT: &str = "raw HTML omitted by the site";
/// What stands for one omitted inline tag.
pub(crate) const INLINE_OMITTED: &str = "<span class=\"galley-raw-omitted\" role=\"note\">raw HTML omitted</span>";

/// True when `html` is nothing but HTML comments and whitespace (and holds at least one comment).
pub(crate) fn is_comment(html: &str) -> bool {
    let mut rest = html.trim_start();
    if !rest.starts_with("<!--") {
        return false;
    }
    while let Some(after) = rest.strip_prefix("<!--") {
        // `<!-->` and `<!--->` are complete (empty) comments too.
        let body_end = if after.starts_with('>') {
            Some((0, 1))
        } else if after.starts_with("->") {
            Some((0, 2))
        } else {
            after.find("-->").map(|end| (end, end + 3))
        };
        let Some((_, skip)) = body_end else {
            return false;
        };
        rest = after[skip..].trim_start();
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::is_comment;

    #[test]
    fn comments_only() {
        assert!(is_comment("<!-- a -->\n"));
        assert!(is_comment("  <!--\nmulti\nline\n-->\n<!-- b -->"));
        assert!(is_comment("<!-->"));
        assert!(!is_comment("<!-- a --> <b>x</b>"));
        assert!(!is_comment("<div>"));
        assert!(!is_comment("<!-- never closed"));
        assert!(!is_comment(""));
    }
}
