//! Reading a front matter block: YAML through serde-saphyr with budgets, TOML through
//! toml_edit, into ordered entries and the fields Galley understands (with a lenient line reader
//! for blocks that do not parse).
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;

use super::{format_of, inner, position, Fields, Format, FrontMatterError, Parsed, MAX_FRONT_MATTER_BYTES};

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

pub(super) fn parse_toml_document(block: &str) -> Result<toml_edit::DocumentMut, FrontMatterError> {
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
