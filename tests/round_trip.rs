//! Round trips: importing the Go blog corpus and exporting it with `keep` reproduces every file
//! byte for byte; editing one front matter field changes exactly that field's lines.
mod common;
use std::path::PathBuf;

use common::files;

use galley::export::{self, ExportAction, ExportOptions, Preset};
use galley::front_matter::{self, FieldValue};
use galley::import;
use galley::library::Library;

fn corpus() -> Option<PathBuf> {
    common::corpus("the corpus round trip is not checked")
}

#[test]
fn go_blog_round_trips_byte_for_byte() {
    let Some(corpus) = corpus() else { return };
    let temp = tempfile::tempdir().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    let report = import::import_site(&mut library, &corpus, false).unwrap();
    // The folder's README.md (no front matter) is reported as not a post (issue 10, point 16).
    let (originals, documents): (Vec<_>, Vec<_>) = files(&corpus)
        .into_iter()
        .partition(|(path, bytes)| galley::site::policy::skip_reason(path, &String::from_utf8_lossy(bytes)).is_none());
    assert_eq!(report.imported.len(), originals.len(), "skipped: {:?}", report.skipped);
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(skipped, documents.iter().map(|(path, _)| path.as_str()).collect::<Vec<_>>());

    // Importing again changes nothing and duplicates nothing.
    let again = import::import_site(&mut library, &corpus, false).unwrap();
    assert!(again.imported.is_empty() && again.updated.is_empty());
    assert_eq!(again.unchanged.len(), originals.len());
    assert_eq!(library.site_posts(None).unwrap().len(), originals.len());

    let site = temp.path().join("site");
    let options = ExportOptions { site: site.clone(), preset: Preset::Keep, status: None, post_ids: None };
    let plan = export::plan(&library, &options).unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.count(ExportAction::Create), originals.len());
    let report = export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert!(report.is_complete(), "{report:?}");
    let exported = files(&site);
    assert_eq!(exported.len(), originals.len());
    for ((path, bytes), (exported_path, exported_bytes)) in originals.iter().zip(&exported) {
        assert_eq!(path, exported_path);
        assert!(bytes == exported_bytes, "{path} differs after the round trip");
    }

    // A second export finds everything unchanged.
    let plan = export::plan(&library, &options).unwrap();
    assert_eq!(plan.count(ExportAction::Unchanged), originals.len());
}

/// Lines that differ between two texts of the same length in lines (a minimal line diff).
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    (
        a[prefix..a.len() - suffix].iter().map(|s| s.to_string()).collect(),
        b[prefix..b.len() - suffix].iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn editing_one_yaml_field_changes_only_its_lines() {
    let Some(corpus) = corpus() else { return };
    let text = std::fs::read_to_string(corpus.join("10years.md")).unwrap();
    let (block, body) = front_matter::split(&text);
    let edited = front_matter::set_value(block, "title", &FieldValue::Text("Go Turns Ten".into()));
    assert_eq!(changed_lines(block, &edited), (vec!["title: Go Turns 10".into()], vec!["title: Go Turns Ten".into()]));
    let edited = front_matter::set_value(block, "summary", &FieldValue::Text("Happy 10th birthday: Go!".into()));
    assert_eq!(
        changed_lines(block, &edited),
        (vec!["summary: Happy 10th birthday, Go!".into()], vec!["summary: \"Happy 10th birthday: Go!\"".into()])
    );
    assert_eq!(front_matter::parse_fields(&edited).summary, "Happy 10th birthday: Go!");
    assert_eq!(format!("{block}{body}"), text);
}

const TOML_POST: &str = r#"+++
# Published on the blog index.
title = "Tracing the scheduler"   # keep this comment
date = 2024-03-01T09:30:00+01:00
weight = 3
tags = ['go', 'runtime']  # literal strings stay literal

[taxonomies]
categories = ["Blog"]

[extra]
# nested tables survive
toc = true
series = { name = "runtime", part = 2 }
+++

Body.
"#;

#[test]
fn editing_one_toml_field_changes_only_its_lines() {
    let (block, _) = front_matter::split(TOML_POST);
    let edited = front_matter::set_value(block, "title", &FieldValue::Text("Tracing the Go scheduler".into()));
    assert_eq!(
        changed_lines(block, &edited),
        (
            vec![r#"title = "Tracing the scheduler"   # keep this comment"#.into()],
            vec![r#"title = "Tracing the Go scheduler"   # keep this comment"#.into()]
        )
    );
    let edited = front_matter::set_value(block, "draft", &FieldValue::Bool(true));
    let (removed, added) = changed_lines(block, &edited);
    assert!(removed.is_empty() && added == vec!["draft = true".to_string()], "{removed:?} {added:?}");
    let edited = front_matter::set_value(block, "categories", &FieldValue::List(vec!["Notes".into()]));
    assert_eq!(changed_lines(block, &edited), (vec![r#"categories = ["Blog"]"#.into()], vec![r#"categories = ["Notes"]"#.into()]));
    let fields = front_matter::parse_fields(&edited);
    assert_eq!(fields.category, "Notes");
    assert_eq!(fields.tags, ["go", "runtime"]);
    assert_eq!(fields.date, "2024-03-01T09:30:00+01:00");
}

#[test]
fn malformed_front_matter_is_imported_raw_with_a_position() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let broken = "---\ntitle: Broken\ntags: [a, b\n---\nStill here.\n";
    std::fs::write(site.join("broken.md"), broken).unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    let report = import::import_site(&mut library, &site, false).unwrap();
    assert_eq!(report.imported.len(), 1);
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].error.line >= 3, "{:?}", report.warnings[0]);
    let post = library.post(report.imported[0].post_id).unwrap();
    assert_eq!(post.text(), broken);
    assert_eq!(post.summary.title, "Broken");
}
