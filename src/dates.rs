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

/// Where an inferred date came from (shown to the writer: "inferred from the file name").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A `YYYY-MM-DD-` prefix of the file name (or of a page bundle's folder).
    FileName,
    /// A `/YYYY/MM/DD/` segment of the post's `path`, `url`, `aliases` or `permalink`.
    Url,
    /// Folders of the file's path: `YYYY/MM/DD/` or one named `YYYY-MM-DD…`.
    Folder,
}

impl DateSource {
    /// In words, for the export report and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FileName => "the file name",
            DateSource::Url => "the post's URL (path, url, aliases or permalink)",
            DateSource::Folder => "the folders of its path",
        }
    }
}

/// A date inferred for a post without a date key: the day (`YYYY-MM-DD`) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InferredDate {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Where it was read.
    pub source: DateSource,
}

/// A valid calendar day from year, month and day texts (`YYYY`, `MM`, `DD`; digits only).
fn day_of(year: &str, month: &str, day: &str) -> Option<String> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).map(|d| d.format("%Y-%m-%d").to_string())
}

/// `YYYY-MM-DD` at the start of a name, followed by `-`, `_`, `.` or nothing.
fn prefixed_day(name: &str) -> Option<String> {
    let head = name.get(..10)?;
    let rest = &name[10..];
    if !(rest.is_empty() || rest.starts_with(['-', '_', '.'])) || head.as_bytes()[4] != b'-' || head.as_bytes()[7] != b'-' {
        return None;
    }
    day_of(&head[..4], &head[5..7], &head[8..10])
}

/// The first three consecutive segments `YYYY/MM/DD` of a `/`-separated path or URL.
fn dated_segments(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(3).find_map(|w| day_of(w[0], w[1], w[2]))
}

/// Infers the date of a post that has no date key, from what its site already says, in this order:
/// a `YYYY-MM-DD-` prefix of its file name (or page bundle folder), a `/YYYY/MM/DD/` segment of
/// one of `urls` (its `path`, `url`, `aliases`, `permalink` values), its dated folders. `None`:
/// nothing says; never today.
pub fn infer_date(source_path: Option<&str>, urls: &[&str]) -> Option<InferredDate> {
    let found = |day: String, source| InferredDate { day, source };
    if let Some(path) = source_path {
        let mut parts = path.rsplit('/');
        let file = parts.next().unwrap_or(path);
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let name = if stem == "index" || stem == "_index" { parts.next().unwrap_or(stem) } else { file };
        if let Some(day) = prefixed_day(name) {
            return Some(found(day, DateSource::FileName));
        }
    }
    if let Some(day) = urls.iter().find_map(|url| dated_segments(url)) {
        return Some(found(day, DateSource::Url));
    }
    let folders = source_path.and_then(|p| p.rsplit_once('/')).map(|(dir, _)| dir)?;
    dated_segments(folders).or_else(|| folders.split('/').find_map(prefixed_day)).map(|day| found(day, DateSource::Folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inferred(path: Option<&str>, urls: &[&str]) -> Option<(String, DateSource)> {
        infer_date(path, urls).map(|d| (d.day, d.source))
    }

    #[test]
    fn dates_are_inferred_in_order() {
        let day = |s: &str| s.to_string();
        assert_eq!(inferred(Some("_posts/2014-12-12-arm.md"), &["2001/01/01/x"]), Some((day("2014-12-12"), DateSource::FileName)));
        assert_eq!(inferred(Some("content/2019-11-08-go/index.md"), &[]), Some((day("2019-11-08"), DateSource::FileName)));
        assert_eq!(inferred(Some("content/blog/arm.md"), &["2014/12/12/arm-assembly"]), Some((day("2014-12-12"), DateSource::Url)));
        assert_eq!(inferred(None, &["https://e.org/blog/2013/02/03/x/?a=1"]), Some((day("2013-02-03"), DateSource::Url)));
        assert_eq!(inferred(Some("content/2012/05/06/post.md"), &[]), Some((day("2012-05-06"), DateSource::Folder)));
        assert_eq!(inferred(Some("content/2012-05-06-trip/notes.md"), &[]), Some((day("2012-05-06"), DateSource::Folder)));
    }

    #[test]
    fn nothing_is_invented() {
        for (path, urls) in [
            (Some("content/blog/post.md"), &["/blog/post/"][..]),
            (Some("_posts/2014-13-40-bad.md"), &[]),
            (Some("2014-12-12x.md"), &[]),
            (Some("content/2014/12/post.md"), &["/2014/12/"]),
            (None, &["/2014/02/30/"]),
            (None, &[]),
        ] {
            assert_eq!(inferred(path, urls), None, "{path:?} {urls:?}");
        }
    }
}
