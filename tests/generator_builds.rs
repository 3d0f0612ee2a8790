//! Exports build right with the real generators: the Go blog corpus and a Zola-style fixture
//! (tests/fixtures/zola-blog: `{{`, `{%`, `{{<` in prose, inline and fenced code, dates only in
//! `path`, file names or folders, one post with no date at all) are exported with the `hugo` and
//! `jekyll` presets and built with the real `hugo` and `jekyll`: no errors, no template warnings,
//! one page per exported post, and chosen code blocks keep their exact `{{ … }}` text. One build
//! per generator per site. A missing tool or corpus fails under `CI=true` (tests/common).
mod common;
use std::path::{Path, PathBuf};
use std::time::Instant;

use galley::export::{self, ExportOptions, ExportPlan, PlanInputs, PostChange, Preset, Undated};
use galley::import;
use galley::library::Library;

const HUGO_CONFIG: &str = r#"baseURL = "http://example.org/"
title = "Galley export check"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
buildFuture = true
"#;
const HUGO_SINGLE: &str = "<!doctype html>\n<article data-galley-post>\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n</article>\n";
const HUGO_LIST: &str = "<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>\n";

const JEKYLL_CONFIG: &str = "title: Galley export check\nfuture: true\npermalink: /:year/:month/:day/:title/\n\
defaults:\n  - scope:\n      path: \"\"\n    values:\n      layout: post\n";
const JEKYLL_POST: &str = "<!doctype html>\n<article data-galley-post>\n<h1>{{ page.title }}</h1>\n{{ content }}\n</article>\n";

/// A library holding one imported site.
fn library_of(site: &Path, dir: &Path) -> Library {
    let (mut library, _) = Library::open(&dir.join("library.sqlite3")).unwrap();
    let report = import::import_site(&mut library, site, false).unwrap();
    assert!(!report.imported.is_empty(), "nothing imported from {}", site.display());
    library
}

/// The plan of an export into `site`, posts without a date refused.
fn plan(library: &Library, site: &Path, preset: Preset) -> (ExportPlan, ExportOptions) {
    let options = ExportOptions { site: site.to_path_buf(), preset, status: None, post_ids: None };
    let inputs = PlanInputs::read(library, &options).unwrap().undated(Undated::Refuse);
    (export::plan_from(inputs, &options).unwrap(), options)
}

/// Writes the plan; every post is written but those refused for lack of a date (each named, and
/// each really without any date the site says).
fn export_checked(library: &mut Library, plan: &ExportPlan) -> usize {
    for error in &plan.errors {
        assert!(error.message.contains("has no date"), "post {} {:?}: {}", error.post_id, error.title, error.message);
    }
    let report = export::execute(library, plan, false, &mut |_, _| {}).unwrap();
    assert_eq!(report.errors.len(), plan.errors.len(), "{:?}", report.errors);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(report.created.len(), plan.items.len());
    plan.items.len()
}

fn run(tool: &Path, args: &[&str], dir: &Path) -> String {
    let started = Instant::now();
    let text = common::build_site(tool, args, dir);
    println!("{} {} took {:.1} s", tool.display(), args.join(" "), started.elapsed().as_secs_f64());
    for bad in ["ERROR", "Error", "WARN", "Warning", "Liquid", "shortcode"] {
        assert!(!text.contains(bad), "{} said {bad:?}:\n{text}", tool.display());
    }
    text
}

/// Every built page of a post (the layouts mark them), text only: tags dropped, entities decoded.
fn built_pages(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            built_pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            if html.contains("data-galley-post") {
                out.push(text_of(&html));
            }
        }
    }
}

fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#123;", "{")
        .replace("&#125;", "}")
        .replace("&amp;", "&")
}

fn hugo_site(dir: &Path) -> PathBuf {
    let site = dir.join("hugo-site");
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(site.join("config.toml"), HUGO_CONFIG).unwrap();
    std::fs::write(site.join("layouts/_default/single.html"), HUGO_SINGLE).unwrap();
    std::fs::write(site.join("layouts/_default/list.html"), HUGO_LIST).unwrap();
    site
}

fn jekyll_site(dir: &Path) -> PathBuf {
    let site = dir.join("jekyll-site");
    std::fs::create_dir_all(site.join("_layouts")).unwrap();
    std::fs::write(site.join("_config.yml"), JEKYLL_CONFIG).unwrap();
    std::fs::write(site.join("_layouts/post.html"), JEKYLL_POST).unwrap();
    site
}

/// Builds with Hugo and returns the text of every post page.
fn build_hugo(library: &mut Library, dir: &Path) -> Option<(Vec<String>, ExportPlan)> {
    let hugo = common::hugo()?;
    let site = hugo_site(dir);
    let (plan, _) = plan(library, &site, Preset::Hugo);
    let exported = export_checked(library, &plan);
    run(&hugo, &[], &site);
    let mut pages = Vec::new();
    built_pages(&site.join("public"), &mut pages);
    assert_eq!(pages.len(), exported, "one Hugo page per exported post");
    Some((pages, plan))
}

/// Builds with Jekyll and returns the text of every post page.
fn build_jekyll(library: &mut Library, dir: &Path) -> Option<(Vec<String>, ExportPlan)> {
    let jekyll =
        common::tool("jekyll", "`jekyll` IS NOT INSTALLED (make test installs Debian's jekyll): the real Jekyll build is not checked")?;
    let site = jekyll_site(dir);
    let (plan, _) = plan(library, &site, Preset::Jekyll);
    let exported = export_checked(library, &plan);
    run(&jekyll, &["build", "--safe"], &site);
    let mut pages = Vec::new();
    built_pages(&site.join("_site"), &mut pages);
    assert_eq!(pages.len(), exported, "one Jekyll page per exported post");
    Some((pages, plan))
}

fn page<'a>(pages: &'a [String], title: &str) -> &'a str {
    pages.iter().find(|p| p.contains(title)).unwrap_or_else(|| panic!("no page titled {title:?}"))
}

/// The exact `{{ … }}` texts of the fixture's code that must reach the built pages.
const FIXTURE_CODE: &[(&str, &str)] = &[
    ("Saving registers on ARM", "push {{r0, r1, r4, lr}}"),
    ("Saving registers on ARM", "ldm sp!, {{r4-r7}}"),
    ("Saving registers on ARM", "vpush {{d8-d15}}"),
    ("Saving registers on ARM", "{{< ref \"x\" >}}"),
    ("Three template languages", "{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}"),
    ("Three template languages", "{{< highlight go >}}fmt.Println(\"hi\"){{< /highlight >}}"),
    ("Three template languages", "{% for post in site.posts %}{{ post.title }}{% endfor %}"),
    ("Three template languages", "{{ youtube(id=\"dQw4w9WgXcQ\") }}"),
];

fn check_fixture(pages: &[String], plan: &ExportPlan) {
    for (title, code) in FIXTURE_CODE {
        assert!(page(pages, title).contains(code), "{title}: {code:?} lost in:\n{}", page(pages, title));
    }
    // The undated post is named and refused; the others got their dates from the site.
    assert_eq!(plan.errors.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Notes without a date"]);
    let inferred = |title: &str| {
        plan.items.iter().find(|i| i.title == title).unwrap().changes.iter().find_map(|c| match c {
            PostChange::DateInferred { date, .. } => Some(date.clone()),
            _ => None,
        })
    };
    assert_eq!(inferred("Saving registers on ARM").as_deref(), Some("2014-12-12"));
    assert_eq!(inferred("Three template languages").as_deref(), Some("2013-05-06"));
    assert_eq!(inferred("Dated by its folders").as_deref(), Some("2012-03-04"));
    let protected = |title: &str| {
        plan.items.iter().find(|i| i.title == title).unwrap().changes.iter().any(|c| matches!(c, PostChange::TemplateProtected(_)))
    };
    for title in ["Saving registers on ARM", "Three template languages"] {
        assert!(protected(title), "{title}: template syntax not protected");
    }
}

#[test]
fn the_zola_fixture_builds_with_hugo() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = library_of(&common::repo_path("tests/fixtures/zola-blog"), temp.path());
    let Some((pages, plan)) = build_hugo(&mut library, temp.path()) else { return };
    check_fixture(&pages, &plan);
    let arm = plan.items.iter().find(|i| i.title == "Saving registers on ARM").unwrap();
    assert!(arm.contents().contains("\ndate = 2014-12-12\n"), "the inferred date is written: {}", arm.contents());
}

#[test]
fn the_zola_fixture_builds_with_jekyll() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = library_of(&common::repo_path("tests/fixtures/zola-blog"), temp.path());
    let Some((pages, plan)) = build_jekyll(&mut library, temp.path()) else { return };
    check_fixture(&pages, &plan);
    let arm = plan.items.iter().find(|i| i.title == "Saving registers on ARM").unwrap();
    assert!(arm.path.starts_with("_posts/2014-12-12-"), "named from the inferred date: {}", arm.path);
    assert!(arm.contents().contains("render_with_liquid: false\n"));
}

/// Code of the Go blog with `{{` in it (Go's own template actions inside a code block).
const CORPUS_CODE: &[&str] = &["if n {{raw \"<\"}}= 1 {"];

fn check_corpus(pages: &[String], plan: &ExportPlan) {
    for code in CORPUS_CODE {
        let item = plan.items.iter().find(|i| i.contents().contains(code)).unwrap_or_else(|| panic!("no post holds {code:?}"));
        assert!(page(pages, &item.title).contains(code), "{}: {code:?} lost", item.title);
    }
    let protected = plan.items.iter().filter(|i| i.changes.iter().any(|c| matches!(c, PostChange::TemplateProtected(_)))).count();
    println!("{} of {} posts had template syntax protected", protected, plan.items.len());
}

#[test]
fn the_go_blog_builds_with_hugo_and_jekyll() {
    let Some(corpus) = common::corpus("the Go blog is not built") else { return };
    let temp = tempfile::tempdir().unwrap();
    let mut library = library_of(&corpus, temp.path());
    if let Some((pages, plan)) = build_hugo(&mut library, temp.path()) {
        check_corpus(&pages, &plan);
    }
    if let Some((pages, plan)) = build_jekyll(&mut library, temp.path()) {
        check_corpus(&pages, &plan);
        assert!(plan.items.iter().filter(|i| i.contents().contains("render_with_liquid: false\n")).count() >= 100);
        println!("jekyll built {} Go blog posts; {} refused without a date", pages.len(), plan.errors.len());
    }
}
