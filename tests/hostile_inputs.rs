//! Hostile Markdown (tests/fixtures/hostile/cases.txt) renders to inert HTML: no script, no
//! handlers, no style, no dangerous or app-bound URLs, only Galley's classes — full and incremental.
mod common;

use galley::render::sanitize::ALLOWED_CLASSES;
use galley::render::{render_blocks, render_html, Renderer};

/// Loads the corpus: `%%% name` starts a case; lines before the first case are comments.
fn cases() -> Vec<(String, String)> {
    let path = common::repo_path("tests/fixtures/hostile/cases.txt");
    let text = std::fs::read_to_string(&path).expect("hostile corpus");
    let mut cases: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("%%% ") {
            cases.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = cases.last_mut() {
            body.push_str(line);
        }
    }
    cases
}

/// A start tag of the sanitized output: name and (name, decoded value) attributes.
#[derive(Debug)]
struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
}

fn decode(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

/// Start tags of serialized HTML (html5ever writes `<` in text as `&lt;` and attribute values in
/// double quotes, so this simple scan is exact for the sanitizer's output).
fn start_tags(html: &str) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        if bytes.get(i) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'>' {
                i += 1;
            }
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'>' | b'/') {
            i += 1;
        }
        let mut tag = StartTag { name: html[name_start..i].to_ascii_lowercase(), attrs: Vec::new() };
        loop {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let attr_start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b' ' | b'>') {
                i += 1;
            }
            let name = html[attr_start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') && bytes.get(i + 1) == Some(&b'"') {
                let value_start = i + 2;
                let end = html[value_start..].find('"').map(|e| value_start + e).unwrap_or(html.len());
                value = decode(&html[value_start..end]);
                i = end + 1;
            }
            tag.attrs.push((name, value));
        }
        tags.push(tag);
    }
    tags
}

const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base", "form", "style", "link", "svg", "math",
    "template", "noscript", "button", "textarea", "select",
];
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "poster", "data", "background", "action"];
const FORBIDDEN_ATTRIBUTES: &[&str] = &["style", "srcset", "formaction", "xlink:href", "srcdoc", "action"];

fn url_problem(value: &str) -> Option<String> {
    let trimmed: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = trimmed.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    if let Some(end) = scheme_end {
        if end < path_start {
            let scheme = &lower[..end];
            if !matches!(scheme, "http" | "https" | "mailto") {
                return Some(format!("scheme {scheme:?} in {value:?}"));
            }
        }
    }
    let base = url::Url::parse("https://relative.invalid/").ok()?;
    let parsed = base.join(value.trim()).ok()?;
    match parsed.host() {
        Some(url::Host::Domain(host)) => {
            let host = host.trim_end_matches('.');
            (host == "localhost" || host.ends_with(".localhost")).then(|| format!("app host in {value:?}"))
        }
        Some(url::Host::Ipv4(ip)) => local_v4(ip).then(|| format!("loopback in {value:?}")),
        // IPv4-mapped (`::ffff:127.0.0.1`) and -compatible forms: std's is_loopback says no.
        Some(url::Host::Ipv6(ip)) => {
            (ip.is_loopback() || ip.is_unspecified() || ip.to_ipv4().is_some_and(local_v4)).then(|| format!("loopback in {value:?}"))
        }
        None => None,
    }
}

fn local_v4(ip: std::net::Ipv4Addr) -> bool {
    ip.is_loopback() || ip.octets()[0] == 0
}

fn class_allowed(element: &str, class: &str) -> bool {
    if matches!(element, "span" | "code") && class.starts_with("hl-") {
        return true;
    }
    if element == "code" && class == "plain" {
        return true;
    }
    ALLOWED_CLASSES.iter().any(|(tag, classes)| *tag == element && classes.contains(&class))
}

/// Every reason the HTML is unsafe (empty when it is inert). `lines`: the source's line count;
/// every `data-line` must be one of its lines (a writer's own `data-line` never survives).
fn problems(html: &str, lines: usize) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        if FORBIDDEN_ELEMENTS.contains(&tag.name.as_str()) {
            found.push(format!("<{}> element", tag.name));
        }
        if tag.name == "input" && !tag.attrs.iter().any(|(n, v)| n == "type" && v == "checkbox") {
            found.push("input that is not a checkbox".into());
        }
        for (name, value) in &tag.attrs {
            if name.starts_with("on") {
                found.push(format!("handler attribute {name}"));
            }
            if FORBIDDEN_ATTRIBUTES.contains(&name.as_str()) {
                found.push(format!("attribute {name}"));
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                if let Some(problem) = url_problem(value) {
                    found.push(problem);
                }
            }
            let lower = value.to_ascii_lowercase();
            for bad in ["javascript:", "vbscript:", "data:", "url("] {
                if lower.contains(bad) && name != "alt" && name != "title" {
                    found.push(format!("{bad} in attribute {name}={value:?}"));
                }
            }
            if name == "class" {
                for class in value.split_whitespace() {
                    if !class_allowed(&tag.name, class) {
                        found.push(format!("class {class:?} on <{}>", tag.name));
                    }
                }
            }
            if name == "data-line" && !value.parse::<usize>().is_ok_and(|line| (1..=lines).contains(&line)) {
                found.push(format!("data-line={value:?} is not one of the source's {lines} lines"));
            }
        }
    }
    found
}

#[test]
fn the_corpus_has_at_least_forty_cases() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|(name, _)| name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
}

#[test]
fn every_hostile_case_renders_inert_html() {
    let mut failures = Vec::new();
    for (name, markdown) in cases() {
        let html = render_html(&markdown);
        for problem in problems(&html, line_count(&markdown)) {
            failures.push(format!("{name}: {problem}\n    {html}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_hostile_case_is_inert_through_the_incremental_renderer() {
    let mut renderer = Renderer::new();
    let mut failures = Vec::new();
    let mut document = String::new();
    for (name, markdown) in cases() {
        // Alone, and appended to everything before it (context: definitions, footnotes, ids).
        document.push_str(&markdown);
        document.push_str("\n\n");
        for text in [markdown.as_str(), document.as_str()] {
            renderer.render(text);
            renderer.highlight_pending();
            for block in renderer.blocks() {
                for problem in problems(&block.html, line_count(text)) {
                    failures.push(format!("{name}: {problem}\n    {}", block.html));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checker_catches_what_it_must() {
    for bad in [
        "<script>x</script>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<p style=\"color:red\">x</p>",
        "<a href=\"http://tauri.localhost/\">x</a>",
        "<img src=\"asset://localhost/x\">",
        "<iframe></iframe>",
        "<div class=\"evil\">x</div>",
        "<a href=\"http://[::ffff:127.0.0.1]:8080/\">x</a>",
        "<img src=\"http://[::127.0.0.1]/\">",
        "<p data-line=\"18446744073709551615\">x</p>",
        "<p data-line=\"2\">x</p>",
    ] {
        assert!(!problems(bad, 1).is_empty(), "{bad}");
    }
}

#[test]
fn safe_links_and_images_survive() {
    let html = render_html(
        "[go](https://go.dev/blog) [mail](mailto:a@example.com) [frag](#intro) [rel](../post/) \
         ![img](images/x.png \"t\")\n",
    );
    for needle in [
        "href=\"https://go.dev/blog\"",
        "href=\"mailto:a@example.com\"",
        "href=\"#intro\"",
        "href=\"../post/\"",
        "src=\"images/x.png\"",
        "rel=\"noopener noreferrer\"",
    ] {
        assert!(html.contains(needle), "{needle} missing from {html}");
    }
    assert!(problems(&html, 1).is_empty());
}

/// Lines of a source as the renderer numbers them (1-based; a final line without newline counts).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Every `href` and `src` value in the HTML.
fn urls(html: &str) -> Vec<String> {
    start_tags(html)
        .into_iter()
        .flat_map(|tag| tag.attrs)
        .filter(|(name, _)| name == "href" || name == "src")
        .map(|(_, value)| value)
        .collect()
}

#[test]
fn loopback_spellings_are_refused_in_links_images_and_raw_html() {
    let cases: Vec<_> = cases().into_iter().filter(|(name, _)| name.starts_with("loopback-")).collect();
    assert!(cases.len() >= 60, "the loopback cases went missing: {}", cases.len());
    let mut failures = Vec::new();
    for (name, markdown) in &cases {
        let mut renderer = Renderer::new();
        let incremental: String = renderer.render_full(markdown).into_iter().map(|block| block.html).collect();
        for html in [render_html(markdown), incremental] {
            let kept = urls(&html);
            if !kept.is_empty() {
                failures.push(format!("{name}: kept {kept:?}\n    {html}"));
            }
            // The link text and the inline HTML are still there: refused, not mangled.
            if !html.contains('x') && !html.contains("inline") {
                failures.push(format!("{name}: the text went missing\n    {html}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The `data-line` values of HTML, in order.
fn data_lines(html: &str) -> Vec<String> {
    start_tags(html).into_iter().flat_map(|tag| tag.attrs).filter(|(name, _)| name == "data-line").map(|(_, value)| value).collect()
}

/// Issue 10, point 1: `<div data-line="18446744073709551615">x</div>` overflowed the line
/// arithmetic (a panic that killed the app). A writer's `data-line` values never survive, in any
/// position, through the full and the incremental renderer, typed in one keystroke at a time.
#[test]
fn a_writers_data_line_never_reaches_the_line_arithmetic() {
    let values = ["18446744073709551615", "18446744073709551614", "99999999999999999999999", "-1", "x", "0x10", "007", "", "1e3", " 5"];
    let mut texts = vec!["<div data-line=\"18446744073709551615\">x</div>\n".to_string()];
    for value in values {
        texts.push(format!("Intro.\n\n<div data-line=\"{value}\">x</div>\n"));
        texts.push(format!("<div>\n<p data-line=\"{value}\"><span data-line=\"{value}\">deep</span></p>\n</div>\n\nafter\n"));
        texts.push(format!("Some <span data-line=\"{value}\">inline</span> html.\n"));
        texts.push(format!("- item <b data-line=\"{value}\">b</b>\n\n> <i data-line=\"{value}\">q</i>\n"));
        texts.push(format!("# Title {{data-line={}}}\n\ntext\n", if value.is_empty() { "0" } else { value.trim() }));
    }
    for text in &texts {
        let lines = line_count(text);
        let full = render_html(text);
        assert!(problems(&full, lines).is_empty(), "{text:?} → {full}: {:?}", problems(&full, lines));
        assert!(!data_lines(&full).is_empty(), "the renderer's own lines are still there: {full}");
        // Incremental: the whole text at once, then typed in a character at a time after the
        // renderer already holds a document above and below it.
        let mut renderer = Renderer::new();
        let blocks = renderer.render_full(text);
        let html: Vec<&str> = blocks.iter().map(|block| block.html.as_str()).collect();
        let reference: Vec<String> = render_blocks(text).into_iter().map(|block| block.html).collect();
        assert_eq!(html, reference, "{text:?}");
        let mut typed = String::from("Above.\n\n\n\nBelow.\n");
        let mut renderer = Renderer::new();
        renderer.render(&typed);
        for (index, c) in text.char_indices() {
            typed.insert(8 + index, c);
            renderer.render(&typed);
        }
        let lines = line_count(&typed);
        for block in renderer.blocks() {
            assert!(problems(&block.html, lines).is_empty(), "{typed:?} → {}: {:?}", block.html, problems(&block.html, lines));
        }
        let html: Vec<String> = renderer.blocks().into_iter().map(|block| block.html).collect();
        let reference: Vec<String> = render_blocks(&typed).into_iter().map(|block| block.html).collect();
        assert_eq!(html, reference, "incremental equals a full render: {typed:?}");
    }
}
