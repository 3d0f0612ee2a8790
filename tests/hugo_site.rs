//! A real site generator accepts Galley's output: the sample posts and a slice of the Go blog are
//! exported with the `hugo` preset into a minimal offline Hugo site, `hugo` builds it, and every
//! generated page carries the post's title, date and summary. Skips when `hugo` is not installed.
mod common;
use std::collections::HashMap;
use std::path::Path;

use galley::export::{self, ExportOptions, Preset};
use galley::front_matter;
use galley::import;
use galley::library::Library;

const CONFIG: &str = r#"baseURL = "http://example.org/"
title = "Galley export check"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"#;

const SINGLE: &str = r#"<!doctype html>
<article>
<h1 id="title">{{ .Title }}</h1>
<p id="date">{{ .Date.Format "2006-01-02" }}</p>
<p id="summary">{{ .Description }}</p>
</article>
"#;

const LIST: &str = "<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>\n";

fn between<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    let end = html[start..].find(close)? + start;
    Some(&html[start..end])
}

fn unescape(text: &str) -> String {
    text.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#43;", "+")
        .replace("&amp;", "&")
}

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

#[test]
fn hugo_builds_the_exported_site() {
    let Some(hugo) = common::hugo() else { return };
    let temp = tempfile::tempdir().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    let samples = common::repo_path("content");
    let mut ids: Vec<i64> = import::import_site(&mut library, &samples, false).unwrap().imported.iter().map(|f| f.post_id).collect();
    assert!(ids.len() >= 3, "sample posts missing from content/");
    if let Some(corpus) = common::corpus("building the sample posts only") {
        let report = import::import_site(&mut library, &corpus, false).unwrap();
        let with_titles: Vec<i64> =
            report.imported.iter().filter(|f| !library.post(f.post_id).unwrap().summary.title.is_empty()).map(|f| f.post_id).collect();
        ids.extend(with_titles.iter().step_by(with_titles.len() / 20).take(20));
    }

    let site = temp.path().join("site");
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(site.join("config.toml"), CONFIG).unwrap();
    std::fs::write(site.join("layouts/_default/single.html"), SINGLE).unwrap();
    std::fs::write(site.join("layouts/_default/list.html"), LIST).unwrap();
    let options = ExportOptions { site: site.clone(), preset: Preset::Hugo, status: None, post_ids: Some(ids.clone()) };
    let report = export::export_site(&mut library, &options, false).unwrap();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.created.len(), ids.len());

    common::build_site(&hugo, &["--quiet"], &site);

    let mut html = Vec::new();
    pages(&site.join("public/posts"), &mut html);
    let built: HashMap<String, (String, String)> = html
        .iter()
        .filter_map(|page| {
            let title = unescape(between(page, "<h1 id=\"title\">", "</h1>")?);
            let date = between(page, "<p id=\"date\">", "</p>")?.to_string();
            let summary = unescape(between(page, "<p id=\"summary\">", "</p>")?);
            Some((title, (date, summary)))
        })
        .collect();
    for id in &ids {
        let post = library.post(*id).unwrap();
        let fields = front_matter::parse_fields(&post.front_matter);
        let (date, summary) =
            built.get(&fields.title).unwrap_or_else(|| panic!("no page titled {:?} among {} pages", fields.title, built.len()));
        let expected_date = front_matter::normalize_date(&fields.date).unwrap();
        assert_eq!(date, &expected_date[..10], "{}", fields.title);
        assert_eq!(summary, &fields.summary, "{}", fields.title);
    }
    println!("hugo built {} exported posts with the right title, date and summary", ids.len());
}

#[path = "fixtures/figure_sites.rs"]
mod figure_sites;

/// Issue 12: a post with images exported with the hugo preset is a leaf bundle Hugo publishes
/// with its images: every `<img>` of the built page points at a file that exists in `public/`
/// with the image's bytes.
#[test]
fn hugo_builds_a_bundle_post_whose_images_exist() {
    let Some(hugo) = common::hugo() else { return };
    let temp = tempfile::tempdir().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    let source = figure_sites::hugo_site(&temp.path().join("source"));
    import::import_site(&mut library, &source, false).unwrap();

    let site = temp.path().join("site");
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(site.join("config.toml"), CONFIG).unwrap();
    std::fs::write(site.join("layouts/_default/single.html"), "<!doctype html>\n<article>{{ .Content }}</article>\n").unwrap();
    std::fs::write(site.join("layouts/_default/list.html"), LIST).unwrap();
    let options = ExportOptions { site: site.clone(), preset: Preset::Hugo, status: None, post_ids: None };
    let report = export::export_site(&mut library, &options, false).unwrap();
    assert!(report.is_complete(), "{report:?}");

    common::build_site(&hugo, &["--quiet"], &site);
    let page_dir = site.join("public/posts/a-bundle");
    let html = std::fs::read_to_string(page_dir.join("index.html")).unwrap();
    let sources: Vec<&str> = html.split("<img src=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(sources.len(), 3, "{html}");
    for src in sources {
        let file = if let Some(rooted) = src.strip_prefix('/') { site.join("public").join(rooted) } else { page_dir.join(src) };
        assert!(file.is_file(), "{src} of the built page does not exist in public/ ({})", file.display());
    }
    assert_eq!(std::fs::read(page_dir.join("diagram.png")).unwrap(), figure_sites::png(4, 3, 1));
}
