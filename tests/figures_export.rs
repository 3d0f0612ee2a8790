//! Export writes a post's files where each generator expects them (issue 12, point 5) and the
//! round trip with `keep` reproduces a site with bundles and static images byte for byte (point 6).
mod common;
#[path = "fixtures/figure_sites.rs"]
mod figure_sites;

use common::files;
use figure_sites::{hugo_site, png, write, zola_site};
use galley::export::{self, ExportAction, ExportOptions, Preset};
use galley::import;
use galley::library::{Library, Status};

fn library(dir: &std::path::Path) -> Library {
    Library::open(&dir.join("library.sqlite3")).unwrap().0
}

fn export_to(library: &mut Library, site: &std::path::Path, preset: Preset) -> export::ExportReport {
    let options = ExportOptions { site: site.to_path_buf(), preset, status: None, post_ids: None };
    let plan = export::plan(library, &options).unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let report = export::execute(library, &plan, false, &mut |_, _| {}).unwrap();
    assert!(report.is_complete(), "{report:?}");
    report
}

fn round_trip(site: &std::path::Path, temp: &std::path::Path) {
    let mut library = library(temp);
    let report = import::import_site(&mut library, site, false).unwrap();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let out = temp.join("out");
    export_to(&mut library, &out, Preset::Keep);
    // Every Markdown and asset file comes back byte for byte (config files and files no post
    // owns are not the library's).
    let expected: Vec<(String, Vec<u8>)> = files(site)
        .into_iter()
        .filter(|(path, _)| !report.skipped.iter().any(|s| s.path == *path) && !path.ends_with(".toml"))
        .filter(|(path, _)| path.ends_with(".md") || report.assets.iter().any(|a| a.path == *path))
        .collect();
    assert_eq!(files(&out), expected);
    // Again: nothing to do.
    let plan = export::plan(&library, &ExportOptions { site: out.clone(), preset: Preset::Keep, status: None, post_ids: None }).unwrap();
    assert_eq!(plan.count_assets(ExportAction::Unchanged), plan.assets.len());
    assert_eq!(plan.count(ExportAction::Unchanged), plan.items.len());
}

#[test]
fn a_zola_site_of_bundles_round_trips_byte_for_byte() {
    let temp = tempfile::tempdir().unwrap();
    let site = zola_site(&temp.path().join("site"));
    round_trip(&site, temp.path());
}

#[test]
fn a_hugo_site_with_bundles_and_static_images_round_trips_byte_for_byte() {
    let temp = tempfile::tempdir().unwrap();
    let site = hugo_site(&temp.path().join("site"));
    round_trip(&site, temp.path());
    // The static image two posts link to is written once, in static/.
    assert!(temp.path().join("out/static/images/abs.png").is_file());
    assert!(!temp.path().join("out/static/images/unused.png").exists(), "no post owns it");
}

fn imported_bundle(temp: &std::path::Path) -> Library {
    let site = hugo_site(&temp.join("site"));
    let mut library = library(temp);
    import::import_site(&mut library, &site, false).unwrap();
    library
}

#[test]
fn hugo_export_makes_leaf_bundles_for_posts_with_files() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_bundle(temp.path());
    let plain = library.create_post("---\ntitle: No images\ndate: 2024-05-02\n---\nText.\n", Status::Published).unwrap();
    let out = temp.path().join("hugo");
    let report = export_to(&mut library, &out, Preset::Hugo);
    assert!(report.assets_written.contains(&"content/posts/a-bundle/diagram.png".to_string()), "{:?}", report.assets_written);
    let text = std::fs::read_to_string(out.join("content/posts/a-bundle/index.md")).unwrap();
    // Only the root-relative link changed; the rest of the text is untouched.
    assert!(text.contains("![Diagram](diagram.png)") && text.contains("![drawing](img/drawing.svg \"Drawing\")"), "{text}");
    assert!(text.contains("![logo](images/abs.png)"), "{text}");
    assert_eq!(std::fs::read(out.join("content/posts/a-bundle/diagram.png")).unwrap(), png(4, 3, 1));
    assert_eq!(std::fs::read(out.join("content/posts/a-bundle/images/abs.png")).unwrap(), png(3, 3, 3));
    assert!(out.join("content/posts/a-bundle/data.csv").is_file());
    assert!(out.join("content/posts/no-images.md").is_file(), "a post without files stays flat");
    let _ = plain;
}

#[test]
fn zola_jekyll_and_astro_put_files_where_they_expect_them() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_bundle(temp.path());
    let zola = temp.path().join("zola");
    export_to(&mut library, &zola, Preset::Zola);
    assert!(zola.join("content/blog/a-bundle/index.md").is_file());
    assert_eq!(std::fs::read(zola.join("content/blog/a-bundle/diagram.png")).unwrap(), png(4, 3, 1));

    let jekyll = temp.path().join("jekyll");
    export_to(&mut library, &jekyll, Preset::Jekyll);
    let post = std::fs::read_to_string(jekyll.join("_posts/2024-05-01-a-bundle.md")).unwrap();
    assert!(post.contains("![Diagram](/assets/a-bundle/diagram.png)"), "{post}");
    assert!(post.contains("![logo](/assets/a-bundle/images/abs.png)"), "{post}");
    assert!(post.contains("[The data](/assets/a-bundle/data.csv)"), "a link to a file of the post follows the file: {post}");
    assert!(post.contains("title: A bundle"), "the front matter is the preset's");
    assert_eq!(std::fs::read(jekyll.join("assets/a-bundle/diagram.png")).unwrap(), png(4, 3, 1));

    let astro = temp.path().join("astro");
    export_to(&mut library, &astro, Preset::Astro);
    let post = std::fs::read_to_string(astro.join("src/content/blog/a-bundle/index.md")).unwrap();
    assert!(post.contains("![Diagram](./diagram.png)") && post.contains("![drawing](./img/drawing.svg \"Drawing\")"), "{post}");
    assert!(astro.join("src/content/blog/a-bundle/img/drawing.svg").is_file());
}

#[test]
fn an_image_changed_outside_galley_is_a_conflict_and_the_dry_run_lists_files() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_bundle(temp.path());
    let out = temp.path().join("hugo");
    export_to(&mut library, &out, Preset::Hugo);
    write(&out, "content/posts/a-bundle/diagram.png", &png(7, 7, 7));
    let options = ExportOptions { site: out.clone(), preset: Preset::Hugo, status: None, post_ids: None };
    let plan = export::plan(&library, &options).unwrap();
    let diagram = plan.assets.iter().find(|a| a.path == "content/posts/a-bundle/diagram.png").unwrap();
    assert_eq!(diagram.action, ExportAction::Conflict);
    assert_eq!(plan.count_assets(ExportAction::Unchanged), plan.assets.len() - 1);
    let report = export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(std::fs::read(out.join("content/posts/a-bundle/diagram.png")).unwrap(), png(7, 7, 7), "left alone");
}

#[test]
fn a_symlink_in_the_target_is_refused_and_nothing_escapes() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = imported_bundle(temp.path());
    let out = temp.path().join("hugo");
    std::fs::create_dir_all(out.join("content/posts")).unwrap();
    let elsewhere = temp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, out.join("content/posts/a-bundle")).unwrap();
    let options = ExportOptions { site: out.clone(), preset: Preset::Hugo, status: None, post_ids: None };
    let plan = export::plan(&library, &options).unwrap();
    assert!(plan.errors.iter().any(|e| e.message.contains("symbolic link")), "{:?}", plan.errors);
    export::execute(&mut library, &plan, false, &mut |_, _| {}).unwrap();
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}
