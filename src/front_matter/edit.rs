//! Editing one field of a front matter block in place, whatever its format: every other byte
//! of the block stays exactly as written.
use super::toml_doc::toml_set;
use super::yaml_lines::{yaml_entry, yaml_set};
use super::{format_of, newline_of, FieldValue, Format};
use crate::dates::{is_date_key, is_date_literal};

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
