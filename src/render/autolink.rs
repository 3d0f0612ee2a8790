//! Bare URLs and e-mail addresses in plain text, for dialects with linkify: GFM's extended
//! autolinks (the `linkify` crate finds the boundaries) or Goldmark's linkify rules (Hugo).
use linkify::{LinkFinder, LinkKind};
use pulldown_cmark_escape::{escape_href, escape_html_body_text};

use super::dialect::{Autolinks, Dialect};

/// Writes `text` escaped, with every autolink in it as an `<a>`. `line_head`: the text starts a
/// line (Goldmark links only there or after a space, `*`, `_`, `~` or `(`).
pub(crate) fn write_linked(out: &mut String, text: &str, dialect: &Dialect, line_head: bool) {
    let links = match dialect.autolinks {
        Autolinks::Gfm => gfm_links(text),
        Autolinks::Goldmark => goldmark_links(text, line_head, dialect.linkify_https),
    };
    let mut last = 0;
    for link in links {
        escape_html_body_text(&mut *out, &text[last..link.start]).ok();
        out.push_str("<a href=\"");
        escape_href(&mut *out, &link.href).ok();
        out.push_str("\">");
        escape_html_body_text(&mut *out, &link.text).ok();
        out.push_str("</a>");
        last = link.end;
    }
    escape_html_body_text(&mut *out, &text[last..]).ok();
}

/// A link found in a text: its byte range, its text and its destination.
struct Found {
    start: usize,
    end: usize,
    text: String,
    href: String,
}

fn gfm_links(text: &str) -> Vec<Found> {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
        .links(text)
        .filter_map(|link| {
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
                        return None;
                    }
                }
                _ => return None,
            };
            Some(Found { start: link.start(), end: link.end(), text: found.to_string(), href })
        })
        .collect()
}

/// Goldmark's linkify (v1.5, as in Hugo 0.111): at each trigger (a line's start, after a space,
/// `*`, `_`, `~`, `(` or an opening quote of the typographer), `(http|https|ftp)://` or `www.` then
/// `[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+(:\d+)?([/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'">^{}[\]`]*)?`,
/// a final `.` and a trailing `&entity;` dropped; otherwise an e-mail address. Curly quotes that
/// smart punctuation made from straight ones count (and are written) as straight, since Goldmark
/// links before its typographer sees them.
fn goldmark_links(text: &str, line_head: bool, https: bool) -> Vec<Found> {
    let mut links = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let starts_here = (at == 0 && line_head)
            // An opening quote the typographer made counts too (as Hugo's pages show).
            || text[..at].chars().next_back().is_some_and(|c| matches!(c, ' ' | '*' | '_' | '~' | '(' | '\n' | '“' | '‘'));
        if starts_here {
            if let Some(found) = goldmark_url(&text[at..], https).or_else(|| goldmark_email(&text[at..])) {
                let end = at + found.end;
                links.push(Found { start: at, end, ..found });
                at = end;
                continue;
            }
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    links
}

fn straight(c: char) -> char {
    match c {
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        c => c,
    }
}

fn goldmark_url(s: &str, https: bool) -> Option<Found> {
    let (rest_at, prefix) = if ["http://", "https://", "ftp://"].iter().any(|p| s.starts_with(p)) {
        (s.find("://")? + 3, "")
    } else if s.starts_with("www.") {
        (4, if https { "https://" } else { "http://" })
    } else {
        return None;
    };
    let rest = &s[rest_at..];
    let is_host = |c: char| c.is_ascii_alphanumeric() || "-@:%._+~#=".contains(c);
    let run = rest.find(|c: char| !is_host(c)).unwrap_or(rest.len()).min(256 + 1 + 63);
    // Greedy host, backing off to the last `.` followed by a lowercase letter.
    let bytes = rest.as_bytes();
    let dot = (1..run).rev().find(|&k| bytes[k] == b'.' && bytes.get(k + 1).is_some_and(u8::is_ascii_lowercase) && k <= 256)?;
    let mut end = dot + 1 + rest[dot + 1..].find(|c: char| !c.is_ascii_lowercase()).unwrap_or(rest.len() - dot - 1);
    if rest[end..].starts_with(':') {
        let digits = rest[end + 1..].find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len() - end - 1);
        if digits > 0 {
            end += 1 + digits;
        }
    }
    if rest[end..].starts_with(['/', '#', '?']) {
        let is_path = |c: char| c.is_ascii_alphanumeric() || "-@:%_+.~#$!?&/=();,'\">^{}[]`“”‘’".contains(c);
        end += rest[end..].find(|c: char| !is_path(c)).unwrap_or(rest.len() - end);
    }
    let mut end = rest_at + end;
    let matched = &s[..end];
    if matched.ends_with('.') {
        end -= 1;
    } else if let Some(before) = matched.strip_suffix(';') {
        let body = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
        if body.len() < before.len() && body.ends_with('&') {
            end = body.len() - 1;
        }
    }
    let text: String = s[..end].chars().map(straight).collect();
    Some(Found { start: 0, end, href: format!("{prefix}{text}"), text })
}

fn goldmark_email(s: &str) -> Option<Found> {
    if s.starts_with(|c: char| c.is_ascii_punctuation()) {
        return None;
    }
    let local = s.find(|c: char| !(c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))).unwrap_or(s.len());
    if local == 0 || !s[local..].starts_with('@') {
        return None;
    }
    let domain_start = local + 1;
    let mut end = domain_start
        + s[domain_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'))
            .unwrap_or(s.len() - domain_start);
    if !s[domain_start..end.saturating_sub(1).max(domain_start)].contains('.') {
        return None;
    }
    if s[..end].ends_with('.') {
        end -= 1;
    }
    if s[end..].starts_with(['-', '_']) {
        return None;
    }
    let text = s[..end].to_string();
    Some(Found { start: 0, end, href: format!("mailto:{text}"), text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str, dialect: &Dialect) -> String {
        let mut out = String::new();
        write_linked(&mut out, text, dialect, true);
        out
    }

    #[test]
    fn gfm_autolinks() {
        let gfm = &Dialect::astro();
        assert_eq!(linked("www.commonmark.org", gfm), "<a href=\"http://www.commonmark.org\">www.commonmark.org</a>");
        assert_eq!(linked("Visit https://go.dev/blog.", gfm), "Visit <a href=\"https://go.dev/blog\">https://go.dev/blog</a>.");
        assert_eq!(
            linked("(see www.google.com/search?q=Markup+(business))", gfm),
            "(see <a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a>)"
        );
        assert_eq!(linked("mail foo@bar.baz now", gfm), "mail <a href=\"mailto:foo@bar.baz\">foo@bar.baz</a> now");
        assert_eq!(linked("example.org & <x>", gfm), "example.org &amp; &lt;x&gt;");
    }

    #[test]
    fn goldmark_linkify_as_hugo_does() {
        let hugo = &Dialect::hugo();
        assert_eq!(linked("to www.google.com and", hugo), "to <a href=\"https://www.google.com\">www.google.com</a> and");
        // No parenthesis balancing, a final dot dropped, the typographer's quotes straight again.
        assert_eq!(
            linked("at https://godoc.org/$PACKAGENAME). In", hugo),
            "at <a href=\"https://godoc.org/$PACKAGENAME)\">https://godoc.org/$PACKAGENAME)</a>. In"
        );
        assert_eq!(
            linked("{{video “https://youtu.be/x”}}", hugo),
            "{{video “<a href=\"https://youtu.be/x%22%7D%7D\">https://youtu.be/x\"}}</a>"
        );
        assert_eq!(linked("x”https://go.dev", hugo), "x”https://go.dev", "not after a closing quote");
        assert_eq!(linked("released gopls@v0.15.0, only", hugo), "released <a href=\"mailto:gopls@v0.15.0\">gopls@v0.15.0</a>, only");
        assert_eq!(linked("x@y, https://localhost", hugo), "x@y, https://localhost");
        let mut out = String::new();
        write_linked(&mut out, "carmen@golang.org", hugo, false);
        assert_eq!(out, "carmen@golang.org", "right after emphasis: not a line head");
    }
}
