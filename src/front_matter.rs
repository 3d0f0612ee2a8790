//! Front matter: split a post file into its raw front matter block and body, read the fields Galley
//! understands, and change one field in place. (Skeleton version: line-based; to be made lossless
//! with real YAML/TOML parsers.)
use serde::Serialize;

/// Which front matter syntax a post uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// Publication date as written (e.g. `2024-05-01` or an RFC 3339 time).
    pub date: String,
    /// One-paragraph summary (also read from `description`).
    pub summary: String,
    /// The category shown on the index page (first of `categories` when a list).
    pub category: String,
    /// Tags.
    pub tags: Vec<String>,
    /// True when the post is marked as a draft.
    pub draft: bool,
}

/// Splits a file into its front matter block (delimiter lines included, exactly as written) and the
/// body. Front matter is only recognised at byte 0. `block + body == text` always holds.
pub fn split(text: &str) -> (&str, &str) {
    for format in [Format::Yaml, Format::Toml] {
        let delimiter = format.delimiter();
        let Some(after_open) = text.strip_prefix(delimiter) else { continue };
        let Some(after_open) = after_open
            .strip_prefix("\r\n")
            .or_else(|| after_open.strip_prefix('\n'))
        else {
            continue;
        };
        let mut offset = text.len() - after_open.len();
        for line in after_open.split_inclusive('\n') {
            if line.trim_end_matches(['\r', '\n']) == delimiter {
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

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return value[1..value.len() - 1].to_string();
        }
    }
    value.to_string()
}

fn parse_list(value: &str) -> Vec<String> {
    let value = value.trim();
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value);
    inner
        .split(',')
        .map(unquote)
        .filter(|item| !item.is_empty())
        .collect()
}

/// Reads the fields Galley understands from a front matter block.
pub fn parse_fields(block: &str) -> Fields {
    let mut fields = Fields::default();
    let Some(format) = format_of(block) else { return fields };
    let separator = if format == Format::Yaml { ':' } else { '=' };
    let mut list_key: Option<String> = None;
    for line in block.lines().skip(1) {
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if let Some(key) = &list_key {
                let item = unquote(item);
                match key.as_str() {
                    "tags" => fields.tags.push(item),
                    "categories" if fields.category.is_empty() => fields.category = item,
                    _ => {}
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once(separator) else { continue };
        let key = key.trim().to_string();
        let value = value.trim();
        list_key = value.is_empty().then(|| key.clone());
        match key.as_str() {
            "title" => fields.title = unquote(value),
            "date" => fields.date = unquote(value),
            "summary" | "description" if fields.summary.is_empty() => fields.summary = unquote(value),
            "category" => fields.category = unquote(value),
            "categories" => {
                if let Some(first) = parse_list(value).into_iter().next() {
                    fields.category = first;
                }
            }
            "tags" => fields.tags = parse_list(value),
            "draft" => fields.draft = value == "true",
            _ => {}
        }
    }
    fields
}

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Sets one field, rewriting only that field's line; adds it before the closing delimiter when
/// absent. Creates a YAML block when there is none.
pub fn set_field(block: &str, key: &str, value: &[String], is_list: bool) -> String {
    let format = format_of(block).unwrap_or(Format::Yaml);
    let block = if block.is_empty() { "---\n---\n".to_string() } else { block.to_string() };
    let rendered_value = if is_list {
        format!("[{}]", value.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", "))
    } else {
        quote(value.first().map(String::as_str).unwrap_or(""))
    };
    let new_line = match format {
        Format::Yaml => format!("{key}: {rendered_value}"),
        Format::Toml => format!("{key} = {rendered_value}"),
    };
    let separator = if format == Format::Yaml { ':' } else { '=' };
    let lines: Vec<&str> = block.split_inclusive('\n').collect();
    let mut out = String::with_capacity(block.len() + new_line.len());
    let mut replaced = false;
    let mut skipping_list = false;
    for (index, line) in lines.iter().enumerate() {
        let is_last = index == lines.len() - 1;
        if skipping_list {
            if line.trim_start().starts_with("- ") {
                continue;
            }
            skipping_list = false;
        }
        if index > 0 && !is_last && !replaced {
            if let Some((line_key, rest)) = line.split_once(separator) {
                if line_key.trim() == key && !line.starts_with([' ', '\t']) {
                    out.push_str(&new_line);
                    out.push('\n');
                    replaced = true;
                    skipping_list = rest.trim().is_empty();
                    continue;
                }
            }
        }
        if is_last && !replaced {
            out.push_str(&new_line);
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_lossless() {
        for text in ["---\ntitle: A\n---\nbody\n", "+++\ntitle = \"A\"\n+++\n\nbody", "no front matter", "---\nunterminated"] {
            let (block, body) = split(text);
            assert_eq!(format!("{block}{body}"), text);
        }
        assert_eq!(split("---\ntitle: A\n---\nbody\n").0, "---\ntitle: A\n---\n");
    }

    #[test]
    fn reads_fields() {
        let fields = parse_fields("---\ntitle: \"Hello\"\ndate: 2024-01-02\ntags:\n  - go\n  - ebpf\ncategories: [Blog]\n---\n");
        assert_eq!(fields.title, "Hello");
        assert_eq!(fields.date, "2024-01-02");
        assert_eq!(fields.tags, ["go", "ebpf"]);
        assert_eq!(fields.category, "Blog");
    }

    #[test]
    fn set_field_touches_only_its_line() {
        let block = "---\n# keep me\ntitle: Old\ntags:\n  - a\ndate: 2024-01-02\n---\n";
        let changed = set_field(block, "title", &["New".into()], false);
        assert_eq!(changed, "---\n# keep me\ntitle: \"New\"\ntags:\n  - a\ndate: 2024-01-02\n---\n");
        let changed = set_field(block, "tags", &["x".into(), "y".into()], true);
        assert_eq!(changed, "---\n# keep me\ntitle: Old\ntags: [\"x\", \"y\"]\ndate: 2024-01-02\n---\n");
        let added = set_field("+++\ntitle = \"T\"\n+++\n", "summary", &["S".into()], false);
        assert_eq!(added, "+++\ntitle = \"T\"\nsummary = \"S\"\n+++\n");
    }
}
