//! YAML line edits: finding a top-level key's lines, writing scalars in the style the old value
//! used, setting one entry without touching the others.
use serde_json::Value as Json;

use super::{newline_of, FieldValue};
use crate::dates::{is_date_key, is_date_literal};

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
pub(super) fn yaml_entry(lines: &[&str], key: &str) -> Option<(usize, usize)> {
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
pub(super) fn yaml_scalar(text: &str, old_style: char, in_flow: bool) -> String {
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

pub(super) fn yaml_set(block: &str, key: &str, value: &FieldValue) -> String {
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
