//! Code highlighting: the only user of syntect. Class-based HTML so light/dark is a stylesheet swap.
use std::sync::OnceLock;

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every highlighter class starts with this prefix, so the sanitizer and the themes can tell them apart.
pub const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: CLASS_PREFIX };

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Loads the syntax definitions now (they take a moment), e.g. on a background thread at start-up.
pub fn warm_up() {
    let _ = syntax_set();
}

/// Maps a fence's info string to a syntax, knowing the names writers actually use.
fn find_syntax(info: &str) -> Option<&'static SyntaxReference> {
    let token = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("").to_ascii_lowercase();
    if token.is_empty() {
        return None;
    }
    let token = match token.as_str() {
        "golang" => "go",
        "sh" | "shell" | "console" | "zsh" => "bash",
        "x86asm" | "x86" | "nasm" | "gas" | "assembly" => "asm",
        "yml" => "yaml",
        "dockerfile" | "docker" => "Dockerfile",
        "rs" => "rust",
        "c++" => "cpp",
        "js" => "javascript",
        "ts" => "typescript",
        other => other,
    };
    let set = syntax_set();
    set.find_syntax_by_token(token).or_else(|| set.find_syntax_by_name(token))
}

/// The language of a fence if Galley can colour it.
pub fn is_known_language(info: &str) -> bool {
    find_syntax(info).is_some()
}

/// Highlights `code` as the fence's language; `None` when the language is unknown
/// (the caller then shows plain escaped code).
pub fn highlight_code(info: &str, code: &str) -> Option<String> {
    let syntax = find_syntax(info)?;
    let set = syntax_set();
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

/// CSS for the highlighter classes in the light or dark preview theme.
pub fn theme_css(dark: bool) -> String {
    let themes = two_face::theme::extra();
    let theme = if dark {
        themes.get(two_face::theme::EmbeddedThemeName::OneHalfDark)
    } else {
        themes.get(two_face::theme::EmbeddedThemeName::OneHalfLight)
    };
    css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}
