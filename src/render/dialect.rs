//! The Markdown dialect a post is previewed in: which extensions, smart punctuation, autolinks,
//! raw HTML kept or omitted, and the heading-id algorithm of the generator that will publish it.
use pulldown_cmark::Options;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A named dialect: Galley's own, or the default Markdown of a static-site generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    /// Galley's own preview (raw HTML shown, no smart punctuation, no bare-URL links).
    #[default]
    Galley,
    /// Hugo's Goldmark with Hugo's defaults.
    Hugo,
    /// Zola (pulldown-cmark with Zola's defaults).
    Zola,
    /// Jekyll with kramdown's GFM input.
    Jekyll,
    /// Astro (remark-gfm and smartypants).
    Astro,
}

impl Flavor {
    /// Every flavor, in the order the settings list them.
    pub const ALL: [Flavor; 5] = [Flavor::Galley, Flavor::Hugo, Flavor::Zola, Flavor::Jekyll, Flavor::Astro];

    /// The lowercase name used by the CLI and the settings (`hugo`, …).
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Galley => "galley",
            Flavor::Hugo => "hugo",
            Flavor::Zola => "zola",
            Flavor::Jekyll => "jekyll",
            Flavor::Astro => "astro",
        }
    }

    /// The flavor called `name` (case-insensitive), if any.
    pub fn from_name(name: &str) -> Option<Flavor> {
        Flavor::ALL.into_iter().find(|flavor| flavor.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// How headings get their automatic ids (each generator has its own algorithm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingIds {
    /// Galley's slug: letters, digits, `_`, `-`; whitespace runs become one `-`; `section` when empty.
    Galley,
    /// GitHub style (Goldmark in Hugo, kramdown's GFM input, github-slugger in Astro): lowercase
    /// letters and digits, `_` and `-` kept, every space becomes `-`, everything else dropped.
    GitHub,
    /// Hugo's `github-ascii`: as GitHub, accents folded and other non-ASCII dropped.
    GitHubAscii,
    /// Zola's `slugify` (transliterated to ASCII, runs of anything else become one `-`).
    Zola,
    /// kramdown's `auto_ids` (non-GFM input): leading non-letters dropped, ASCII letters, digits,
    /// spaces and `-` kept, `section` when empty.
    Kramdown,
    /// No automatic ids (only `{#id}` ones).
    None,
}

/// How bare URLs and addresses are found (when `linkify` is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Autolinks {
    /// GFM's extended autolinks (remark-gfm, GitHub): `www.` gets `http://`.
    Gfm,
    /// Goldmark's linkify extension (Hugo): only after a space, `*`, `_`, `~`, `(` or at a line's
    /// start, its own URL and e-mail rules, `www.` gets `linkifyProtocol` (Hugo: `https`).
    Goldmark,
}

/// Everything about a dialect the renderer needs. Cheap to copy; compare to know when a
/// renderer's caches are stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub struct Dialect {
    /// Where the settings come from.
    pub flavor: Flavor,
    /// Curly quotes, en and em dashes, ellipses.
    pub smart_punctuation: bool,
    /// Bare `www.…`, `https://…` and e-mail addresses become links.
    pub linkify: bool,
    /// Whose rules find them.
    pub autolinks: Autolinks,
    /// `www.` links get `https://` (Hugo's `linkifyProtocol = "https"`), else `http://`.
    pub linkify_https: bool,
    /// Raw HTML is published; when false the preview shows a "raw HTML omitted" marker instead.
    pub raw_html: bool,
    /// The heading id algorithm.
    pub heading_ids: HeadingIds,
    /// Pipe tables.
    pub tables: bool,
    /// Footnotes.
    pub footnotes: bool,
    /// `~~strikethrough~~`.
    pub strikethrough: bool,
    /// `- [ ]` task lists.
    pub task_lists: bool,
    /// Definition lists (`term` / `: definition`).
    pub definition_lists: bool,
    /// `{#id .class}` after a heading.
    pub heading_attributes: bool,
    /// GitHub's `> [!NOTE]` alerts.
    pub alerts: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::galley()
    }
}

impl Dialect {
    /// Galley's own dialect (what the preview always rendered).
    pub const fn galley() -> Self {
        Dialect {
            flavor: Flavor::Galley,
            smart_punctuation: false,
            linkify: false,
            autolinks: Autolinks::Gfm,
            linkify_https: false,
            raw_html: true,
            heading_ids: HeadingIds::Galley,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            definition_lists: false,
            heading_attributes: true,
            alerts: true,
        }
    }

    /// Hugo's defaults (`markup.goldmark`): typographer, linkify, `unsafe = false`, every
    /// extension on, `autoHeadingIDType = "github"`, attributes after headings.
    pub const fn hugo() -> Self {
        Dialect {
            flavor: Flavor::Hugo,
            smart_punctuation: true,
            linkify: true,
            autolinks: Autolinks::Goldmark,
            linkify_https: true,
            raw_html: false,
            heading_ids: HeadingIds::GitHub,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            definition_lists: true,
            heading_attributes: true,
            alerts: false,
        }
    }

    /// Zola's defaults (`[markdown]`): no smart punctuation, raw HTML kept, its own slugify.
    pub const fn zola() -> Self {
        Dialect {
            flavor: Flavor::Zola,
            smart_punctuation: false,
            linkify: false,
            autolinks: Autolinks::Gfm,
            linkify_https: false,
            raw_html: true,
            heading_ids: HeadingIds::Zola,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            definition_lists: false,
            heading_attributes: true,
            alerts: false,
        }
    }

    /// Jekyll's defaults: kramdown with GFM input (smart quotes and typographic symbols, GFM
    /// header ids, definition lists, raw HTML kept, no bare-URL links).
    pub const fn jekyll() -> Self {
        Dialect {
            flavor: Flavor::Jekyll,
            smart_punctuation: true,
            linkify: false,
            autolinks: Autolinks::Gfm,
            linkify_https: false,
            raw_html: true,
            heading_ids: HeadingIds::GitHub,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            definition_lists: true,
            heading_attributes: false,
            alerts: false,
        }
    }

    /// Astro's defaults: remark-gfm (autolink literals, tables, task lists, footnotes),
    /// smartypants, github-slugger ids, raw HTML kept.
    pub const fn astro() -> Self {
        Dialect {
            flavor: Flavor::Astro,
            smart_punctuation: true,
            linkify: true,
            autolinks: Autolinks::Gfm,
            linkify_https: false,
            raw_html: true,
            heading_ids: HeadingIds::GitHub,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            definition_lists: false,
            heading_attributes: false,
            alerts: false,
        }
    }

    /// The default dialect of `flavor`.
    pub const fn of(flavor: Flavor) -> Self {
        match flavor {
            Flavor::Galley => Dialect::galley(),
            Flavor::Hugo => Dialect::hugo(),
            Flavor::Zola => Dialect::zola(),
            Flavor::Jekyll => Dialect::jekyll(),
            Flavor::Astro => Dialect::astro(),
        }
    }

    /// The pulldown-cmark options for this dialect (never `Options::all()`).
    pub fn options(&self) -> Options {
        let mut options = Options::empty();
        for (on, option) in [
            (self.tables, Options::ENABLE_TABLES),
            (self.footnotes, Options::ENABLE_FOOTNOTES),
            (self.strikethrough, Options::ENABLE_STRIKETHROUGH),
            (self.task_lists, Options::ENABLE_TASKLISTS),
            (self.heading_attributes, Options::ENABLE_HEADING_ATTRIBUTES),
            (self.alerts, Options::ENABLE_GFM),
            (self.smart_punctuation, Options::ENABLE_SMART_PUNCTUATION),
            (self.definition_lists, Options::ENABLE_DEFINITION_LIST),
        ] {
            if on {
                options.insert(option);
            }
        }
        options
    }

    /// The automatic id of a heading whose plain text is `text` (before deduplication; `None`
    /// when the dialect gives headings no automatic id).
    pub fn heading_slug(&self, text: &str) -> Option<String> {
        let slug = match self.heading_ids {
            HeadingIds::Galley => super::writer::slugify(text),
            HeadingIds::GitHub => github_slug(text, false),
            HeadingIds::GitHubAscii => github_slug(text, true),
            HeadingIds::Zola => zola_slug(text),
            HeadingIds::Kramdown => kramdown_slug(text),
            HeadingIds::None => return None,
        };
        Some(slug)
    }
}

/// Goldmark's and GitHub's heading ids (Hugo's `autoHeadingIDType = "github"`): every space or
/// `-` becomes `-`, letters, digits and `_` are kept lowercased, the rest dropped; `heading` when
/// nothing is left.
fn github_slug(text: &str, ascii_only: bool) -> String {
    let folded: String;
    let source = if ascii_only {
        folded = text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).nfc().collect();
        folded.as_str()
    } else {
        text
    };
    let mut slug = String::with_capacity(source.len());
    for c in source.trim().chars() {
        if ascii_only && !c.is_ascii() {
            continue;
        }
        if c == ' ' || c == '-' {
            slug.push('-');
        } else if c == '_' || c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        }
    }
    if slug.is_empty() {
        slug.push_str("heading");
    }
    slug
}

/// Zola's anchors (`slugify.anchors = "on"`, the `slug` crate): transliterated to ASCII,
/// lowercase letters and digits, every other run becomes one `-`, no `-` at either end.
fn zola_slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// kramdown's `auto_ids`: leading characters up to the first ASCII letter dropped, then ASCII
/// letters, digits, spaces and `-` kept, spaces become `-`, lowercase; `section` when empty.
fn kramdown_slug(text: &str) -> String {
    let start = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let slug: String = text[start..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| if c == ' ' { '-' } else { c.to_ascii_lowercase() })
        .collect();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_generator_slugs_headings_its_own_way() {
        let text = "Go 1.22: What's New -- in `for` Loops?";
        assert_eq!(Dialect::hugo().heading_slug(text).as_deref(), Some("go-122-whats-new----in-for-loops"));
        assert_eq!(Dialect::zola().heading_slug(text).as_deref(), Some("go-1-22-what-s-new-in-for-loops"));
        assert_eq!(Dialect::galley().heading_slug(text).as_deref(), Some("go-122-whats-new----in-for-loops"));
        // Galley folds whitespace runs; GitHub turns every space into a dash.
        assert_eq!(Dialect::galley().heading_slug(" a \t b ").as_deref(), Some("a-b"));
        assert_eq!(Dialect::hugo().heading_slug("a  b").as_deref(), Some("a--b"));
        let kramdown = Dialect { heading_ids: HeadingIds::Kramdown, ..Dialect::jekyll() };
        assert_eq!(kramdown.heading_slug("1. Über Go").as_deref(), Some("ber-go"));
        assert_eq!(kramdown.heading_slug("123").as_deref(), Some("section"));
        let ascii = Dialect { heading_ids: HeadingIds::GitHubAscii, ..Dialect::hugo() };
        assert_eq!(ascii.heading_slug("Über Straße").as_deref(), Some("uber-strae"));
        assert_eq!(Dialect::hugo().heading_slug("Über Straße").as_deref(), Some("über-straße"));
        assert_eq!(Dialect::hugo().heading_slug("!!!").as_deref(), Some("heading"));
        assert_eq!(Dialect::zola().heading_slug("Über Straße").as_deref(), Some("uber-strasse"));
    }

    #[test]
    fn names_round_trip() {
        for flavor in Flavor::ALL {
            assert_eq!(Flavor::from_name(flavor.name()), Some(flavor));
        }
        assert_eq!(Flavor::from_name(" Hugo "), Some(Flavor::Hugo));
        assert_eq!(Flavor::from_name("gatsby"), None);
    }

    #[test]
    fn options_follow_the_switches() {
        assert!(Dialect::hugo().options().contains(Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_DEFINITION_LIST));
        assert!(!Dialect::galley().options().contains(Options::ENABLE_SMART_PUNCTUATION));
        assert_eq!(Dialect::galley().options(), super::super::markdown_options());
    }
}
