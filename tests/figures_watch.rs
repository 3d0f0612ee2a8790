//! Watching covers images (issue 12, point 7): an image changed or added in a linked bundle (a
//! `git pull`) is reported by the watcher and flows into the library; the post is named as
//! changed so that the app refreshes its preview.
mod common;
#[path = "fixtures/figure_sites.rs"]
mod figure_sites;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use figure_sites::{hugo_site, png, write};
use galley::import;
use galley::library::Library;
use galley::sync;
use galley::watch::{FsChange, SiteWatcher};

#[test]
fn changed_and_new_bundle_images_flow_into_the_library() {
    let temp = tempfile::tempdir().unwrap();
    let site = hugo_site(&temp.path().join("site")).canonicalize().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    let report = import::import_site(&mut library, &site, false).unwrap();
    let bundle = report.imported.iter().find(|f| f.path == "content/posts/bundle/index.md").unwrap().post_id;
    let flat = report.imported.iter().find(|f| f.path == "content/posts/flat.md").unwrap().post_id;

    let (sender, receiver) = mpsc::channel();
    let watcher = SiteWatcher::start(&site, move |batch| {
        let _ = sender.send(batch);
    })
    .unwrap();
    // A pull: one image changes, one appears, the static image changes; a swap file is noise.
    write(&site, "content/posts/bundle/diagram.png", &png(9, 9, 9));
    write(&site, "content/posts/bundle/img/new.png", &png(2, 3, 4));
    write(&site, "content/posts/bundle/.diagram.png.swp", b"swap");
    let wanted = ["content/posts/bundle/diagram.png", "content/posts/bundle/img/new.png"];
    let mut seen: Vec<FsChange> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !wanted.iter().all(|w| seen.iter().any(|c| c.path == *w)) {
        assert!(Instant::now() < deadline, "the watcher did not report the images: {seen:?}");
        if let Ok(batch) = receiver.recv_timeout(Duration::from_millis(100)) {
            seen.extend(batch);
        }
    }
    drop(watcher);
    assert!(!seen.iter().any(|c| c.path.ends_with(".swp")), "{seen:?}");

    // The static image is not in a content folder: the app hands it over from a rescan.
    write(&site, "static/images/abs.png", &png(6, 6, 6));
    let mut changes = seen.clone();
    changes.push(FsChange::changed("static/images/abs.png"));
    let synced = sync::apply_changes(&mut library, &site, &changes, None).unwrap();
    let paths: Vec<&str> = synced.assets.iter().map(|a| a.path.as_str()).collect();
    assert!(paths.contains(&"content/posts/bundle/diagram.png") && paths.contains(&"content/posts/bundle/img/new.png"), "{synced:?}");
    assert!(synced.touches(bundle) && synced.touches(flat), "the posts to refresh: {:?} {synced:?}", synced.changed_posts);
    assert_eq!(library.asset(bundle, "diagram.png").unwrap().unwrap().1, png(9, 9, 9));
    assert_eq!(library.asset(bundle, "img/new.png").unwrap().unwrap().1, png(2, 3, 4));
    assert_eq!(library.asset(flat, "@root/images/abs.png").unwrap().unwrap().1, png(6, 6, 6));
    assert!(synced.updated.is_empty() && synced.imported.is_empty(), "no post text changed: {synced:?}");

    // Nothing new the second time.
    let again = sync::apply_changes(&mut library, &site, &changes, None).unwrap();
    assert!(again.assets.is_empty(), "{again:?}");
}
