//! Import brings a post's files (issue 12, points 2 and 8): Hugo leaf bundles with every resource,
//! Zola colocated assets, static images referenced by root-relative links; bad files are refused
//! with a reason and nothing else is lost.
mod common;
#[path = "fixtures/figure_sites.rs"]
mod figure_sites;

use figure_sites::{hugo_site, png, svg, write, zola_site};
use galley::assets::AssetKind;
use galley::import::{self, ImportAction};
use galley::library::Library;

fn library(dir: &std::path::Path) -> Library {
    Library::open(&dir.join("library.sqlite3")).unwrap().0
}

fn post_id(library: &Library, report: &import::ImportReport, path: &str) -> i64 {
    let _ = library;
    report.imported.iter().chain(&report.updated).find(|f| f.path == path).unwrap_or_else(|| panic!("{path} imported")).post_id
}

#[test]
fn a_hugo_bundle_brings_every_resource_and_the_static_images_it_links() {
    let temp = tempfile::tempdir().unwrap();
    let site = hugo_site(&temp.path().join("site"));
    let mut library = library(temp.path());
    let plan = import::plan(&library, &site).unwrap();
    let listed: Vec<(&str, &str, &str)> = plan.assets.iter().map(|a| (a.post_path.as_str(), a.name.as_str(), a.path.as_str())).collect();
    assert_eq!(
        listed,
        [
            ("content/posts/bundle/index.md", "@root/images/abs.png", "static/images/abs.png"),
            ("content/posts/bundle/index.md", "data.csv", "content/posts/bundle/data.csv"),
            ("content/posts/bundle/index.md", "diagram.png", "content/posts/bundle/diagram.png"),
            ("content/posts/bundle/index.md", "img/drawing.svg", "content/posts/bundle/img/drawing.svg"),
            ("content/posts/flat.md", "@root/images/abs.png", "static/images/abs.png"),
            ("content/posts/second/index.md", "diagram.png", "content/posts/second/diagram.png"),
        ]
    );
    assert!(plan.assets.iter().all(|a| a.action == ImportAction::Create));
    let csv = plan.assets.iter().find(|a| a.name == "data.csv").unwrap();
    assert_eq!(csv.kind, AssetKind::Other);
    assert!(csv.reason.as_deref().unwrap_or("").contains("not an image"), "{:?}", csv.reason);
    assert!(!plan.skipped.iter().any(|s| s.path.ends_with(".png")), "{:?}", plan.skipped);

    let report = import::execute(&mut library, &plan, false).unwrap();
    assert_eq!(report.assets.len(), 6);
    let bundle = post_id(&library, &report, "content/posts/bundle/index.md");
    let second = post_id(&library, &report, "content/posts/second/index.md");
    let flat = post_id(&library, &report, "content/posts/flat.md");
    let (diagram, bytes) = library.asset(bundle, "diagram.png").unwrap().unwrap();
    assert_eq!((diagram.kind, bytes), (AssetKind::Png, png(4, 3, 1)));
    assert_eq!(library.asset(bundle, "img/drawing.svg").unwrap().unwrap().1, svg("drawn"));
    // Two posts, one name, different images: each keeps its own.
    assert_eq!(library.asset(second, "diagram.png").unwrap().unwrap().1, png(2, 2, 2));
    // The shared static image is stored once.
    assert_eq!(library.asset(flat, "@root/images/abs.png").unwrap().unwrap().1, png(3, 3, 3));
    let (blobs, _) = library.asset_storage().unwrap();
    assert_eq!(blobs, 5, "abs.png is kept once for both posts");
    // The unused static image is not a post's.
    assert!(library.assets(flat).unwrap().iter().all(|a| !a.name.contains("unused")));

    // Again: nothing changes. Then an image changes on disk (a git pull): it is updated.
    let again = import::plan(&library, &site).unwrap();
    assert_eq!(again.count_assets(ImportAction::Unchanged), 6, "{:?}", again.assets);
    write(&site, "content/posts/bundle/diagram.png", &png(8, 8, 9));
    write(&site, "content/posts/bundle/extra.png", &png(1, 2, 9));
    let changed = import::plan(&library, &site).unwrap();
    let actions: Vec<(&str, ImportAction)> =
        changed.assets.iter().filter(|a| a.action != ImportAction::Unchanged).map(|a| (a.name.as_str(), a.action)).collect();
    assert_eq!(actions, [("diagram.png", ImportAction::Update), ("extra.png", ImportAction::Create)]);
    import::execute(&mut library, &changed, false).unwrap();
    assert_eq!(library.asset(bundle, "diagram.png").unwrap().unwrap().1, png(8, 8, 9));
    assert!(library.asset(bundle, "extra.png").unwrap().is_some());
}

#[test]
fn zola_colocated_assets_are_imported_with_their_posts() {
    let temp = tempfile::tempdir().unwrap();
    let site = zola_site(&temp.path().join("site"));
    let mut library = library(temp.path());
    let report = import::import_site(&mut library, &site, false).unwrap();
    assert_eq!(report.imported.len(), 3, "{:?}", report.skipped);
    assert_eq!(report.assets.len(), 9);
    let post = post_id(&library, &report, "content/blog/post-2/index.md");
    let names: Vec<String> = library.assets(post).unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["chart.png", "icon.svg", "shots/screen 2.png"]);
}

#[test]
fn bad_files_are_refused_with_a_reason_and_the_rest_is_imported() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    write(&site, "hugo.toml", b"title = 'x'\n");
    write(
        &site,
        "content/posts/bad/index.md",
        b"---\ntitle: Bad\n---\n![](fake.png) ![](../../../../outside.png) ![](/../x.png) ![](big.png) ![](script.svg)\n",
    );
    write(&site, "content/posts/bad/fake.png", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0");
    write(&site, "content/posts/bad/script.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
    write(&site, "content/posts/bad/notes.txt~", b"backup");
    std::fs::write(temp.path().join("outside.png"), png(1, 1, 1)).unwrap();
    let big = std::fs::File::create(site.join("content/posts/bad/big.png")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap(); // sparse: 200 MB without writing them
    write(&site, "content/posts/loose.png", &png(1, 1, 5));
    #[cfg(unix)]
    std::os::unix::fs::symlink(temp.path().join("outside.png"), site.join("content/posts/bad/link.png")).unwrap();

    let mut library = library(temp.path());
    let plan = import::plan(&library, &site).unwrap();
    let reason = |path: &str| {
        plan.skipped
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| panic!("{path} skipped: {:?}", plan.skipped))
    };
    assert!(reason("content/posts/bad/big.png").contains("larger than 25 MiB"), "{}", reason("content/posts/bad/big.png"));
    assert!(reason("content/posts/loose.png").contains("not a Markdown file, nor a file of a page bundle"));
    assert!(reason("content/posts/bad/notes.txt~").contains("temporary"));
    #[cfg(unix)]
    assert!(reason("content/posts/bad/link.png").contains("symbolic link"));
    let names: Vec<(&str, AssetKind)> = plan.assets.iter().map(|a| (a.name.as_str(), a.kind)).collect();
    assert_eq!(names, [("fake.png", AssetKind::Other), ("script.svg", AssetKind::Svg)], "nothing outside the site is read");
    let report = import::execute(&mut library, &plan, false).unwrap();
    assert_eq!(report.imported.len(), 1);
    let post = report.imported[0].post_id;
    assert_eq!(library.asset(post, "fake.png").unwrap().unwrap().0.kind, AssetKind::Other);
    // The SVG is kept byte for byte (the preview shows it only as an image, so its script never runs).
    assert!(library.asset(post, "script.svg").unwrap().unwrap().1.starts_with(b"<svg"));
}

#[test]
fn a_bundle_of_two_thousand_images_imports() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    write(&site, "hugo.toml", b"title = 'x'\n");
    write(&site, "content/posts/many/index.md", b"---\ntitle: Many\n---\n![](img-0.png)\n");
    for n in 0..2000u32 {
        write(&site, &format!("content/posts/many/img-{n}.png"), &png(1, 1, (n % 251) as u8));
    }
    let mut library = library(temp.path());
    let report = import::import_site(&mut library, &site, false).unwrap();
    assert_eq!(report.assets.len(), 2000);
    assert_eq!(library.assets(report.imported[0].post_id).unwrap().len(), 2000);
    assert_eq!(library.asset_storage().unwrap().0, 251, "identical images are stored once");
}
