//! HTML sanitizing: the only user of ammonia. Everything the preview shows passes through here.
use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .attribute_filter(|_element, attribute, value| {
                if matches!(attribute, "href" | "src") && points_at_app(value) {
                    None
                } else {
                    Some(value.into())
                }
            })
            .add_generic_attributes(["id", "data-line", "align"])
            .add_tags(["input", "section", "sup", "del", "s"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("a", ["href", "title"])
            .add_tag_attributes("img", ["src", "alt", "title"])
            .add_allowed_classes("code", ["language-plain"])
            .add_allowed_classes("div", ["galley-more", "footnote-definition"])
            .add_allowed_classes("sup", ["footnote-reference"])
            .link_rel(Some("noopener noreferrer"));
        builder
    })
}

/// True for URLs that would reach the app itself or its IPC bridge.
fn points_at_app(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower.split_once("://").map(|(_, rest)| rest) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    host == "localhost" || host.ends_with(".localhost")
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
