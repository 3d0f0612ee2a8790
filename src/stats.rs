//! Words, code lines, images and reading time of a post body, as a blog index shows them.
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// Silent reading speed for non-fiction prose (Brysbaert 2019), words per minute.
pub const PROSE_WORDS_PER_MINUTE: f64 = 238.0;
/// Seconds a reader spends on one non-blank line of code.
pub const SECONDS_PER_CODE_LINE: f64 = 2.0;

/// What the status bar and `galley stats` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Prose words (code excluded).
    pub words: usize,
    /// Non-blank lines inside code blocks.
    pub code_lines: usize,
    /// Images in the post.
    pub images: usize,
    /// Minutes to read, at least 1.
    pub reading_minutes: u32,
    /// The reading-time profile used.
    pub profile: &'static str,
}

/// Medium's image schedule: 12 s for the first image, then one second less each, never under 3 s.
pub fn image_seconds(images: usize) -> f64 {
    (0..images).map(|index| (12.0 - index as f64).max(3.0)).sum()
}

/// Counts a Markdown body and computes Galley's code-aware reading time:
/// prose words at 238 wpm + 2 s per code line + Medium's image schedule, rounded up, at least 1.
pub fn stats(markdown: &str) -> Stats {
    let mut words = 0usize;
    let mut code_lines = 0usize;
    let mut images = 0usize;
    let mut in_code = false;
    for event in Parser::new_ext(markdown, crate::render::markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::Text(text) if in_code => {
                code_lines += text.lines().filter(|line| !line.trim().is_empty()).count();
            }
            Event::Text(text) | Event::Code(text) => words += text.split_whitespace().count(),
            _ => {}
        }
    }
    let seconds = words as f64 / PROSE_WORDS_PER_MINUTE * 60.0
        + code_lines as f64 * SECONDS_PER_CODE_LINE
        + image_seconds(images);
    let reading_minutes = ((seconds / 60.0).ceil() as u32).max(1);
    Stats { words, code_lines, images, reading_minutes, profile: "galley" }
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
}
