//! Building a new front matter block from entries (when converting a post between formats).
use serde_json::Value as Json;

use super::toml_doc::toml_from_json;
use super::yaml_lines::{yaml_scalar, yaml_value};
use super::Format;

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
