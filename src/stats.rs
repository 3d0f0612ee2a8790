//! Words, code lines, images, reading time and the excerpt of a post body, as a blog index shows
//! them: the reading-time profiles (Galley, Hugo, Zola, Medium) and their formulas live here, and
//! only here.
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::Error;

/// Silent reading speed for non-fiction prose (Brysbaert 2019), words per minute.
pub const PROSE_WORDS_PER_MINUTE: f64 = 238.0;
/// Seconds a reader spends on one non-blank line of code (Galley profile).
pub const SECONDS_PER_CODE_LINE: f64 = 2.0;
/// Hugo: words per minute for non-CJK content.
pub const HUGO_WORDS_PER_MINUTE: usize = 212;
/// Hugo: words per minute for CJK content.
pub const HUGO_CJK_WORDS_PER_MINUTE: usize = 500;
/// Zola: words per minute.
pub const ZOLA_WORDS_PER_MINUTE: usize = 200;
/// Medium: words per minute.
pub const MEDIUM_WORDS_PER_MINUTE: f64 = 265.0;

/// A reading-time formula, named after the site generator whose "N min read" it reproduces.
///
/// | profile | words counted | minutes |
/// |---|---|---|
/// | `galley` (default) | prose words: whitespace-separated words of the rendered text outside code blocks (inline code and image descriptions count) | ceil((words / 238 wpm) · 60 s + 2 s per non-blank code line + image seconds) / 60 |
/// | `hugo` | whitespace fields of the rendered plain text (code blocks included, image descriptions and tags not); when the text contains CJK characters (Han, Hiragana, Katakana, Hangul) the page is treated as Hugo treats a CJK page with `hasCJKLanguage = true`: a field with non-ASCII characters counts one word per character | ceil(words / 212), CJK: ceil(words / 500) (Hugo ≥ 0.1xx; older Hugo used `(w+212)/213`) |
/// | `zola` | UAX-29 words (unicode-segmentation `unicode_words`) of the Markdown source with everything between pairs of ```` ``` ```` removed | ceil(words / 200) |
/// | `medium` | whitespace fields of the rendered plain text, as for `hugo` | ceil(words / 265 · 60 s + image seconds) / 60 |
///
/// Image seconds (Galley and Medium): 12 s for the first image, 11 s for the second, one second
/// less for each next one, never under 3 s. Every profile reports at least 1 minute.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Galley's code-aware default.
    #[default]
    Galley,
    /// Hugo's `.ReadingTime`.
    Hugo,
    /// Zola's `page.reading_time`.
    Zola,
    /// Medium's published read-time rule.
    Medium,
}

impl Profile {
    /// Every profile, default first.
    pub const ALL: [Profile; 4] = [Profile::Galley, Profile::Hugo, Profile::Zola, Profile::Medium];

    /// The profile's name as the CLI and settings spell it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Galley => "galley",
            Profile::Hugo => "hugo",
            Profile::Zola => "zola",
            Profile::Medium => "medium",
        }
    }

    /// Parses a profile name (case-insensitive; `default` means `galley`).
    pub fn parse(name: &str) -> Result<Profile, Error> {
        let lower = name.trim().to_ascii_lowercase();
        if lower == "default" {
            return Ok(Profile::Galley);
        }
        Profile::ALL
            .into_iter()
            .find(|profile| profile.name() == lower)
            .ok_or_else(|| Error::Invalid(format!("unknown reading-time profile {name:?}: use galley, hugo, zola or medium")))
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Profile::parse(name)
    }
}

/// What the status bar and `galley stats` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Stats {
    /// Prose words (code excluded).
    pub words: usize,
    /// Non-blank lines inside code blocks.
    pub code_lines: usize,
    /// Images in the post.
    pub images: usize,
    /// Minutes to read under `profile`, at least 1.
    pub reading_minutes: u32,
    /// The reading-time profile used.
    pub profile: &'static str,
    /// The words the chosen profile counted (its own definition of a word).
    pub profile_words: usize,
    /// Minutes to read under every profile, by name.
    pub minutes_by_profile: BTreeMap<&'static str, u32>,
}

/// Counts gathered in one pass; every profile is a formula over them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts {
    prose_words: usize,
    code_lines: usize,
    images: usize,
    plain_words: usize,
    hugo_words: usize,
    cjk: bool,
    zola_words: usize,
}

/// Seconds for `images` images: 12 s for the first, then one second less each, never under 3 s.
pub fn image_seconds(images: usize) -> f64 {
    (0..images).map(|index| (12.0 - index as f64).max(3.0)).sum()
}

fn ceil_div(words: usize, per_minute: usize) -> u32 {
    words.div_ceil(per_minute) as u32
}

fn minutes_for(counts: &Counts, profile: Profile) -> u32 {
    let minutes = match profile {
        Profile::Galley => {
            let seconds = counts.prose_words as f64 / PROSE_WORDS_PER_MINUTE * 60.0
                + counts.code_lines as f64 * SECONDS_PER_CODE_LINE
                + image_seconds(counts.images);
            (seconds / 60.0).ceil() as u32
        }
        Profile::Hugo if counts.cjk => ceil_div(counts.hugo_words, HUGO_CJK_WORDS_PER_MINUTE),
        Profile::Hugo => ceil_div(counts.hugo_words, HUGO_WORDS_PER_MINUTE),
        Profile::Zola => ceil_div(counts.zola_words, ZOLA_WORDS_PER_MINUTE),
        Profile::Medium => {
            let seconds = counts.plain_words as f64 / MEDIUM_WORDS_PER_MINUTE * 60.0 + image_seconds(counts.images);
            // Round before ceil so float noise (e.g. 120.00000001 s) does not add a minute.
            ((seconds * 1000.0).round() / 1000.0 / 60.0).ceil() as u32
        }
    };
    minutes.max(1)
}

fn words_for(counts: &Counts, profile: Profile) -> usize {
    match profile {
        Profile::Galley => counts.prose_words,
        Profile::Hugo => counts.hugo_words,
        Profile::Zola => counts.zola_words,
        Profile::Medium => counts.plain_words,
    }
}

/// Counts a Markdown body and computes Galley's code-aware reading time (the default profile).
pub fn stats(markdown: &str) -> Stats {
    stats_with(markdown, Profile::Galley)
}

/// Counts a Markdown body and computes its reading time under `profile` (and every other).
pub fn stats_with(markdown: &str, profile: Profile) -> Stats {
    let counts = count(markdown);
    let minutes_by_profile = Profile::ALL.into_iter().map(|each| (each.name(), minutes_for(&counts, each))).collect();
    Stats {
        words: counts.prose_words,
        code_lines: counts.code_lines,
        images: counts.images,
        reading_minutes: minutes_for(&counts, profile),
        profile: profile.name(),
        profile_words: words_for(&counts, profile),
        minutes_by_profile,
    }
}

/// Just the minutes under one profile.
pub fn reading_minutes(markdown: &str, profile: Profile) -> u32 {
    minutes_for(&count(markdown), profile)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F | 0x20000..=0x2FA1F)
}

/// Text of raw HTML with the tags removed (what Hugo's plain text keeps of it).
fn strip_tags(html: &str, out: &mut String) {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
}

fn count(markdown: &str) -> Counts {
    let mut prose_words = 0usize;
    let mut code_lines = 0usize;
    let mut images = 0usize;
    let mut in_code = false;
    let mut image_depth = 0usize;
    let mut plain = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, crate::render::markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                plain.push('\n');
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                plain.push('\n');
            }
            Event::Start(Tag::Image { .. }) => {
                images += 1;
                image_depth += 1;
            }
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(text) if in_code => {
                code_lines += text.lines().filter(|line| !line.trim().is_empty()).count();
                plain.push_str(&text);
            }
            Event::Text(text) | Event::Code(text) => {
                prose_words += text.split_whitespace().count();
                if image_depth == 0 {
                    plain.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => strip_tags(&html, &mut plain),
            Event::SoftBreak | Event::HardBreak | Event::Rule => plain.push('\n'),
            Event::End(_) => plain.push('\n'),
            _ => {}
        }
    }
    let plain_words = plain.split_whitespace().count();
    let cjk = plain.chars().any(is_cjk);
    let hugo_words = if cjk {
        plain
            .split_whitespace()
            .map(|word| {
                let chars = word.chars().count();
                if chars == word.len() {
                    1
                } else {
                    chars
                }
            })
            .sum()
    } else {
        plain_words
    };
    let zola_words = markdown.split("```").step_by(2).map(|part| part.unicode_words().count()).sum();
    Counts { prose_words, code_lines, images, plain_words, hugo_words, cjk, zola_words }
}

/// Longest excerpt kept for the index view, in characters.
pub const EXCERPT_CHARS: usize = 320;

/// What the index page shows under the title: the front matter summary, else the text before a
/// `<!-- more -->` divider, else the body's first prose paragraph; plain text (Markdown read by
/// pulldown-cmark, as for the counts above), at most [`EXCERPT_CHARS`] characters (cut at a word,
/// with "…").
pub fn excerpt_of(summary: &str, body: &str) -> String {
    let source = if summary.trim().is_empty() {
        let (paragraphs, divided) = prose_paragraphs(body);
        if divided {
            paragraphs.join(" ")
        } else {
            paragraphs.into_iter().next().unwrap_or_default()
        }
    } else {
        inline_text(summary)
    };
    let plain = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() <= EXCERPT_CHARS {
        return plain;
    }
    let cut: String = plain.chars().take(EXCERPT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > EXCERPT_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// True for a `<!-- more -->` divider (case-insensitive, spaces allowed) in a piece of HTML.
fn is_more_divider(html: &str) -> bool {
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let inner = &rest[start + 4..];
        let Some(end) = inner.find("-->") else { return false };
        if inner[..end].trim().eq_ignore_ascii_case("more") {
            return true;
        }
        rest = &inner[end + 3..];
    }
    false
}

/// The plain text of a paragraph's inline events: text and code kept, breaks as spaces, images,
/// HTML tags and footnote references dropped.
#[derive(Default)]
struct InlineText {
    text: String,
    image_depth: usize,
}

impl InlineText {
    fn push(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            _ if self.image_depth > 0 => {}
            Event::Text(text) | Event::Code(text) => self.text.push_str(text),
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            _ => {}
        }
    }
}

/// A summary field as plain text (its blocks separated by spaces, HTML blocks without tags).
fn inline_text(markdown: &str) -> String {
    let mut out = InlineText::default();
    for event in Parser::new_ext(markdown, crate::render::markdown_options()) {
        match &event {
            Event::Html(html) => strip_tags(html, &mut out.text),
            Event::End(end) if !matches!(end, TagEnd::Image | TagEnd::Link | TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                out.text.push(' ')
            }
            _ => out.push(&event),
        }
    }
    out.text
}

/// The body's top-level prose paragraphs as plain text, up to a `<!-- more -->` divider, and
/// whether there was one. Not prose: headings, code, HTML, lists, tables, quotes, rules, and
/// paragraphs that start with an image, an HTML tag or a template action (`{{`).
fn prose_paragraphs(body: &str) -> (Vec<String>, bool) {
    // Without a comment anywhere there is no divider: the first prose paragraph is enough.
    let divider_possible = body.contains("<!--");
    let mut paragraphs = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(InlineText, bool)> = None; // the paragraph, and whether it is prose
    for event in Parser::new_ext(body, crate::render::markdown_options()) {
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            if is_more_divider(html) {
                if let Some((paragraph, true)) = current.take() {
                    paragraphs.push(paragraph.text);
                }
                return (paragraphs, true);
            }
        }
        match &event {
            Event::Start(Tag::Paragraph) if depth == 0 => current = Some((InlineText::default(), true)),
            Event::End(TagEnd::Paragraph) if depth == 1 => {
                if let Some((paragraph, true)) = current.take() {
                    paragraphs.push(paragraph.text);
                    if !divider_possible {
                        return (paragraphs, false);
                    }
                }
            }
            _ => {}
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some((paragraph, prose)) = current.as_mut() {
            let first = paragraph.text.is_empty() && paragraph.image_depth == 0;
            match &event {
                Event::Start(Tag::Paragraph) => {}
                Event::Start(Tag::Image { .. }) | Event::InlineHtml(_) if first => *prose = false,
                Event::Text(text) if first && ["{{", "|"].iter().any(|prefix| text.trim_start().starts_with(prefix)) => *prose = false,
                _ => paragraph.push(&event),
            }
        }
    }
    (paragraphs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_only_by_hand() {
        // 476 words = exactly 2 minutes at 238 wpm; one more word makes it 3.
        let body = "word ".repeat(476);
        assert_eq!(stats(&body).reading_minutes, 2);
        let body = "word ".repeat(477);
        assert_eq!(stats(&body).reading_minutes, 3);
    }

    #[test]
    fn code_lines_count_and_are_not_words() {
        let body = "Two words\n\n```go\nfunc main() {\n\n}\n```\n";
        let s = stats(body);
        assert_eq!(s.words, 2);
        assert_eq!(s.code_lines, 2);
        assert_eq!(s.reading_minutes, 1);
        // 60 code lines = 120 s = 2 min.
        let code = "x := 1\n".repeat(60);
        assert_eq!(stats(&format!("```go\n{code}```\n")).reading_minutes, 2);
    }

    #[test]
    fn images_follow_medium_schedule() {
        assert_eq!(image_seconds(1), 12.0);
        assert_eq!(image_seconds(3), 12.0 + 11.0 + 10.0);
        assert_eq!(image_seconds(12), (3..=12).sum::<i32>() as f64 + 3.0 * 2.0);
    }

    #[test]
    fn galley_by_hand_with_code_and_images() {
        // 238 words = 60 s, 15 code lines = 30 s, 2 images = 23 s: 113 s → 2 min.
        let body = format!("{}\n\n```go\n{}```\n\n![a](a.png) ![b](b.png)\n", "w ".repeat(236), "x++\n".repeat(15));
        let s = stats(&body);
        assert_eq!(s.words, 238, "alt texts a and b are words");
        assert_eq!(s.code_lines, 15);
        assert_eq!(s.images, 2);
        assert_eq!(s.reading_minutes, 2);
        // 30 more code lines (+60 s): 173 s → 3 min.
        let more = body.replace("x++\n", "x++\nx++\nx++\n");
        assert_eq!(stats(&more).reading_minutes, 3);
    }

    #[test]
    fn hugo_by_hand() {
        // 212 words → 1 min, 213 → 2 min; code words count for Hugo.
        assert_eq!(reading_minutes(&"word ".repeat(212), Profile::Hugo), 1);
        assert_eq!(reading_minutes(&"word ".repeat(213), Profile::Hugo), 2);
        let with_code = format!("{}\n\n```sh\necho hi\n```\n", "word ".repeat(211));
        let s = stats_with(&with_code, Profile::Hugo);
        assert_eq!(s.profile_words, 213);
        assert_eq!(s.reading_minutes, 2);
        // Inline markup does not split words: "foo**bar**" is one field.
        assert_eq!(stats_with("foo**bar** baz", Profile::Hugo).profile_words, 2);
        // Image descriptions are not in Hugo's plain text.
        assert_eq!(stats_with("one ![two three](x.png)", Profile::Hugo).profile_words, 1);
    }

    #[test]
    fn hugo_cjk_by_hand() {
        // 501 Han characters in one field: 501 words at 500 per minute → 2 min.
        let han = "字".repeat(501);
        let s = stats_with(&han, Profile::Hugo);
        assert_eq!(s.profile_words, 501);
        assert_eq!(s.reading_minutes, 2);
        let han = "字".repeat(500);
        assert_eq!(reading_minutes(&han, Profile::Hugo), 1);
        // Mixed: ASCII fields count 1, fields with CJK count their characters.
        assert_eq!(stats_with("Go 言語 rocks", Profile::Hugo).profile_words, 4);
    }

    #[test]
    fn zola_by_hand() {
        // 200 words → 1, 201 → 2; fenced code is removed; UAX-29 splits "don't" as one word,
        // "e.g." as one, and "foo-bar" as two.
        assert_eq!(reading_minutes(&"word ".repeat(200), Profile::Zola), 1);
        assert_eq!(reading_minutes(&"word ".repeat(201), Profile::Zola), 2);
        let body = "don't foo-bar\n\n```\nnot counted at all\n```\n\nend";
        assert_eq!(stats_with(body, Profile::Zola).profile_words, 4);
        let body = format!("{}\n```\n{}\n```\n", "w ".repeat(200), "c ".repeat(500));
        assert_eq!(reading_minutes(&body, Profile::Zola), 1);
    }

    #[test]
    fn medium_by_hand() {
        // 265 words = 60 s → 1 min; 265 words + 1 image (12 s) = 72 s → 2 min.
        assert_eq!(reading_minutes(&"word ".repeat(265), Profile::Medium), 1);
        let body = format!("{}\n\n![](a.png)\n", "word ".repeat(265));
        assert_eq!(reading_minutes(&body, Profile::Medium), 2);
        // 530 words (120 s) exactly: 2 min, no float creep.
        assert_eq!(reading_minutes(&"word ".repeat(530), Profile::Medium), 2);
        // 12 images: 12+11+…+3 +3+3 = 81 s + 0 words → 2 min.
        let images = "![](i.png)\n\n".repeat(12);
        assert_eq!(reading_minutes(&images, Profile::Medium), 2);
    }

    #[test]
    fn minutes_are_at_least_one_and_all_profiles_are_reported() {
        let s = stats("");
        assert_eq!(s.reading_minutes, 1);
        assert_eq!(s.minutes_by_profile.len(), 4);
        assert!(s.minutes_by_profile.values().all(|&m| m == 1));
        let json = serde_json::to_value(stats_with("hi", Profile::Zola)).unwrap();
        assert_eq!(json["profile"], "zola");
        assert_eq!(json["minutes_by_profile"]["medium"], 1);
    }

    #[test]
    fn profile_names_parse() {
        for profile in Profile::ALL {
            assert_eq!(Profile::parse(profile.name()).unwrap(), profile);
            assert_eq!(profile.name().parse::<Profile>().unwrap(), profile);
        }
        assert_eq!(Profile::parse("HUGO").unwrap(), Profile::Hugo);
        assert_eq!(Profile::parse("default").unwrap(), Profile::Galley);
        assert!(Profile::parse("jekyll").is_err());
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt_of("  A *short*   summary. ", "body"), "A short summary.");
        let body =
            "# Heading\n\n```go\nfunc main() {}\n```\n\nThe **first** [paragraph](https://x.y) with `code`\nacross lines.\n\nSecond.\n";
        assert_eq!(excerpt_of("", body), "The first paragraph with code across lines.");
        let body = "One.\n\nTwo ![img](a.png).\n\n<!-- More -->\n\nThree.";
        assert_eq!(excerpt_of("", body), "One. Two .");
        let long = "word ".repeat(200);
        let cut = excerpt_of(&long, "");
        assert!(cut.ends_with('…') && cut.chars().count() <= EXCERPT_CHARS + 1, "{cut}");
        assert_eq!(excerpt_of("", "- a list\n\n1. item\n\n> quote"), "");
    }

    /// Markdown read as Markdown (where the line-based reader this replaced went wrong on the Go
    /// blog corpus): `_emphasis_`, links whose target has parentheses, literal `*`, a `<style>`
    /// block before the first paragraph, a `<!-- more -->` shown inside a code block.
    #[test]
    fn excerpts_follow_commonmark() {
        let body = "Titled _The path to Go 1_, a [game](https://en.wikipedia.org/wiki/Pig_(dice_game)) of 1e6*time.Second.\n";
        assert_eq!(excerpt_of("", body), "Titled The path to Go 1, a game of 1e6*time.Second.");
        assert_eq!(
            excerpt_of("", "<style>\n.quote { font-style: italic; }\n\n.chart { width: 800px; }\n</style>\n\nThe first words.\n"),
            "The first words."
        );
        assert_eq!(excerpt_of("", "```html\n<!-- more -->\n```\n\nFirst.\n\nSecond.\n"), "First.");
        assert_eq!(excerpt_of("", "Setext title\n===\n\n{{< figure src=\"a.png\" >}}\n\nProse.\n"), "Prose.");
    }
}
