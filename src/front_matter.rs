//! Front matter: split a post file into its raw front matter block and body, read the fields Galley
//! understands (YAML `---` via serde-saphyr with budgets, TOML `+++` via toml_edit), and edit one
//! field in place so that every other byte of the block stays exactly as written.
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Top-level entries in written order (serde_json's map would sort them).
struct Ordered(Vec<(String, Json)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Ordered, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Ordered, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<Json, Json>()? {
                    let key = match key {
                        Json::String(s) => s,
                        other => other.to_string(),
                    };
                    entries.push((key, value));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_any(OrderedVisitor)
    }
}

fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 20_000;
    budget.max_aliases = 64;
    budget.max_anchors = 64;
    budget.max_documents = 1;
    budget.max_recorded_anchor_events = 10_000;
    budget.max_recorded_anchor_bytes = 256 * 1024;
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 10_000;
    aliases.max_replay_stack_depth = 8;
    aliases.max_alias_expansions_per_anchor = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits = aliases;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    options
}

fn parse_yaml(block: &str) -> Result<Vec<(String, Json)>, FrontMatterError> {
    let (text, start) = inner(block);
    if text.trim().is_empty() || text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Ok(Vec::new());
    }
    match serde_saphyr::from_str_with_options::<Ordered>(text, yaml_options()) {
        Ok(Ordered(entries)) => Ok(entries),
        Err(error) => {
            let (line, column) =
                error.location().map(|l| (l.line() as usize + position(block, start).0 - 1, l.column() as usize)).unwrap_or((2, 1));
            let message = error.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("invalid YAML").to_string();
            Err(FrontMatterError { line, column: column.max(1), message })
        }
    }
}

fn toml_to_json(value: &toml_edit::Value) -> Json {
    use toml_edit::Value as V;
    match value {
        V::String(s) => Json::String(s.value().clone()),
        V::Integer(i) => Json::from(*i.value()),
        V::Float(f) => serde_json::Number::from_f64(*f.value()).map_or(Json::Null, Json::Number),
        V::Boolean(b) => Json::Bool(*b.value()),
        V::Datetime(d) => Json::String(d.value().to_string()),
        V::Array(a) => Json::Array(a.iter().map(toml_to_json).collect()),
        V::InlineTable(t) => Json::Object(t.iter().map(|(k, v)| (k.to_string(), toml_to_json(v))).collect()),
    }
}

fn toml_item_to_json(item: &toml_edit::Item) -> Json {
    match item {
        toml_edit::Item::None => Json::Null,
        toml_edit::Item::Value(v) => toml_to_json(v),
        toml_edit::Item::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.to_string(), toml_item_to_json(v))).collect()),
        toml_edit::Item::ArrayOfTables(a) => {
            Json::Array(a.iter().map(|t| Json::Object(t.iter().map(|(k, v)| (k.to_string(), toml_item_to_json(v))).collect())).collect())
        }
    }
}

fn toml_error(block: &str, start: usize, error: &toml_edit::TomlError) -> FrontMatterError {
    let offset = error.span().map_or(0, |span| span.start);
    let (line, column) = position(block, start + offset);
    let message = error.message().trim().to_string();
    FrontMatterError { line, column, message }
}

fn parse_toml_document(block: &str) -> Result<toml_edit::DocumentMut, FrontMatterError> {
    let (text, start) = inner(block);
    text.parse::<toml_edit::DocumentMut>().map_err(|e| toml_error(block, start, &e))
}

fn check_size(block: &str) -> Result<(), FrontMatterError> {
    if block.len() > MAX_FRONT_MATTER_BYTES {
        return Err(FrontMatterError {
            line: 1,
            column: 1,
            message: format!(
                "front matter is {} KiB, more than the {} KiB Galley reads",
                block.len() / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        });
    }
    Ok(())
}

/// Parses a front matter block into its entries (with limits: size cap, YAML alias budgets, TOML
/// nesting caps). `""` parses to no entries.
pub fn parse(block: &str) -> Result<Parsed, FrontMatterError> {
    let Some(format) = format_of(block) else { return Ok(Parsed::default()) };
    check_size(block)?;
    let entries = match format {
        Format::Yaml => parse_yaml(block)?,
        Format::Toml => {
            let document = parse_toml_document(block)?;
            document.iter().map(|(k, v)| (k.to_string(), toml_item_to_json(v))).collect()
        }
    };
    Ok(Parsed { format: Some(format), entries })
}

/// A scalar as text ("" for lists, maps and null).
pub fn text_of(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A list of strings from a list or a single scalar.
pub fn list_of(value: &Json) -> Vec<String> {
    match value {
        Json::Array(items) => items.iter().map(text_of).filter(|s| !s.is_empty()).collect(),
        Json::Null => Vec::new(),
        other => Some(text_of(other)).filter(|s| !s.is_empty()).into_iter().collect(),
    }
}

/// The fields Galley understands, from parsed entries.
pub fn fields_of(parsed: &Parsed) -> Fields {
    let text = |keys: &[&str]| keys.iter().filter_map(|k| parsed.get(k)).map(text_of).find(|s| !s.is_empty()).unwrap_or_default();
    let list = |keys: &[&str]| keys.iter().filter_map(|k| parsed.get(k)).map(list_of).find(|l| !l.is_empty()).unwrap_or_default();
    let taxonomy = |name: &str| parsed.get("taxonomies").and_then(|t| t.get(name)).map(list_of).unwrap_or_default();
    let mut tags = list(&["tags"]);
    if tags.is_empty() {
        tags = taxonomy("tags");
    }
    let mut categories = list(&["categories"]);
    if categories.is_empty() {
        categories = taxonomy("categories");
    }
    let single_category = text(&["category"]);
    if categories.is_empty() && !single_category.is_empty() {
        categories.push(single_category.clone());
    }
    let category = if single_category.is_empty() { categories.first().cloned().unwrap_or_default() } else { single_category };
    let truthy = |key: &str| match parsed.get(key) {
        Some(Json::Bool(b)) => Some(*b),
        Some(Json::String(s)) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    };
    Fields {
        title: text(&["title"]),
        date: text(&["date", "pubDate", "publishDate"]),
        summary: text(&["summary", "description", "excerpt"]),
        category,
        tags,
        draft: truthy("draft").unwrap_or(false) || truthy("published") == Some(false),
        updated: text(&["updated", "lastmod", "updatedDate"]),
        slug: text(&["slug"]),
        description: text(&["description"]),
        categories,
        aliases: list(&["aliases"]),
        authors: list(&["authors", "author", "by"]),
    }
}

/// Reads the fields Galley understands, or says where the front matter is malformed.
pub fn parse_fields_checked(block: &str) -> Result<Fields, FrontMatterError> {
    parse(block).map(|parsed| fields_of(&parsed))
}

/// Reads the fields Galley understands from a front matter block. Never fails: malformed front
/// matter is read line by line for whatever can be recognised.
pub fn parse_fields(block: &str) -> Fields {
    parse_fields_checked(block).unwrap_or_else(|_| parse_fields_lenient(block))
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
    let inner = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(value);
    inner.split(',').map(unquote).filter(|item| !item.is_empty()).collect()
}

/// The line-based reader used when a block does not parse.
fn parse_fields_lenient(block: &str) -> Fields {
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
                    "categories" => fields.categories.push(item),
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
            "updated" | "lastmod" => fields.updated = unquote(value),
            "slug" => fields.slug = unquote(value),
            "description" => {
                fields.description = unquote(value);
                if fields.summary.is_empty() {
                    fields.summary = unquote(value);
                }
            }
            "summary" => fields.summary = unquote(value),
            "category" => fields.category = unquote(value),
            "categories" => fields.categories = parse_list(value),
            "tags" => fields.tags = parse_list(value),
            "draft" => fields.draft = value == "true",
            _ => {}
        }
    }
    if fields.category.is_empty() {
        fields.category = fields.categories.first().cloned().unwrap_or_default();
    }
    fields
}

// ---------------------------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------------------------

/// Keys whose values are dates.
pub fn is_date_key(key: &str) -> bool {
    matches!(key, "date" | "updated" | "lastmod" | "pubDate" | "updatedDate" | "publishDate" | "expiryDate")
}

/// True for `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)` and the same with a space.
pub fn is_date_literal(text: &str) -> bool {
    let text = text.trim();
    if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10 {
        return true;
    }
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").is_ok()
}

/// A date in a form every site generator reads: valid literals are kept as written, and loose
/// dates such as `2012-1-2` become `2012-01-02`. `None` when it is not a date at all.
pub fn normalize_date(text: &str) -> Option<String> {
    let text = text.trim();
    if is_date_literal(text) {
        return Some(text.to_string());
    }
    let (date, rest) = text.split_once(['T', ' ']).unwrap_or((text, ""));
    let parsed = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let canonical = parsed.format("%Y-%m-%d").to_string();
    if rest.is_empty() {
        return Some(canonical);
    }
    let joined = format!("{canonical}T{rest}");
    is_date_literal(&joined).then_some(joined)
}

/// Builds a new front matter block from entries (used when converting between formats). YAML
/// values are written plain where safe, lists in flow style, nested values as JSON; TOML objects
/// become tables after the plain keys. Date keys with valid dates become date literals.
pub fn build(format: Format, entries: &[(String, Json)]) -> String {
    match format {
        Format::Yaml => {
            let mut out = String::from("---\n");
            for (key, value) in entries {
                if value.is_null() {
                    continue;
                }
                let key_text = yaml_scalar(key, ' ', false);
                out.push_str(&format!("{key_text}: {}\n", yaml_value(key, value)));
            }
            out.push_str("---\n");
            out
        }
        Format::Toml => {
            let mut document = toml_edit::DocumentMut::new();
            let mut tables = Vec::new();
            for (key, value) in entries {
                match value {
                    Json::Object(map) => tables.push((key, map)),
                    other => {
                        if let Some(v) = toml_from_json(key, other) {
                            document.insert(key, toml_edit::Item::Value(v));
                        }
                    }
                }
            }
            for (key, map) in tables {
                let mut table = toml_edit::Table::new();
                for (k, v) in map {
                    if let Some(v) = toml_from_json(k, v) {
                        table.insert(k, toml_edit::Item::Value(v));
                    }
                }
                document.insert(key, toml_edit::Item::Table(table));
            }
            format!("+++\n{document}+++\n")
        }
    }
}

/// Sets one field, rewriting only that field's lines; adds it before the closing delimiter when
/// absent. Creates a YAML block when there is none. `draft` with "true"/"false" becomes a boolean,
/// date keys with a valid date become date literals; everything else is a string (or a list).
pub fn set_field(block: &str, key: &str, value: &[String], is_list: bool) -> String {
    let first = value.first().cloned().unwrap_or_default();
    let field = if is_list {
        FieldValue::List(value.to_vec())
    } else if key == "draft" && (first == "true" || first == "false") {
        FieldValue::Bool(first == "true")
    } else if is_date_key(key) && is_date_literal(&first) {
        FieldValue::Date(first)
    } else {
        FieldValue::Text(first)
    };
    set_value(block, key, &field)
}

/// Sets one top-level field to a typed value, touching only that field's lines. In TOML, `tags`
/// and `categories` go into an existing `[taxonomies]` table when the root has no such key.
pub fn set_value(block: &str, key: &str, value: &FieldValue) -> String {
    match format_of(block) {
        None => yaml_set(&format!("---{}---{}", newline_of(block), newline_of(block)), key, value),
        Some(Format::Yaml) => yaml_set(block, key, value),
        Some(Format::Toml) => toml_set(block, key, Some(value)).unwrap_or_else(|_| block.to_string()),
    }
}

/// Removes one top-level field (and only its lines). A block without it is returned unchanged.
pub fn remove_field(block: &str, key: &str) -> String {
    match format_of(block) {
        None => block.to_string(),
        Some(Format::Yaml) => {
            let lines: Vec<&str> = block.split_inclusive('\n').collect();
            match yaml_entry(&lines, key) {
                Some((start, end)) => lines[..start].concat() + &lines[end..].concat(),
                None => block.to_string(),
            }
        }
        Some(Format::Toml) => toml_set(block, key, None).unwrap_or_else(|_| block.to_string()),
    }
}

fn newline_of(block: &str) -> &'static str {
    if block.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The key of a top-level YAML mapping line (`key: ...`, `"key": ...`), if it is one.
fn yaml_line_key(line: &str) -> Option<(String, usize)> {
    if line.starts_with([' ', '\t', '#', '-', '\r', '\n']) || line.is_empty() {
        return None;
    }
    let (key, after) = if let Some(rest) = line.strip_prefix('"') {
        let close = rest.find('"')?;
        (rest[..close].to_string(), close + 2)
    } else if let Some(rest) = line.strip_prefix('\'') {
        let close = rest.find('\'')?;
        (rest[..close].to_string(), close + 2)
    } else {
        let colon = line.find(':')?;
        (line[..colon].trim_end().to_string(), colon)
    };
    let rest = &line[after..];
    let rest_trimmed = rest.trim_start_matches([' ', '\t']);
    let colon_at = after + (rest.len() - rest_trimmed.len());
    let after_colon = rest_trimmed.strip_prefix(':')?;
    if !(after_colon.is_empty() || after_colon.starts_with([' ', '\t', '\r', '\n'])) {
        return None;
    }
    Some((key, colon_at + 1))
}

/// Line range `[start, end)` of a top-level YAML key's entry, continuation lines included
/// (indented lines, block list items at column 0), trailing blank and comment lines excluded.
fn yaml_entry(lines: &[&str], key: &str) -> Option<(usize, usize)> {
    let last = lines.len().saturating_sub(1);
    let start = (1..last).find(|&i| yaml_line_key(lines[i]).is_some_and(|(k, _)| k == key))?;
    let mut end = start + 1;
    let mut i = start + 1;
    while i < last {
        let line = lines[i];
        let blank = line.trim().is_empty();
        let comment = line.starts_with('#');
        let continuation = line.starts_with([' ', '\t']) || line.starts_with("- ") || line.trim_end() == "-";
        if continuation && !blank {
            end = i + 1;
        } else if !(blank || comment) {
            break;
        }
        i += 1;
    }
    Some((start, end))
}

fn is_yaml_plain_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if text.trim() != text
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control())
        || (in_flow && text.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"];
    if reserved.contains(&lower.as_str()) || text.parse::<f64>().is_ok() || is_date_literal(text) {
        return false;
    }
    !(text.starts_with("0x") || text.starts_with("0o") || text.starts_with('.'))
}

fn yaml_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar in the style the old value used where possible (plain, '…' or "…").
fn yaml_scalar(text: &str, old_style: char, in_flow: bool) -> String {
    match old_style {
        '\'' if !text.chars().any(|c| c.is_control()) => format!("'{}'", text.replace('\'', "''")),
        '"' => yaml_double_quoted(text),
        _ if is_yaml_plain_safe(text, in_flow) => text.to_string(),
        _ => yaml_double_quoted(text),
    }
}

/// Renders a standalone YAML value (used when building new front matter): plain or quoted
/// scalars, flow lists; nested values as JSON (which is valid YAML).
pub fn yaml_value(key: &str, value: &Json) -> String {
    match value {
        Json::String(s) if is_date_key(key) && is_date_literal(s) => s.clone(),
        Json::String(s) => yaml_scalar(s, ' ', false),
        Json::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| match i {
                    Json::String(s) => yaml_scalar(s, ' ', true),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Splits a one-line scalar value into (value text, trailing comment including its spaces).
fn split_trailing_comment(value: &str) -> (&str, &str) {
    let trimmed_end = value.trim_end_matches(['\r', '\n']);
    let end_of_value = if let Some(q @ ('"' | '\'')) = trimmed_end.chars().next() {
        // Find the closing quote (skipping escapes / doubled quotes).
        let bytes = trimmed_end.as_bytes();
        let mut i = 1;
        let mut close = None;
        while i < bytes.len() {
            let c = bytes[i] as char;
            if q == '"' && c == '\\' {
                i += 2;
                continue;
            }
            if c == q {
                if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                close = Some(i + 1);
                break;
            }
            i += 1;
        }
        close.unwrap_or(trimmed_end.len())
    } else {
        trimmed_end.find(" #").unwrap_or(trimmed_end.len())
    };
    let rest = &trimmed_end[end_of_value..];
    if rest.trim_start().starts_with('#') {
        (&trimmed_end[..end_of_value], rest)
    } else {
        (trimmed_end, "")
    }
}

fn yaml_set(block: &str, key: &str, value: &FieldValue) -> String {
    let nl = newline_of(block);
    let lines: Vec<&str> = block.split_inclusive('\n').collect();
    if lines.len() < 2 {
        return block.to_string();
    }
    let entry = yaml_entry(&lines, key);
    // What the old entry looked like.
    let (key_text, old_value, old_lines) = match entry {
        Some((start, end)) => {
            let line = lines[start];
            let colon = yaml_line_key(line).map_or(line.len(), |(_, c)| c);
            (line[..colon].to_string(), line[colon..].trim_start_matches([' ', '\t']), &lines[start + 1..end])
        }
        // A new key is quoted when YAML would read it as something else (`n`, `on`, `1`: a
        // bool or a number), so it reads back as the key that was set.
        None => (format!("{}:", yaml_scalar(key, ' ', false)), "", &lines[0..0]),
    };
    let (old_scalar, comment) = split_trailing_comment(old_value);
    let old_style = old_scalar.chars().next().unwrap_or(' ');
    let rendered = match value {
        FieldValue::Text(text) => format!("{key_text} {}{comment}{nl}", yaml_scalar(text, old_style, false)),
        FieldValue::Date(date) if is_date_literal(date) => {
            let date = match old_style {
                '"' | '\'' => format!("{old_style}{date}{old_style}"),
                _ => date.clone(),
            };
            format!("{key_text} {date}{comment}{nl}")
        }
        FieldValue::Date(date) => format!("{key_text} {}{comment}{nl}", yaml_double_quoted(date)),
        FieldValue::Bool(b) => format!("{key_text} {b}{comment}{nl}"),
        FieldValue::List(items) => {
            let block_item = old_lines.iter().find(|l| l.trim_start().starts_with('-')).filter(|_| old_scalar.is_empty());
            match block_item {
                Some(item_line) if !items.is_empty() => {
                    let indent = &item_line[..item_line.len() - item_line.trim_start().len()];
                    let mut out = format!("{key_text}{comment}{nl}");
                    for item in items {
                        out.push_str(&format!("{indent}- {}{nl}", yaml_scalar(item, ' ', false)));
                    }
                    out
                }
                _ => {
                    let list = items
                        .iter()
                        .map(|i| yaml_scalar(i, if old_style == '[' { ' ' } else { old_style }, true))
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("{key_text} [{list}]{comment}{nl}")
                }
            }
        }
    };
    match entry {
        Some((start, end)) => format!("{}{}{}", lines[..start].concat(), rendered, lines[end..].concat()),
        None => {
            let last = lines.len() - 1;
            format!("{}{}{}", lines[..last].concat(), rendered, lines[last])
        }
    }
}

fn toml_value(value: &FieldValue) -> toml_edit::Value {
    match value {
        FieldValue::Text(text) => toml_edit::Value::from(text.as_str()),
        FieldValue::Date(date) => match date.trim().replace(' ', "T").parse::<toml_edit::Datetime>() {
            Ok(datetime) => toml_edit::Value::from(datetime),
            Err(_) => toml_edit::Value::from(date.as_str()),
        },
        FieldValue::Bool(b) => toml_edit::Value::from(*b),
        FieldValue::List(items) => toml_edit::Value::Array(items.iter().map(|s| s.as_str()).collect::<toml_edit::Array>()),
    }
}

/// Builds a TOML value from a JSON-like one (used when converting front matter).
pub fn toml_from_json(key: &str, value: &Json) -> Option<toml_edit::Value> {
    Some(match value {
        Json::Null => return None,
        Json::Bool(b) => toml_edit::Value::from(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => toml_edit::Value::from(i),
            None => toml_edit::Value::from(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) if is_date_key(key) && is_date_literal(s) => toml_value(&FieldValue::Date(s.clone())),
        Json::String(s) => toml_edit::Value::from(s.as_str()),
        Json::Array(items) => toml_edit::Value::Array(items.iter().filter_map(|i| toml_from_json("", i)).collect()),
        Json::Object(map) => {
            let mut table = toml_edit::InlineTable::new();
            for (k, v) in map {
                if let Some(v) = toml_from_json(k, v) {
                    table.insert(k, v);
                }
            }
            toml_edit::Value::InlineTable(table)
        }
    })
}

fn toml_set(block: &str, key: &str, value: Option<&FieldValue>) -> Result<String, FrontMatterError> {
    let mut document = parse_toml_document(block)?;
    let in_taxonomies = matches!(key, "tags" | "categories")
        && !document.contains_key(key)
        && document.get("taxonomies").is_some_and(|t| t.is_table_like());
    let table: &mut dyn toml_edit::TableLike = if in_taxonomies {
        match document.get_mut("taxonomies").and_then(|t| t.as_table_like_mut()) {
            Some(table) => table,
            None => document.as_table_mut(),
        }
    } else {
        document.as_table_mut()
    };
    match value {
        None => {
            table.remove(key);
        }
        Some(value) => {
            let mut new_value = toml_value(value);
            match table.get_mut(key).and_then(|item| item.as_value_mut()) {
                Some(old) => {
                    let decor = old.decor().clone();
                    *new_value.decor_mut() = decor;
                    *old = new_value;
                }
                None => {
                    table.insert(key, toml_edit::Item::Value(new_value));
                }
            }
        }
    }
    let first_line_end = block.find('\n').map_or(block.len(), |i| i + 1);
    let (text, start) = inner(block);
    let closing = &block[start + text.len()..];
    Ok(format!("{}{}{}", &block[..first_line_end], document, closing))
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
