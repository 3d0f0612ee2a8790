//! The link and image destinations of a Markdown text, found with pulldown-cmark's offsets (the
//! byte range of each destination as written), and rewriting those ranges only: every other byte
//! of the text stays as it was. Pure, no IO.
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// One destination of a link or image in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The destination as pulldown-cmark reads it (backslash escapes resolved, not
    /// percent-decoded), e.g. `img/a%20b.png`.
    pub url: String,
    /// Where it is written in the text (inside `<…>` when written with angle brackets; in the
    /// reference definition for a reference link).
    pub range: Range<usize>,
    /// True for an image (`![alt](…)`), false for a link.
    pub image: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Every link and image destination of `markdown` whose position in the text is certain, in text
/// order (one entry per reference definition, however many links use it). Destinations that
/// cannot be located exactly (written with escapes) are left out, so that they are never
/// rewritten.
pub fn destinations(markdown: &str) -> Vec<Destination> {
    let parser = Parser::new_ext(markdown, options());
    let mut found: Vec<Destination> = Vec::new();
    let mut definitions: Vec<(String, Range<usize>, bool)> = Vec::new();
    for (label, definition) in parser.reference_definitions().iter() {
        if let Some(range) = locate_in_definition(markdown, definition.span.clone(), &definition.dest) {
            definitions.push((label.to_string(), range, false));
        }
    }
    let mut open: Vec<(usize, String, bool, usize)> = Vec::new(); // start, url, image, end of the last inner event
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Image { link_type, dest_url, id, .. }) | Event::Start(Tag::Link { link_type, dest_url, id, .. }) => {
                let image = markdown[range.clone()].starts_with('!');
                if is_reference(link_type) {
                    if let Some(definition) = definitions
                        .iter_mut()
                        .find(|(label, ..)| unicase::UniCase::new(label.as_str()) == unicase::UniCase::new(id.as_ref()))
                    {
                        definition.2 |= image;
                    }
                    open.push((usize::MAX, String::new(), image, range.start));
                } else {
                    open.push((range.start, dest_url.to_string(), image, range.start + 1));
                }
            }
            Event::End(pulldown_cmark::TagEnd::Image) | Event::End(pulldown_cmark::TagEnd::Link) => {
                if let Some((start, url, image, inner_end)) = open.pop() {
                    if start != usize::MAX {
                        if let Some(at) = locate_inline(markdown, inner_end.max(start + 1), range.end, &url) {
                            found.push(Destination { url, range: at, image });
                        }
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.3 = parent.3.max(range.end);
                    }
                }
            }
            _ => {
                if let Some(parent) = open.last_mut() {
                    parent.3 = parent.3.max(range.end);
                }
            }
        }
    }
    for (_, range, image) in definitions {
        found.push(Destination { url: markdown[range.clone()].to_string(), range, image });
    }
    found.sort_by_key(|d| d.range.start);
    found.dedup_by_key(|d| d.range.start);
    found
}

fn is_reference(link_type: pulldown_cmark::LinkType) -> bool {
    use pulldown_cmark::LinkType::*;
    matches!(link_type, Reference | ReferenceUnknown | Collapsed | CollapsedUnknown | Shortcut | ShortcutUnknown)
}

/// Finds the destination of an inline link in `text[from..end]`: after the `](` that closes the
/// link text, optionally in `<…>`. Only a raw slice equal to `url` counts.
fn locate_inline(text: &str, from: usize, end: usize, url: &str) -> Option<Range<usize>> {
    let tail = text.get(from..end)?;
    let open = tail.find("](")? + from + 2;
    let rest = &text[open..end];
    let skipped = rest.len() - rest.trim_start().len();
    let start = open + skipped;
    let range = if text[start..].starts_with('<') { start + 1..start + 1 + url.len() } else { start..start + url.len() };
    (text.get(range.clone()) == Some(url) && range.end <= end).then_some(range)
}

/// Finds the destination of a reference definition (`[label]: dest "title"`) within its span.
fn locate_in_definition(text: &str, span: Range<usize>, url: &str) -> Option<Range<usize>> {
    let slice = text.get(span.clone())?;
    let colon = slice.find("]:")? + 2;
    let rest = &slice[colon..];
    let start = span.start + colon + (rest.len() - rest.trim_start().len());
    let range = if text[start..].starts_with('<') { start + 1..start + 1 + url.len() } else { start..start + url.len() };
    (text.get(range.clone()) == Some(url)).then_some(range)
}

/// A destination as written into a link: percent-encodes what would end or break it (spaces,
/// parentheses, angle brackets, control characters).
pub fn encode_destination(url: &str) -> String {
    const ENCODE: &percent_encoding::AsciiSet =
        &percent_encoding::CONTROLS.add(b' ').add(b'(').add(b')').add(b'<').add(b'>').add(b'"').add(b'\\');
    percent_encoding::utf8_percent_encode(url, ENCODE).to_string()
}

/// Rewrites the destinations for which `change` returns a new one (already encoded, e.g. with
/// [`encode_destination`]); every other byte of the text stays as it was. Returns the new text
/// and how many destinations changed.
pub fn rewrite_destinations(markdown: &str, mut change: impl FnMut(&Destination) -> Option<String>) -> (String, usize) {
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    let mut changed = 0;
    for destination in destinations(markdown) {
        if let Some(new) = change(&destination) {
            if new != destination.url {
                out.push_str(&markdown[at..destination.range.start]);
                out.push_str(&new);
                at = destination.range.end;
                changed += 1;
            }
        }
    }
    out.push_str(&markdown[at..]);
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(markdown: &str) -> Vec<(String, bool)> {
        destinations(markdown).into_iter().map(|d| (markdown[d.range.clone()].to_string(), d.image)).collect()
    }

    #[test]
    fn inline_images_and_links_are_found_with_their_ranges() {
        let text = "Intro ![a [nested] alt](diagram.png \"title\") and [link](other.md).\n\n![](<a b.png>)\n";
        assert_eq!(urls(text), [("diagram.png".to_string(), true), ("other.md".to_string(), false), ("a b.png".to_string(), true)]);
    }

    #[test]
    fn images_inside_links_and_reference_definitions_count() {
        let text = "[![badge](img/b.svg)](https://example.com)\n\n![fig][one] and ![one]\n\n[one]: ./fig.png \"Fig\"\n";
        let found = destinations(text);
        let as_written: Vec<&str> = found.iter().map(|d| &text[d.range.clone()]).collect();
        assert_eq!(as_written, ["img/b.svg", "https://example.com", "./fig.png"]);
        assert!(found[2].image, "a definition used by an image is an image's");
    }

    #[test]
    fn code_and_escaped_destinations_are_left_alone() {
        let text = "`![](code.png)`\n\n    ![](indented.png)\n\n![](a\\_b.png)\n";
        assert!(urls(text).is_empty(), "{:?}", urls(text));
    }

    #[test]
    fn only_changed_ranges_are_rewritten() {
        let text = "---\ntitle: x\n---\n# T\n\n![A](diagram.png 'x')  *keep*  [l](diagram.png)\n\n![](<img/a b.png>)\n\n[r]: diagram.png\n";
        let (out, changed) = rewrite_destinations(text, |d| {
            (d.image && !d.url.starts_with("http")).then(|| encode_destination(&format!("/assets/post/{}", d.url)))
        });
        assert_eq!(changed, 2);
        assert_eq!(
            out,
            "---\ntitle: x\n---\n# T\n\n![A](/assets/post/diagram.png 'x')  *keep*  [l](diagram.png)\n\n![](</assets/post/img/a%20b.png>)\n\n[r]: diagram.png\n"
        );
        let (same, none) = rewrite_destinations(text, |_| None);
        assert_eq!((same.as_str(), none), (text, 0));
    }

    #[test]
    fn rewriting_never_panics_on_odd_text() {
        for text in ["![](", "![]()", "[a]: <>\n![a]", "![x](y", "é![é](é.png)é", "![a](b.png)\r\n![c](d.png)"] {
            let (out, _) = rewrite_destinations(text, |d| Some(format!("{}x", d.url)));
            assert!(!out.is_empty() || text.is_empty());
        }
    }
}
