//! GFM's extended autolinks (`www.…`, `http(s)://…`, `ftp://…`, e-mail addresses) in plain text,
//! for dialects with linkify; the `linkify` crate finds the boundaries.
use linkify::{LinkFinder, LinkKind};
use pulldown_cmark_escape::{escape_href, escape_html_body_text};

/// Writes `text` escaped, with every autolink in it as an `<a>`.
pub(crate) fn write_linked(out: &mut String, text: &str) {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    let mut last = 0;
    for link in finder.links(text) {
        let found = link.as_str();
        let href = match link.kind() {
            LinkKind::Email => format!("mailto:{found}"),
            LinkKind::Url => {
                let lower = found.get(..8).unwrap_or(found).to_ascii_lowercase();
                if ["http://", "https://", "ftp://"].iter().any(|scheme| lower.starts_with(scheme)) {
                    found.to_string()
                } else if lower.starts_with("www.") {
                    format!("http://{found}")
                } else {
                    continue;
                }
            }
            _ => continue,
        };
        escape_html_body_text(&mut *out, &text[last..link.start()]).ok();
        out.push_str("<a href=\"");
        escape_href(&mut *out, &href).ok();
        out.push_str("\">");
        escape_html_body_text(&mut *out, found).ok();
        out.push_str("</a>");
        last = link.end();
    }
    escape_html_body_text(&mut *out, &text[last..]).ok();
}

#[cfg(test)]
mod tests {
    use super::write_linked;

    fn linked(text: &str) -> String {
        let mut out = String::new();
        write_linked(&mut out, text);
        out
    }

    #[test]
    fn gfm_autolinks() {
        assert_eq!(linked("www.commonmark.org"), "<a href=\"http://www.commonmark.org\">www.commonmark.org</a>");
        assert_eq!(linked("Visit https://go.dev/blog."), "Visit <a href=\"https://go.dev/blog\">https://go.dev/blog</a>.");
        assert_eq!(linked("(see www.google.com/search?q=Markup+(business))"), "(see <a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>)");
        assert_eq!(linked("mail foo@bar.baz now"), "mail <a href=\"mailto:foo@bar.baz\">foo@bar.baz</a> now");
        assert_eq!(linked("example.org & <x>"), "example.org &amp; &lt;x&gt;");
    }
}
