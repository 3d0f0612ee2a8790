//! HTML sanitizing: the only user of ammonia. Everything the preview shows passes through here:
//! http/https/mailto or relative URLs only, nothing aimed at the app (`*.localhost`), Galley's classes only.
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::OnceLock;

/// Every class the renderer emits, by element (the highlighter's `hl-*` spans are added after
/// sanitizing and never pass through here).
pub const ALLOWED_CLASSES: &[(&str, &[&str])] = &[
    (
        "div",
        &[
            "galley-more",
            "galley-html",
            "galley-raw-omitted",
            "footnote-definition",
            "markdown-alert",
            "markdown-alert-note",
            "markdown-alert-tip",
            "markdown-alert-important",
            "markdown-alert-warning",
            "markdown-alert-caution",
        ],
    ),
    ("p", &["markdown-alert-title"]),
    ("sup", &["footnote-reference", "footnote-definition-label"]),
    ("pre", &["code"]),
    ("span", &["task", "task-done", "galley-raw-omitted"]),
];

/// The only `style` values kept, on table cells: a column's alignment.
const CELL_STYLES: &[&str] = &["text-align: left", "text-align: center", "text-align: right"];

/// Attributes that hold a URL (checked for hosts that point at the app).
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "poster", "longdesc", "usemap"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .attribute_filter(|_element, attribute, value| {
                let bad_url = URL_ATTRIBUTES.contains(&attribute) && (points_at_app(value) || scheme_like(value));
                // Only the renderer's own line markers survive: a writer's `data-line` never
                // feeds the line arithmetic (nor the preview's scroll sync).
                let bad_line = attribute == "data-line" && !super::template::is_renderer_line(value);
                let bad_style = attribute == "style" && !CELL_STYLES.contains(&value.trim());
                if bad_url || bad_line || bad_style {
                    None
                } else {
                    Some(value.into())
                }
            })
            .add_generic_attributes(["id", "data-line"])
            .add_tags(["section", "sup", "del", "s"])
            .rm_tags(["area", "map"])
            .add_tag_attributes("a", ["href", "title"])
            .add_tag_attributes("img", ["src", "alt", "title"])
            .add_tag_attributes("div", ["role"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("span", ["role", "aria-label"])
            .link_rel(Some("noopener noreferrer"));
        for (tag, classes) in ALLOWED_CLASSES {
            builder.add_allowed_classes(*tag, classes.iter().copied());
        }
        builder
    })
}

/// True for URL text with a colon before any `/`, `?` or `#` whose "scheme" is not http, https
/// or mailto: browsers read most of these as relative, but nothing legitimate looks like that
/// (`java%09script:`, `%01javascript:`, zero-width prefixes), so they are dropped too. A
/// "scheme" holding ASCII punctuation no scheme can contain (`foo):` from `[a](foo\)\:)`) is
/// plainly a relative path and stays.
fn scheme_like(url: &str) -> bool {
    let trimmed = url.trim();
    let Some(colon) = trimmed.find(':') else {
        return false;
    };
    let path = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    colon < path && {
        let scheme = trimmed[..colon].to_ascii_lowercase();
        let plainly_a_path = scheme.chars().any(|c| c.is_ascii_punctuation() && !matches!(c, '+' | '-' | '.' | '%'));
        !plainly_a_path && !matches!(scheme.as_str(), "http" | "https" | "mailto")
    }
}

/// True for URLs that would reach the app itself, its IPC bridge or a local service:
/// `localhost`, `*.localhost`, loopback and unspecified addresses, however they are spelled.
pub fn points_at_app(url: &str) -> bool {
    static BASE: OnceLock<Option<url::Url>> = OnceLock::new();
    let Some(base) = BASE.get_or_init(|| url::Url::parse("https://relative.invalid/").ok()) else {
        return true;
    };
    let Ok(parsed) = base.join(url.trim()) else {
        // Unparseable: only harmless when it is plainly relative text.
        return url.contains(':') || url.trim_start().starts_with("//") || url.contains('\\');
    };
    match parsed.host() {
        Some(url::Host::Domain(host)) => {
            let host = host.trim_end_matches('.');
            host == "localhost" || host.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => is_local_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_local_ip(IpAddr::V6(ip)),
        None => false,
    }
}

/// Loopback, unspecified and the rest of `0.0.0.0/8`, also as IPv4-mapped (`::ffff:127.0.0.1`)
/// or IPv4-compatible (`::127.0.0.1`) IPv6 addresses, which std's `is_loopback` does not count.
fn is_local_ip(ip: IpAddr) -> bool {
    let local_v4 = |v4: std::net::Ipv4Addr| v4.is_loopback() || v4.octets()[0] == 0;
    match ip {
        IpAddr::V4(v4) => local_v4(v4),
        IpAddr::V6(v6) => v6.is_loopback() || v6.is_unspecified() || v6.to_ipv4().is_some_and(local_v4),
    }
}

/// Removes scripts, event handlers, dangerous URLs and unknown classes from rendered Markdown.
pub fn sanitize_html(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Escapes text for use inside HTML.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_hosts_are_recognized() {
        for url in [
            "http://localhost/x",
            "https://tauri.localhost",
            "http://ipc.localhost./",
            "//asset.localhost/x",
            "http://LOCALHOST:1420",
            "http://user@foo.localhost/",
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://0.0.0.0/",
            "http://2130706433/",
            "http://[::ffff:127.0.0.1]:8080/",
            "http://[::ffff:7f00:1]/",
            "http://[::127.0.0.1]/",
            "http://[::ffff:0.0.0.0]/",
            "http://0x7f.1/",
            "http://127.1/",
            "http://0177.0.0.1/",
            "http://0/",
            "http://[::]/",
            "http://localhost./",
            "http://%6c%6fcalhost/",
        ] {
            assert!(points_at_app(url), "{url}");
        }
        for url in [
            "https://go.dev/blog",
            "#intro",
            "images/a.png",
            "/about",
            "mailto:a@b.c",
            "http://[::ffff:8.8.8.8]/",
            "http://[2001:db8::1]/",
            "http://10.0.0.1/",
        ] {
            assert!(!points_at_app(url), "{url}");
        }
    }

    #[test]
    fn keeps_what_galley_emits() {
        let line = super::super::template::line_nonce();
        let html = format!("<div data-line=\"{line}3\" class=\"markdown-alert markdown-alert-note evil\" role=\"separator\"><p class=\"markdown-alert-title\">Note</p></div>");
        let clean = sanitize_html(&html);
        assert_eq!(clean, format!("<div data-line=\"{line}3\" class=\"markdown-alert markdown-alert-note\" role=\"separator\"><p class=\"markdown-alert-title\">Note</p></div>"));
    }

    #[test]
    fn cell_alignment_is_the_only_style() {
        let clean = sanitize_html("<table><tr><td style=\"text-align: right\">1</td><td style=\"color: red\">2</td></tr></table><p style=\"text-align: right\">x</p>");
        assert_eq!(clean, "<table><tbody><tr><td style=\"text-align: right\">1</td><td>2</td></tr></tbody></table><p>x</p>");
    }

    #[test]
    fn punctuation_before_a_colon_is_a_path_not_a_scheme() {
        assert!(!scheme_like("foo):"));
        assert!(!scheme_like("a(b):c"));
        for url in ["java%09script:alert(1)", "%01javascript:x", "\u{200b}javascript:x", "data:text/html,x", "vbscript:x", "ja.va+script:x"]
        {
            assert!(scheme_like(url), "{url}");
        }
    }

    #[test]
    fn drops_the_writers_own_data_line() {
        for value in ["18446744073709551615", "3", "-1", "007", "x", "", "galley-line-0000000000000000-1"] {
            let clean = sanitize_html(&format!("<div data-line=\"{value}\">x</div>"));
            assert_eq!(clean, "<div>x</div>", "{value}");
        }
    }
}
