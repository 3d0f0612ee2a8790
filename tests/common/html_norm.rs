//! HTML normalization for comparing Galley's preview with other renderers (the spec's expected
//! HTML, a real generator's page): html5ever's tree, comments and Galley's own attributes dropped.
#![allow(dead_code)]
use scraper::{Html, Node};

/// What a comparison looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every attribute except Galley's own (spec conformance).
    Spec,
    /// Tags, text and href/src/alt/align only; highlighting markup, Galley's markers (`<!-- more
    /// -->`, raw HTML omitted) and the generator's code wrappers ignored (a site's page).
    Site,
}

/// Canonical form of a fragment for the spec comparison.
pub fn normalize_spec(html: &str) -> String {
    normalize(html, Mode::Spec)
}

/// Canonical form of a fragment for the site comparison.
pub fn normalize_site(html: &str) -> String {
    normalize(html, Mode::Site)
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "section",
    "br",
    "img",
];

/// The tree as tokens (tags and text runs), whitespace collapsed outside `<pre>` and dropped next
/// to block elements. Whitespace after the last tag is not part of the fragment (a parser would
/// reopen a still-open element around it).
pub fn normalize(html: &str, mode: Mode) -> String {
    let fragment = Html::parse_fragment(html.trim_end());
    let mut tokens: Vec<Token> = Vec::new();
    walk(fragment.tree.root(), false, mode, &mut tokens);
    let mut out = String::new();
    // The last text written ends with a space, with only inline tags since.
    let mut space_before = false;
    for (index, token) in tokens.iter().enumerate() {
        if token.is_block() {
            space_before = false;
        }
        match token {
            Token::Text(text, pre) => {
                let mut text = text.as_str();
                if !pre {
                    if index == 0 || tokens[index - 1].is_block() {
                        text = text.trim_start();
                    }
                    // Before a block, or at the very end (only closing tags after it).
                    let at_end = tokens[index + 1..]
                        .iter()
                        .all(|t| matches!(t, Token::Close(_)) || matches!(t, Token::Text(text, false) if text.trim().is_empty()));
                    if at_end || tokens.get(index + 1).is_none_or(Token::is_block) {
                        text = text.trim_end();
                    }
                } else if tokens.get(index + 1).is_none_or(Token::is_block)
                    || matches!(tokens.get(index + 1), Some(Token::Close(name)) if name == "code")
                {
                    // Code ends with or without its last newline depending on the renderer.
                    text = text.trim_end_matches('\n');
                }
                // As a browser shows it: a space right after a space (across inline tags) is not seen.
                if !pre && text.starts_with(' ') && space_before {
                    text = &text[1..];
                }
                if !text.is_empty() {
                    space_before = !pre && text.ends_with(' ');
                }
                out.push_str(&text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"));
            }
            Token::Open(name, attrs) => {
                out.push('<');
                out.push_str(name);
                for (attr, value) in attrs {
                    out.push_str(&format!(" {attr}=\"{}\"", value.replace('&', "&amp;").replace('"', "&quot;")));
                }
                out.push('>');
            }
            Token::Close(name) => out.push_str(&format!("</{name}>")),
            Token::Mark(mark) => out.push_str(mark),
        }
    }
    out
}

enum Token {
    Open(String, Vec<(String, String)>),
    Close(String),
    /// Text and whether it is inside `<pre>`.
    Text(String, bool),
    Mark(&'static str),
}

impl Token {
    fn is_block(&self) -> bool {
        match self {
            Token::Open(name, _) | Token::Close(name) => BLOCKS.contains(&name.as_str()),
            Token::Mark(_) => true,
            Token::Text(..) => false,
        }
    }
}

fn push_text(tokens: &mut Vec<Token>, text: &str, pre: bool) {
    let text = if pre {
        text.to_string()
    } else {
        let mut collapsed = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                space = true;
            } else {
                if space {
                    collapsed.push(' ');
                    space = false;
                }
                collapsed.push(c);
            }
        }
        if space {
            collapsed.push(' ');
        }
        collapsed
    };
    match tokens.last_mut() {
        Some(Token::Text(last, _)) if !pre => {
            if last.ends_with(' ') && text.starts_with(' ') {
                last.push_str(&text[1..]);
            } else {
                last.push_str(&text);
            }
        }
        Some(Token::Text(last, true)) => last.push_str(&text),
        _ => tokens.push(Token::Text(text, pre)),
    }
}

fn walk(node: ego_tree::NodeRef<'_, Node>, pre: bool, mode: Mode, tokens: &mut Vec<Token>) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => push_text(tokens, text, pre),
            Node::Element(element) => {
                let name = element.name();
                let classes: Vec<&str> = element.classes().collect();
                let transparent = name == "html"
                    // Galley's wrapper around a raw HTML block.
                    || (name == "div" && classes.contains(&"galley-html"))
                    // Highlighting markup: Galley's `hl-*` spans; in a site's page every span and
                    // the generator's `<div class="highlight">` wrapper inside or around code.
                    || (name == "span" && classes.iter().any(|c| c.starts_with("hl-")))
                    || (mode == Mode::Site && name == "span" && pre)
                    || (mode == Mode::Site && name == "div" && classes.contains(&"highlight"));
                if transparent {
                    walk(child, pre, mode, tokens);
                    continue;
                }
                if (name == "span" && classes.contains(&"task")) || (name == "input" && element.attr("type") == Some("checkbox")) {
                    tokens.push(Token::Mark("[task]"));
                    continue;
                }
                if mode == Mode::Site && classes.iter().any(|c| matches!(*c, "galley-more" | "galley-raw-omitted")) {
                    continue;
                }
                let mut attrs: Vec<(String, String)> =
                    element.attrs().filter_map(|(attr, value)| keep_attribute(mode, name, attr, value)).collect();
                attrs.sort();
                tokens.push(Token::Open(name.to_string(), attrs));
                walk(child, pre || name == "pre", mode, tokens);
                if !matches!(name, "br" | "img" | "hr" | "input") {
                    tokens.push(Token::Close(name.to_string()));
                }
            }
            _ => {}
        }
    }
}

/// The attribute as compared, or `None` when the comparison ignores it.
fn keep_attribute(mode: Mode, element: &str, attr: &str, value: &str) -> Option<(String, String)> {
    let alignment = |value: &str| {
        let compact = value.replace([' ', ';'], "");
        compact.strip_prefix("text-align:").map(|align| ("align".to_string(), align.to_string()))
    };
    match mode {
        Mode::Site => match attr {
            "href" | "src" | "alt" => Some((attr.to_string(), value.to_string())),
            "align" => Some(("align".to_string(), value.to_string())),
            "style" if matches!(element, "th" | "td") => alignment(value),
            _ => None,
        },
        Mode::Spec => match attr {
            "data-line" | "rel" | "role" | "aria-label" => None,
            "id" if element.len() == 2 && element.starts_with('h') => None,
            "class" if matches!(element, "code" | "pre") => None,
            "class" => {
                let kept: Vec<&str> = value.split_whitespace().filter(|c| !is_galley_class(c)).collect();
                (!kept.is_empty()).then(|| (attr.to_string(), kept.join(" ")))
            }
            "style" if matches!(element, "th" | "td") => alignment(value),
            _ => Some((attr.to_string(), value.to_string())),
        },
    }
}

fn is_galley_class(class: &str) -> bool {
    class.starts_with("galley-") || class.starts_with("markdown-alert") || class.starts_with("footnote-") || class.starts_with("task")
}
