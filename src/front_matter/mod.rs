//! Front matter: split a post file into its raw front matter block and body, read the fields Galley
//! understands (YAML `---` via serde-saphyr with budgets, TOML `+++` via toml_edit), and edit one
//! field in place so that every other byte of the block stays exactly as written.
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

mod build;
mod edit;
mod parse;
mod toml_doc;
mod yaml_lines;

pub use self::build::build;
pub use self::edit::{remove_field, set_field, set_value};
pub use self::parse::{fields_of, list_of, parse, parse_fields, parse_fields_checked, text_of};
pub use self::toml_doc::toml_from_json;
pub use self::yaml_lines::yaml_value;
pub use crate::dates::{is_date_key, is_date_literal, normalize_date};

/// Largest front matter block Galley parses (bigger blocks are kept raw, never parsed).
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Which front matter syntax a post uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
}

impl Format {
    fn delimiter(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// The fields Galley understands; everything else stays in the raw text untouched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Fields {
    /// Post title.
    pub title: String,
    /// Publication date as written (e.g. `2024-05-01` or an RFC 3339 time); also `pubDate`.
    pub date: String,
    /// One-paragraph summary (`summary`, else `description`, else `excerpt`).
    pub summary: String,
    /// The category shown on the index page (`category`, else the first of `categories`).
    pub category: String,
    /// Tags (`tags`, or `[taxonomies] tags`).
    pub tags: Vec<String>,
    /// True when the post is marked as a draft (`draft: true` or Jekyll's `published: false`).
    pub draft: bool,
    /// Last update (`updated`, `lastmod` or `updatedDate`).
    pub updated: String,
    /// Explicit slug.
    pub slug: String,
    /// The `description` field itself.
    pub description: String,
    /// All categories (`categories`, `category`, or `[taxonomies] categories`).
    pub categories: Vec<String>,
    /// Old URLs that redirect to this post.
    pub aliases: Vec<String>,
    /// Authors (`authors`, `author` or `by`).
    pub authors: Vec<String>,
}

/// Malformed front matter: where (1-based line and column in the file) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FrontMatterError {
    /// Line in the post file (the opening delimiter is line 1).
    pub line: usize,
    /// Column (1-based, in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "front matter line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for FrontMatterError {}

/// A value Galley writes into a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum FieldValue {
    /// A string.
    Text(String),
    /// A date or date-time (written unquoted where the format has date literals).
    Date(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    List(Vec<String>),
}

/// A parsed front matter block: its format and its top-level entries in written order. Values are
/// JSON-like; TOML dates become strings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// YAML or TOML (`None` for a post without front matter).
    pub format: Option<Format>,
    /// Top-level keys and values, in the order they are written.
    pub entries: Vec<(String, Json)>,
}

impl Parsed {
    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Splits a file into its front matter block (delimiter lines included, exactly as written) and the
/// body. Front matter is only recognised at byte 0. `block + body == text` always holds.
pub fn split(text: &str) -> (&str, &str) {
    for format in [Format::Yaml, Format::Toml] {
        let delimiter = format.delimiter();
        let Some(after_open) = text.strip_prefix(delimiter) else { continue };
        let after_open = after_open.trim_start_matches([' ', '\t']);
        let Some(after_open) = after_open.strip_prefix("\r\n").or_else(|| after_open.strip_prefix('\n')) else {
            continue;
        };
        let mut offset = text.len() - after_open.len();
        for line in after_open.split_inclusive('\n') {
            if line.trim_end_matches(['\r', '\n', ' ', '\t']) == delimiter {
                let end = offset + line.len();
                return (&text[..end], &text[end..]);
            }
            offset += line.len();
        }
    }
    ("", text)
}

/// The format of a front matter block, if it is one.
pub fn format_of(block: &str) -> Option<Format> {
    if block.starts_with("---") {
        Some(Format::Yaml)
    } else if block.starts_with("+++") {
        Some(Format::Toml)
    } else {
        None
    }
}

/// The text between the delimiter lines, and the byte offset where it starts in the block.
fn inner(block: &str) -> (&str, usize) {
    let start = block.find('\n').map_or(block.len(), |i| i + 1);
    let body = &block[start..];
    let trimmed = body.trim_end_matches(['\r', '\n', ' ', '\t']);
    let end = trimmed.rfind('\n').map_or(0, |i| i + 1);
    (&body[..end], start)
}

/// 1-based line and column (in characters) of a byte offset inside the block.
fn position(block: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(block.len());
    let before = block.get(..offset).unwrap_or(block);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The line break a block uses (`\r\n` when it has one anywhere).
fn newline_of(block: &str) -> &'static str {
    if block.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_lossless() {
        for text in [
            "---\ntitle: A\n---\nbody\n",
            "+++\ntitle = \"A\"\n+++\n\nbody",
            "no front matter",
            "---\nunterminated",
            "---\r\na: b\r\n---\r\nx",
        ] {
            let (block, body) = split(text);
            assert_eq!(format!("{block}{body}"), text);
        }
        assert_eq!(split("---\ntitle: A\n---\nbody\n").0, "---\ntitle: A\n---\n");
        assert_eq!(split("---\r\na: b\r\n---\r\nx").0, "---\r\na: b\r\n---\r\n");
        assert_eq!(split("----\nx\n----\n").0, "");
    }

    #[test]
    fn reads_fields() {
        let fields = parse_fields("---\ntitle: \"Hello\"\ndate: 2024-01-02\ntags:\n  - go\n  - ebpf\ncategories: [Blog]\n---\n");
        assert_eq!(fields.title, "Hello");
        assert_eq!(fields.date, "2024-01-02");
        assert_eq!(fields.tags, ["go", "ebpf"]);
        assert_eq!(fields.category, "Blog");
        let fields = parse_fields("+++\ntitle = \"T\"\ndate = 2024-01-02T10:00:00Z\ndescription = \"D\"\n[taxonomies]\ntags = [\"a\"]\ncategories = [\"C\"]\n+++\n");
        assert_eq!(fields.date, "2024-01-02T10:00:00Z");
        assert_eq!(fields.summary, "D");
        assert_eq!(fields.tags, ["a"]);
        assert_eq!(fields.category, "C");
    }

    #[test]
    fn set_field_touches_only_its_line() {
        let block = "---\n# keep me\ntitle: Old\ntags:\n  - a\ndate: 2024-01-02\n---\n";
        let changed = set_field(block, "title", &["New".into()], false);
        assert_eq!(changed, "---\n# keep me\ntitle: New\ntags:\n  - a\ndate: 2024-01-02\n---\n");
        let changed = set_field(block, "title", &["A: b".into()], false);
        assert_eq!(changed, "---\n# keep me\ntitle: \"A: b\"\ntags:\n  - a\ndate: 2024-01-02\n---\n");
        let changed = set_field(block, "tags", &["x".into(), "z".into()], true);
        assert_eq!(changed, "---\n# keep me\ntitle: Old\ntags:\n  - x\n  - z\ndate: 2024-01-02\n---\n");
        let added = set_field("+++\ntitle = \"T\"\n+++\n", "summary", &["S".into()], false);
        assert_eq!(added, "+++\ntitle = \"T\"\nsummary = \"S\"\n+++\n");
        let created = set_field("", "title", &["T".into()], false);
        assert_eq!(created, "---\ntitle: T\n---\n");
    }

    #[test]
    fn a_new_key_yaml_would_read_as_a_bool_or_number_is_quoted() {
        // Found by tests/fuzz.rs: `n: ""` read back as the key "false".
        for key in ["n", "on", "yes", "null", "1", "title"] {
            let added = set_field("---\ntitle: T\n---\n", key, &["v".into()], false);
            let parsed = parse(&added).unwrap();
            assert_eq!(parsed.get(key), Some(&Json::String("v".into())), "{key}: {added}");
            // Setting it again finds the quoted key instead of adding a second one.
            let again = set_field(&added, key, &["w".into()], false);
            assert_eq!(again.matches(":").count(), added.matches(":").count(), "{again}");
        }
    }

    #[test]
    fn malformed_yaml_has_a_position() {
        let error = parse_fields_checked("---\ntitle: ok\ntags: [a, b\n---\n").unwrap_err();
        assert!(error.line >= 3, "{error:?}");
        let fields = parse_fields("---\ntitle: ok\ntags: [a, b\n---\n");
        assert_eq!(fields.title, "ok");
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            yaml.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        yaml.push_str("---\n");
        assert!(parse_fields_checked(&yaml).is_err());
    }
}
