//! Property tests (issue 10, point 19): arbitrary bytes and mutations of real posts through front
//! matter split/parse/edit, folder import and search. Nothing panics, nothing hangs, edits keep
//! the untouched bytes. (The renderer's own fuzzing lives in tests/render_incremental.rs.)
mod common;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use galley::front_matter::{self, FieldValue, Format};
use galley::library::{Library, ListQuery, Status};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value as Json;

/// Cases per property unless `PROPTEST_CASES` asks for more (e.g. a long local soak).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig { cases: cases(default), failure_persistence: None, ..ProptestConfig::default() }
}

fn manifest_dir() -> PathBuf {
    common::manifest_dir()
}

/// Real posts: the Go blog corpus (when present) and Galley's own samples in content/. A missing
/// corpus is said loudly, and fails the test run under CI.
fn real_posts() -> &'static [String] {
    static POSTS: OnceLock<Vec<String>> = OnceLock::new();
    POSTS.get_or_init(|| {
        let corpus = manifest_dir().join("../shared/corpus/go-blog");
        let mut posts = markdown_files(&corpus);
        if posts.is_empty() {
            common::missing(&format!("THE GO BLOG CORPUS IS MISSING at {}: fuzzing with content/ only", corpus.display()));
        }
        let own = markdown_files(&manifest_dir().join("content"));
        assert!(!own.is_empty(), "content/ has no sample posts");
        posts.extend(own);
        posts
    })
}

fn markdown_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    paths.iter().filter_map(|path| std::fs::read_to_string(path).ok()).collect()
}

/// Pieces that front matter parsers find interesting.
const PIECES: &[&str] = &[
    "---",
    "+++",
    "\n",
    "\r\n",
    ": ",
    ":",
    "- ",
    "  ",
    "\t",
    "#",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "=",
    "|",
    ">",
    "title",
    "tags",
    "date",
    "draft",
    "true",
    "2024-02-30",
    "2024-01-01T10:00:00Z",
    "&anchor",
    "*anchor",
    "!!str",
    "\\",
    "\u{0}",
    "é",
    "😀",
    "[taxonomies]",
    "key = \"v\"",
    "...",
    "%YAML 1.2",
    "<<: *a",
    "~",
    "null",
    "0x1F",
];

/// Text built from `PIECES` and arbitrary characters.
fn piecewise() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => proptest::sample::select(PIECES).prop_map(str::to_string), 1 => any::<char>().prop_map(String::from)],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

/// A real post with a mutation: characters or pieces spliced in at a spot, or a range deleted.
fn mutated_post() -> impl Strategy<Value = String> {
    (any::<prop::sample::Index>(), prop::collection::vec((0.0..1.0f64, 0usize..8, piecewise()), 1..4)).prop_map(|(post, edits)| {
        let posts = real_posts();
        let mut text = posts[post.index(posts.len())].clone();
        for (at, delete, insert) in edits {
            // Mostly near the front matter, where the parsers work.
            let near = text.len().min(600);
            let mut start = ((near as f64) * at) as usize;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, &insert);
        }
        text
    })
}

/// Arbitrary bytes as a file would hold them (invalid UTF-8 replaced, as the app reads text).
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        piecewise(),
        piecewise().prop_map(|body| format!("---\n{body}\n---\nbody\n")),
        piecewise().prop_map(|body| format!("+++\n{body}\n+++\nbody\n")),
        mutated_post(),
    ]
}

/// Values a writer may type into a field.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9 ,.]{0,30}", piecewise(), any::<String>().prop_map(|text| text.chars().take(40).collect()),]
}

fn field_key() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(&["title", "tags", "date", "draft", "summary", "slug", "categories", "by", "template", "x-new"][..])
            .prop_map(str::to_string),
        "[a-z][a-z_-]{0,12}",
    ]
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        field_text().prop_map(FieldValue::Text),
        prop::collection::vec(field_text(), 0..4).prop_map(FieldValue::List),
        any::<bool>().prop_map(FieldValue::Bool),
        proptest::sample::select(&["2024-01-01", "2023-12-31T23:59:59Z", "1999-02-28"][..]).prop_map(|d| FieldValue::Date(d.into())),
    ]
}

/// What `value` reads back as from parsed front matter.
fn expected_json(value: &FieldValue) -> Option<Json> {
    match value {
        FieldValue::Text(text) => Some(Json::String(text.clone())),
        FieldValue::List(items) => Some(Json::Array(items.iter().cloned().map(Json::String).collect())),
        FieldValue::Bool(flag) => Some(Json::Bool(*flag)),
        FieldValue::Date(_) => None, // dates may read back as strings or date values
    }
}

/// Checks an edit kept everything else: the lines before and after the changed span are the old
/// block's lines byte for byte, what was replaced is only `key`'s own entry (or nothing, for an
/// added field), and every other key parses to the same value.
fn check_edit(old: &str, new: &str, key: &str, value: Option<&FieldValue>) -> Result<(), TestCaseError> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = old_lines.iter().zip(&new_lines).take_while(|(a, b)| a == b).count();
    let max_suffix = old_lines.len().min(new_lines.len()) - prefix;
    let suffix = old_lines.iter().rev().zip(new_lines.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let removed = &old_lines[prefix..old_lines.len() - suffix];
    let Ok(before) = front_matter::parse(old) else {
        return Ok(()); // an unparseable block: only "no panic" (checked by getting here)
    };
    let after = front_matter::parse(new);
    prop_assert!(after.is_ok(), "the edit broke the block: {:?}\n--- old ---\n{old}\n--- new ---\n{new}", after.err());
    let after = after.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    for (other, json) in &before.entries {
        if other != key {
            prop_assert_eq!(after.get(other), Some(json), "{} changed\n--- old ---\n{}\n--- new ---\n{}", other, old, new);
        }
    }
    match value {
        Some(value) => {
            if let Some(want) = expected_json(value) {
                prop_assert_eq!(after.get(key), Some(&want), "--- old ---\n{}\n--- new ---\n{}", old, new);
            }
        }
        None => prop_assert!(after.get(key).is_none(), "{key} still there:\n{new}"),
    }
    // In YAML, what was replaced lies within the field's own entry: its key line and the
    // indented or list lines under it (nothing at all when the field was added).
    if !removed.is_empty() && before.format == Some(Format::Yaml) {
        let entry = yaml_entry_lines(&old_lines, key);
        let span = prefix..old_lines.len() - suffix;
        prop_assert!(
            entry.as_ref().is_some_and(|entry| entry.start <= span.start && span.end <= entry.end),
            "the edit of {} replaced lines {:?} outside its entry {:?}: {:?}\n--- old ---\n{}\n--- new ---\n{}",
            key,
            span,
            entry,
            removed,
            old,
            new
        );
    }
    Ok(())
}

/// The lines of a top-level YAML key's entry, found independently of front_matter.rs: the line
/// `key:` (or `"key":`) and every following line that is indented, a list item or a comment.
fn yaml_entry_lines(lines: &[&str], key: &str) -> Option<std::ops::Range<usize>> {
    let is_key_line = |line: &str| {
        let unquoted = line.strip_prefix(['"', '\'']).unwrap_or(line);
        unquoted.strip_prefix(key).is_some_and(|rest| rest.trim_start_matches(['"', '\'', ' ', '\t']).starts_with(':'))
    };
    let start = lines.iter().rposition(|line| is_key_line(line))?;
    let end = lines[start + 1..]
        .iter()
        .position(|line| {
            let closing = matches!(line.trim_end(), "---" | "...");
            closing || (!line.trim().is_empty() && !line.starts_with([' ', '\t', '-', '#']))
        })
        .map_or(lines.len(), |offset| start + 1 + offset);
    Some(start..end)
}

proptest! {
    #![proptest_config(config(256))]

    /// `split` never loses a byte, whatever the file holds; parsing what it splits never panics.
    #[test]
    fn split_and_parse_take_anything(text in any_text()) {
        let (block, body) = front_matter::split(&text);
        prop_assert_eq!(format!("{block}{body}"), text.clone());
        let _ = front_matter::format_of(block);
        let _ = front_matter::parse(block);
        let _ = front_matter::parse_fields(block);
        let _ = front_matter::parse_fields_checked(block);
    }

    /// Setting a field of a real (mutated) post changes only that field's lines.
    #[test]
    fn set_value_keeps_every_other_line(text in mutated_post(), key in field_key(), value in field_value()) {
        let (block, _) = front_matter::split(&text);
        let edited = front_matter::set_value(block, &key, &value);
        check_edit(block, &edited, &key, Some(&value))?;
    }

    /// `set_field` (the form's path) and `remove_field` keep the rest too, in YAML and TOML.
    #[test]
    fn set_and_remove_field_keep_the_rest(
        text in mutated_post(),
        toml in any::<bool>(),
        key in field_key(),
        values in prop::collection::vec(field_text(), 0..3),
        is_list in any::<bool>(),
    ) {
        let (block, _) = front_matter::split(&text);
        let block = match (toml, front_matter::parse(block)) {
            (true, Ok(parsed)) => front_matter::build(Format::Toml, &parsed.entries),
            _ => block.to_string(),
        };
        let edited = front_matter::set_field(&block, &key, &values, is_list);
        let _ = front_matter::parse(&edited);
        let removed = front_matter::remove_field(&block, &key);
        check_edit(&block, &removed, &key, None)?;
    }
}

/// Random file names: words, dots, spaces, unicode, the Markdown extensions and others.
fn file_name() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z0-9 _.-]{1,12}|[é😀ü ]{1,4}|_index|README|\\.hidden",
        proptest::sample::select(&[".md", ".markdown", ".MD", ".txt", "", ".md.bak", ".mdx"][..]),
    )
        .prop_map(|(stem, ext)| format!("{stem}{ext}"))
}

/// Random file contents: arbitrary bytes (invalid UTF-8, NUL), empty, real posts mutated, and
/// front matter of a few hundred lines.
fn file_contents() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        Just(Vec::new()),
        mutated_post().prop_map(String::into_bytes),
        (1usize..400, "[a-z]{1,8}").prop_map(|(n, word)| {
            let fields: String = (0..n).map(|i| format!("{word}{i}: \"{}\"\n", "x".repeat(i % 50))).collect();
            format!("---\ntitle: Big\n{fields}---\nbody\n").into_bytes()
        }),
        mutated_post().prop_map(|text| [&[0xff, 0xfe][..], text.as_bytes()].concat()),
    ]
}

/// A folder of random files: some at the top, some in `content/posts/` (a Hugo layout when present).
fn site() -> impl Strategy<Value = Vec<(bool, String, Vec<u8>)>> {
    prop::collection::vec((any::<bool>(), file_name(), file_contents()), 0..10)
}

#[test]
fn importing_a_folder_of_random_files_never_panics_or_hangs() {
    let mut runner = TestRunner::new(Config { cases: cases(32), failure_persistence: None, ..Config::default() });
    runner
        .run(&site(), |files| {
            let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let site = dir.path().join("site");
            std::fs::create_dir_all(site.join("content/posts")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (nested, name, bytes) in &files {
                let folder = if *nested { site.join("content/posts") } else { site.clone() };
                // Names may collide or be refused by the file system: both are fine.
                let _ = std::fs::write(folder.join(name), bytes);
            }
            let (mut library, _) = Library::open(&dir.path().join("library.sqlite3")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let started = Instant::now();
            let planned = galley::import::plan(&library, &site);
            let report = galley::import::import_site(&mut library, &site, false);
            prop_assert!(started.elapsed() < Duration::from_secs(10), "import took {:?}", started.elapsed());
            if let (Ok(_), Ok(_)) = (&planned, &report) {
                // Importing again finds nothing new and still does not fail.
                let again = galley::import::import_site(&mut library, &site, false);
                prop_assert!(again.is_ok(), "a second import failed: {:?}", again.err());
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// Search input: arbitrary strings and FTS5-looking syntax.
fn query() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "\"",
        "title:",
        "tags:",
        "tag:",
        "body:",
        "summary:",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        ")",
        "(",
        "*",
        "^",
        "-",
        "+",
        ":",
        "'",
        "\u{0}",
        " ",
        "go",
        "goroutine",
        "é",
        "😀",
        "{",
        "}",
        "%",
        "_",
        "\\",
        "NEAR/2",
        "col:",
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(proptest::sample::select(TOKENS), 0..20).prop_map(|tokens| tokens.concat()),
        prop::collection::vec(proptest::sample::select(TOKENS), 0..8).prop_map(|tokens| tokens.join(" ")),
        "[ -~]{0,80}",
    ]
}

#[test]
fn search_accepts_any_query() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut library, _) = Library::open(&dir.path().join("library.sqlite3")).expect("library");
    let posts: Vec<&str> = real_posts().iter().step_by(17).map(String::as_str).collect();
    library.create_posts(&posts, Status::Published, "fuzz").expect("posts");
    let mut runner = TestRunner::new(Config { cases: cases(192), failure_persistence: None, ..Config::default() });
    runner
        .run(&(query(), query()), |(text, tag)| {
            let started = Instant::now();
            let found = library.search(&text);
            prop_assert!(found.is_ok(), "search({text:?}) failed: {:?}", found.err());
            let query = ListQuery { text: Some(text.clone()), tag: Some(tag.clone()), limit: Some(20), ..ListQuery::default() };
            prop_assert!(library.list_page(&query).is_ok(), "list_page({query:?})");
            prop_assert!(library.count(&query).is_ok(), "count({query:?})");
            let text_only = ListQuery { text: Some(text.clone()), ..ListQuery::default() };
            prop_assert!(library.index_entries(&text_only).is_ok(), "index_entries({text_only:?})");
            let _ = galley::library::fts_query(&text);
            prop_assert!(started.elapsed() < Duration::from_secs(5), "{text:?} took {:?}", started.elapsed());
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    // A word from the corpus is found, so the searches above ran against real rows.
    assert!(!library.search("the").expect("search").is_empty());
}
