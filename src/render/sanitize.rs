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
    ("span", &["task", "task-done"]),
    ("th", &["align-left", "align-center", "align-right"]),
    ("td", &["align-left", "align-center", "align-right"]),
];

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
                let bad_url = URL_ATTRIBUTES.contains(&attribute)
                    && (points_at_app(value) || scheme_like(value));
                let bad_line =
                    attribute == "data-line" && !value.bytes().all(|b| b.is_ascii_digit());
                if bad_url || bad_line {
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
/// (`java%09script:`, `%01javascript:`, zero-width prefixes), so they are dropped too.
fn scheme_like(url: &str) -> bool {
    let trimmed = url.trim();
    let Some(colon) = trimmed.find(':') else {
        return false;
    };
    let path = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    colon < path && {
        let scheme = trimmed[..colon].to_ascii_lowercase();
        !matches!(scheme.as_str(), "http" | "https" | "mailto")
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

fn is_local_ip(ip: IpAddr) -> bool {
    ip.is_loopback() || ip.is_unspecified()
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
        ] {
            assert!(points_at_app(url), "{url}");
        }
        for url in ["https://go.dev/blog", "#intro", "images/a.png", "/about", "mailto:a@b.c"] {
            assert!(!points_at_app(url), "{url}");
        }
    }

    #[test]
    fn keeps_what_galley_emits() {
        let html = "<div data-line=\"3\" class=\"markdown-alert markdown-alert-note evil\" role=\"separator\"><p class=\"markdown-alert-title\">Note</p></div>";
        let clean = sanitize_html(html);
        assert_eq!(clean, "<div data-line=\"3\" class=\"markdown-alert markdown-alert-note\" role=\"separator\"><p class=\"markdown-alert-title\">Note</p></div>");
    }
}
