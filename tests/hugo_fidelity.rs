//! The Hugo dialect against real Hugo: the Go blog corpus exported with the `hugo` preset, built by
//! `hugo` with a layout printing only `{{ .Content }}`, each page compared with Galley's render of
//! the exported file in the dialect read from the site's config (tags, text, href/src/alt/align).
mod common;
#[path = "common/html_norm.rs"]
mod html_norm;

use std::path::Path;

use galley::export::{self, ExportOptions, Preset};
use galley::front_matter;
use galley::import;
use galley::library::Library;
use galley::render::{render_html_in, Flavor};
use html_norm::normalize_site;

/// Hugo's defaults for Markdown (nothing under `markup`), only the page kinds this test reads.
const CONFIG: &str = r#"baseURL = "http://example.org/"
title = "Galley fidelity check"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
"#;

/// The page is the content file's path on one line, then the rendered Markdown.
const SINGLE: &str = "{{ .File.Path }}\n{{ .Content }}";

/// Share of posts that must be identical under the comparison.
const REQUIRED: f64 = 0.95;

fn pages(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.file_name().is_some_and(|n| n == "index.html") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// Where two normalized pages first differ, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let window = |s: &str| {
        let mut start = at.saturating_sub(60);
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 100).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s[start..end].to_string()
    };
    format!("  hugo:   …{}…\n  galley: …{}…", window(a), window(b))
}

#[test]
fn the_hugo_dialect_renders_the_go_blog_as_hugo_does() {
    let Some(hugo) = common::hugo() else { return };
    let Some(corpus) = common::corpus("the Hugo fidelity is not measured") else { return };
    let temp = tempfile::tempdir().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    import::import_site(&mut library, &corpus, false).unwrap();

    let site = temp.path().join("site");
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(site.join("hugo.toml"), CONFIG).unwrap();
    std::fs::write(site.join("layouts/_default/single.html"), SINGLE).unwrap();
    std::fs::write(site.join("layouts/_default/list.html"), "").unwrap();
    let options = ExportOptions { site: site.clone(), preset: Preset::Hugo, status: None, post_ids: None };
    // Undated posts (the corpus's redirect stubs) get today's date: what is compared here is the
    // rendering, not the dates (tests/generator_builds.rs checks that they are refused by default).
    let inputs = export::PlanInputs::read(&library, &options).unwrap().undated(export::Undated::Today);
    let plan = export::plan_from(inputs, &options).unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let report = export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert!(report.is_complete(), "{report:?}");

    let dialect = galley::site_config::read_site_config(&site).dialect.expect("hugo.toml names Hugo");
    assert_eq!(dialect.flavor, Flavor::Hugo);

    common::build_site(&hugo, &["--quiet", "--buildDrafts", "--buildFuture", "--buildExpired"], &site);

    let mut built = Vec::new();
    pages(&site.join("public"), &mut built);
    assert!(built.len() * 10 >= report.created.len() * 9, "hugo built {} pages for {} exported posts", built.len(), report.created.len());
    let mut identical = 0usize;
    let mut similarity = 0f64;
    let mut differences = Vec::new();
    for page in &built {
        let (path, content) = page.split_once('\n').unwrap_or((page, ""));
        let source = std::fs::read_to_string(site.join("content").join(path.trim())).unwrap();
        let (_, body) = front_matter::split(&source);
        let ours = normalize_site(&render_html_in(body, &dialect));
        let theirs = normalize_site(content);
        similarity +=
            similar::TextDiff::configure().timeout(std::time::Duration::from_millis(200)).diff_chars(&theirs, &ours).ratio() as f64;
        if ours == theirs {
            identical += 1;
        } else {
            differences.push(format!("{path}\n{}", first_difference(&theirs, &ours)));
        }
    }
    let share = identical as f64 / built.len() as f64;
    eprintln!(
        "hugo fidelity: {identical} of {} posts identical ({:.1} %), mean similarity {:.4}",
        built.len(),
        share * 100.0,
        similarity / built.len() as f64
    );
    for difference in &differences {
        eprintln!("{difference}");
    }
    assert!(share >= REQUIRED, "only {identical} of {} posts identical to hugo's page; differences above", built.len());
}
