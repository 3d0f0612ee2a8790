//! Front matter dates, in one place: which keys hold dates, which texts are date literals, the
//! form written to a site ([`normalize_date`]) and the day and sort key the library's index
//! reads ([`parse_date`]).
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;

/// Keys whose values are dates.
pub fn is_date_key(key: &str) -> bool {
    matches!(key, "date" | "updated" | "lastmod" | "pubDate" | "updatedDate" | "publishDate" | "expiryDate")
}

/// True for `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)` and the same with a space.
pub fn is_date_literal(text: &str) -> bool {
    let text = text.trim();
    if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10 {
        return true;
    }
    DateTime::parse_from_rfc3339(text).is_ok()
        || NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok()
        || NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").is_ok()
}

/// A date in a form every site generator reads: valid literals are kept as written, and loose
/// dates such as `2012-1-2` become `2012-01-02`. `None` when it is not a date at all.
pub fn normalize_date(text: &str) -> Option<String> {
    let text = text.trim();
    if is_date_literal(text) {
        return Some(text.to_string());
    }
    let (date, rest) = text.split_once(['T', ' ']).unwrap_or((text, ""));
    let parsed = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let canonical = parsed.format("%Y-%m-%d").to_string();
    if rest.is_empty() {
        return Some(canonical);
    }
    let joined = format!("{canonical}T{rest}");
    is_date_literal(&joined).then_some(joined)
}

/// A front matter date, validated and normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NormalizedDate {
    /// `YYYY-MM-DD` as written (the calendar day in the date's own offset), what the index shows.
    pub day: String,
    /// `YYYY-MM-DDTHH:MM:SS` in UTC (date-only values at midnight), what lists sort by.
    pub sort_key: String,
}

/// Parses a front matter date: `YYYY-MM-DD`, RFC 3339, `YYYY-MM-DD HH:MM[:SS[.f]]` with or without
/// `T` and an offset (`Z`, `+02:00`, ` +0200`), or RFC 2822. `None` when it is none of these.
pub fn parse_date(text: &str) -> Option<NormalizedDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    let zoned = |value: DateTime<chrono::FixedOffset>| NormalizedDate {
        day: value.format("%Y-%m-%d").to_string(),
        sort_key: value.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    let naive = |value: NaiveDateTime| NormalizedDate {
        day: value.format("%Y-%m-%d").to_string(),
        sort_key: value.format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(naive(date.and_hms_opt(0, 0, 0)?));
    }
    if let Ok(value) = DateTime::parse_from_rfc3339(text) {
        return Some(zoned(value));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%d %H:%M %z",
    ] {
        if let Ok(value) = DateTime::parse_from_str(text, format) {
            return Some(zoned(value));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(value) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive(value));
        }
    }
    if let Some(value) = text.strip_suffix(" UTC").and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f").ok()) {
        return Some(naive(value));
    }
    DateTime::parse_from_rfc2822(text).ok().map(zoned)
}
