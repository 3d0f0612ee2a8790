//! TOML edits through toml_edit: typed values, conversion from JSON-like values, setting or
//! removing one key (tags into an existing `[taxonomies]` table).
use serde_json::Value as Json;

use super::parse::parse_toml_document;
use super::{inner, FieldValue, FrontMatterError};
use crate::dates::{is_date_key, is_date_literal};

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

pub(super) fn toml_set(block: &str, key: &str, value: Option<&FieldValue>) -> Result<String, FrontMatterError> {
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
