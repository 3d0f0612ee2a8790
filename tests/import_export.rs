//! Import and export of site folders: the fixture site (tests/fixtures/site), skipped files with
//! reasons, re-imports, presets, conflicts, symlinks and the Zola preset's documented keys (the
//! `galley import` / `galley export` command line is tested in cli/tests/).
mod common;
use std::path::Path;

use galley::export::{self, ExportAction, ExportOptions, Preset};
use galley::front_matter;
use galley::import::{self, Layout};
use galley::library::{Library, Status};

#[path = "fixtures/site_with_traps.rs"]
mod site_with_traps;
use site_with_traps::{fixture, site_with_traps};

fn open(temp: &Path) -> Library {
    Library::open(&temp.join("library.sqlite3")).unwrap().0
}

#[test]
fn imports_a_hugo_site_with_reasons_and_reimports_without_duplicates() {
    let temp = tempfile::tempdir().unwrap();
    let site = site_with_traps(temp.path());
    let mut library = open(temp.path());
    let plan = import::plan(&library, &site).unwrap();
    assert_eq!(plan.layout, Layout::Hugo);
    let report = import::execute(&mut library, &plan, false).unwrap();
    let imported: Vec<&str> = report.imported.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        imported,
        [
            "content/posts/2022-01-15-jekyll-style-name.md",
            "content/posts/page-bundle/index.md",
            "content/posts/toml-comments.md",
            "content/posts/work-in-progress.md"
        ]
    );
    let reason = |path: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| panic!("{path} not reported as skipped: {:?}", report.skipped))
    };
    assert!(reason("content/posts/latin1.md").contains("UTF-8"));
    assert!(reason("content/posts/huge.md").contains("larger than 5 MiB"));
    assert!(reason("content/posts/link.md").contains("symbolic link"));
    assert!(reason("content/posts/linked-dir").contains("symbolic link"));
    assert!(reason("content/posts/notes.txt").contains("not a Markdown file"));
    // A bundle's files come with its post (issue 12): the bundle's diagram is imported, not skipped.
    assert!(
        report.assets.iter().any(|a| a.path == "content/posts/page-bundle/diagram.png" && a.name == "diagram.png"),
        "{:?}",
        report.assets
    );
    assert!(reason("content/posts/_index.md").contains("section index"));
    assert!(!report.skipped.iter().any(|s| s.path.contains("secret")));

    let posts = library.site_posts(None).unwrap();
    let by_path = |path: &str| posts.iter().find(|p| p.source_path.as_deref() == Some(path)).unwrap();
    assert_eq!(by_path("content/posts/work-in-progress.md").status, Status::Draft);
    let bundle = by_path("content/posts/page-bundle/index.md");
    assert_eq!(bundle.status, Status::Published);
    let summary = library.summary(bundle.id).unwrap();
    assert_eq!(summary.title, "Reading the Go scheduler's trace");
    assert_eq!(summary.summary, "What the runtime trace says about goroutines, Ps and Ms.");
    assert_eq!(summary.category, "Deep dives");
    assert_eq!(summary.tags, ["go", "runtime", "tracing"]);
    let toml = library.summary(by_path("content/posts/toml-comments.md").id).unwrap();
    assert_eq!((toml.category.as_str(), toml.tags.len()), ("Blog", 2));

    // Again: nothing new, nothing duplicated.
    let again = import::import_site(&mut library, &site, false).unwrap();
    assert!(again.imported.is_empty() && again.updated.is_empty() && again.conflicts.is_empty());
    assert_eq!(again.unchanged.len(), 4);
    assert_eq!(library.site_posts(None).unwrap().len(), 4);

    // A file changed on disk updates its post (same id, one more revision).
    let path = site.join("content/posts/toml-comments.md");
    let id = by_path("content/posts/toml-comments.md").id;
    let revisions = library.revision_count(id).unwrap();
    let text = std::fs::read_to_string(&path).unwrap().replace("five orderings", "five memory orderings");
    std::fs::write(&path, &text).unwrap();
    let updated = import::import_site(&mut library, &site, false).unwrap();
    assert_eq!(updated.updated.len(), 1);
    assert_eq!(updated.updated[0].post_id, id);
    assert_eq!(library.post(id).unwrap().text(), text);
    assert!(library.revision_count(id).unwrap() > revisions);

    // Changed in Galley and on disk: a conflict, unless forced.
    let post = library.post(id).unwrap();
    library.save_post(id, &post.front_matter, "Edited in Galley.\n").unwrap();
    std::fs::write(&path, text.replace("Atomics come", "Atomic operations come")).unwrap();
    let conflict = import::import_site(&mut library, &site, false).unwrap();
    assert_eq!(conflict.conflicts.len(), 1);
    assert_eq!(library.post(id).unwrap().body, "Edited in Galley.\n");
    let forced = import::import_site(&mut library, &site, true).unwrap();
    assert_eq!(forced.updated.len(), 1);
    assert!(library.post(id).unwrap().body.contains("Atomic operations come"));
}

fn imported_fixture(temp: &Path) -> Library {
    let mut library = open(temp);
    import::import_site(&mut library, &fixture(), false).unwrap();
    library
}

#[test]
fn keep_writes_the_original_bytes_and_skips_drafts() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_fixture(temp.path());
    let out = temp.path().join("out");
    let options = ExportOptions { site: out.clone(), preset: Preset::Keep, status: None, post_ids: None };
    let report = export::export_site(&mut library, &options, false).unwrap();
    assert_eq!(report.created.len(), 3, "{report:?}");
    for path in &report.created {
        assert_eq!(std::fs::read(out.join(path)).unwrap(), std::fs::read(fixture().join(path)).unwrap(), "{path}");
    }
    assert!(!out.join("content/posts/work-in-progress.md").exists());
    let drafts = ExportOptions { status: Some(Status::Draft), ..options };
    let report = export::export_site(&mut library, &drafts, false).unwrap();
    assert_eq!(report.created, ["content/posts/work-in-progress.md"]);
}

#[test]
fn converting_presets_name_files_from_sanitized_slugs() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_fixture(temp.path());
    let out = temp.path().join("jekyll");
    let options = ExportOptions { site: out.clone(), preset: Preset::Jekyll, status: None, post_ids: None };
    let plan = export::plan(&library, &options).unwrap();
    let mut paths: Vec<&str> = plan.items.iter().map(|i| i.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "_posts/2022-01-15-a-jekyll-style-file-name.md",
            "_posts/2023-07-14-reading-the-go-scheduler-s-trace.md",
            "_posts/2024-02-29-atomics-without-fear.md"
        ]
    );
    export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    let jekyll = std::fs::read_to_string(out.join("_posts/2024-02-29-atomics-without-fear.md")).unwrap();
    let (block, body) = front_matter::split(&jekyll);
    assert!(block.starts_with("---\n"), "{jekyll}");
    let fields = front_matter::parse_fields_checked(block).unwrap();
    assert_eq!(fields.title, "Atomics without fear");
    assert_eq!(fields.tags, ["concurrency", "rust"]);
    assert_eq!(body, "\nAtomics come in five orderings.\n");

    let astro = temp.path().join("astro");
    let options = ExportOptions { site: astro.clone(), preset: Preset::Astro, status: None, post_ids: None };
    export::export_site(&mut library, &options, false).unwrap();
    // The page bundle has an image: Astro gets a folder with the image beside it (issue 12).
    let text = std::fs::read_to_string(astro.join("src/content/blog/reading-the-go-scheduler-s-trace/index.md")).unwrap();
    assert!(astro.join("src/content/blog/reading-the-go-scheduler-s-trace/diagram.png").is_file());
    let parsed = front_matter::parse(front_matter::split(&text).0).unwrap();
    assert_eq!(parsed.get("pubDate").and_then(|v| v.as_str()), Some("2023-07-14T08:00:00Z"));
    assert!(parsed.get("description").is_some());
    assert!(text.contains("# A page bundle: the folder name is the slug.\n"), "comments survive: {text}");
}

#[test]
fn zola_preset_writes_only_documented_front_matter() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_fixture(temp.path());
    if let Some(corpus) = common::corpus("the Zola export is checked on the fixture site only") {
        import::import_site(&mut library, &corpus, false).unwrap();
    }
    let out = temp.path().join("zola");
    let options = ExportOptions { site: out.clone(), preset: Preset::Zola, status: None, post_ids: None };
    let report = export::export_site(&mut library, &options, false).unwrap();
    assert!(report.is_complete(), "{:?}", report.errors);
    assert!(report.created.len() >= 3);
    for path in &report.created {
        assert!(path.starts_with("content/blog/") && path.ends_with(".md"), "{path}");
        let text = std::fs::read_to_string(out.join(path)).unwrap();
        let (block, _) = front_matter::split(&text);
        assert!(block.starts_with("+++\n") && block.ends_with("+++\n"), "{path}");
        let inner = &block[4..block.len() - 4];
        let table: toml::Table = inner.parse().unwrap_or_else(|e| panic!("{path}: {e}\n{inner}"));
        for (key, value) in &table {
            assert!(export::ZOLA_PAGE_KEYS.contains(&key.as_str()), "{path}: undocumented key {key}");
            match key.as_str() {
                "taxonomies" => {
                    let taxonomies = value.as_table().unwrap_or_else(|| panic!("{path}: taxonomies is not a table"));
                    assert!(taxonomies.values().all(|v| v.as_array().is_some_and(|a| a.iter().all(|s| s.is_str()))));
                }
                "extra" => assert!(value.is_table(), "{path}: extra is not a table"),
                "date" | "updated" => assert!(value.is_datetime(), "{path}: {key} is not a TOML date"),
                "title" | "description" | "slug" | "path" | "template" => assert!(value.is_str(), "{path}: {key}"),
                "draft" | "in_search_index" => assert!(value.is_bool(), "{path}: {key}"),
                "weight" => assert!(value.is_integer(), "{path}: {key}"),
                "aliases" | "authors" => assert!(value.is_array(), "{path}: {key}"),
                _ => {}
            }
        }
    }
    let toml_post = std::fs::read_to_string(out.join("content/blog/atomics-without-fear.md")).unwrap();
    let table: toml::Table = front_matter::split(&toml_post).0.trim_matches(|c| c == '+' || c == '\n').parse().unwrap();
    assert_eq!(table["weight"].as_integer(), Some(10));
    assert_eq!(table["extra"]["cover"]["image"].as_str(), Some("cover.png"));
    let bundle = std::fs::read_to_string(out.join("content/blog/reading-the-go-scheduler-s-trace/index.md")).unwrap();
    let table: toml::Table = front_matter::split(&bundle).0.trim_matches(|c| c == '+' || c == '\n').parse().unwrap();
    assert_eq!(table["taxonomies"]["categories"][0].as_str(), Some("Deep dives"));
    assert_eq!(table["extra"]["params"]["series"].as_str(), Some("runtime"));
    assert_eq!(table["aliases"][0].as_str(), Some("/old/scheduler-trace/"));
}

#[test]
fn export_refuses_external_edits_and_symlinks() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_fixture(temp.path());
    let out = temp.path().join("hugo");
    let options = ExportOptions { site: out.clone(), preset: Preset::Hugo, status: None, post_ids: None };
    let report = export::export_site(&mut library, &options, false).unwrap();
    assert_eq!(report.created.len(), 3);
    let target = out.join("content/posts/atomics-without-fear.md");

    // Unchanged on a second run.
    let plan = export::plan(&library, &options).unwrap();
    assert_eq!(plan.count(ExportAction::Unchanged), 3);

    // Galley changed the post: an update.
    let id = plan.items.iter().find(|i| i.path.ends_with("atomics-without-fear.md")).unwrap().post_id;
    let post = library.post(id).unwrap();
    library.save_post(id, &post.front_matter, "New body.\n").unwrap();
    let plan = export::plan(&library, &options).unwrap();
    assert_eq!(plan.count(ExportAction::Update), 1);
    export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert!(std::fs::read_to_string(&target).unwrap().ends_with("New body.\n"));

    // Someone edits the file outside Galley: a conflict, the file is left alone…
    std::fs::write(&target, "edited by hand\n").unwrap();
    library.save_post(id, &post.front_matter, "Newer body.\n").unwrap();
    let plan = export::plan(&library, &options).unwrap();
    let item = plan.items.iter().find(|i| i.post_id == id).unwrap();
    assert_eq!(item.action, ExportAction::Conflict);
    let report = export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "edited by hand\n");
    // …unless forced.
    let report = export::execute(&mut library, &plan, true, &mut |_, _| {}).unwrap();
    assert_eq!(report.updated.len(), 1);
    assert!(std::fs::read_to_string(&target).unwrap().ends_with("Newer body.\n"));

    // A file Galley never wrote is a conflict too.
    let fresh = temp.path().join("fresh");
    std::fs::create_dir_all(fresh.join("content/posts")).unwrap();
    std::fs::write(fresh.join("content/posts/atomics-without-fear.md"), "theirs\n").unwrap();
    let plan = export::plan(&library, &ExportOptions { site: fresh.clone(), ..options.clone() }).unwrap();
    assert_eq!(plan.count(ExportAction::Conflict), 1);

    // A folder inside the site that is a symlink is never followed.
    let linked = temp.path().join("linked");
    let elsewhere = temp.path().join("elsewhere");
    std::fs::create_dir_all(linked.join("content")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, linked.join("content/posts")).unwrap();
    let report = export::export_site(&mut library, &ExportOptions { site: linked, ..options }, true).unwrap();
    assert_eq!(report.errors.len(), 3, "{report:?}");
    assert!(report.errors[0].message.contains("symbolic link"));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // No temporary files are left behind.
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir(out.join("content/posts")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            leftovers.push(name);
        }
    }
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
