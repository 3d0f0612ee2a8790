//! A hostile or clumsy site folder: huge and deep trees, links in the middle of a path, FIFOs and
//! links named like posts, files edited during an export and forced overwrites (a disk that fills
//! up mid-export or mid-import is tested through the CLI in cli/tests/).
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use galley::export::{self, ExportOptions, Preset};
use galley::import;
use galley::library::{Library, Status};
use galley::site::Limits;
use galley::watch::SiteWatcher;

fn post(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n\nBody of {title}.\n")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn library(dir: &Path) -> Library {
    Library::open(&dir.join("library.sqlite3")).unwrap().0
}

fn reasons(skipped: &[galley::import::Skipped], path: &str) -> Vec<String> {
    skipped.iter().filter(|s| s.path == path).map(|s| s.reason.clone()).collect()
}

/// Runs `work` on a thread and fails the test if it does not finish in time (a FIFO opened
/// for reading without O_NONBLOCK would block forever).
fn within<T: Send + 'static>(what: &str, limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.recv_timeout(limit).unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}"))
}

#[test]
fn a_link_in_the_middle_of_a_content_path_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let other = temp.path().join("other-site");
    write(&other.join("content/secret.md"), &post("Secret"));
    let site = temp.path().join("site");
    write(&site.join("astro.config.mjs"), "export default {}\n");
    std::os::unix::fs::symlink(Path::new("../other-site"), site.join("src")).unwrap();
    let lib = library(temp.path());
    let plan = import::plan(&lib, &site).unwrap();
    assert!(plan.items.is_empty(), "a post was read through the link: {:?}", plan.items.iter().map(|i| &i.path).collect::<Vec<_>>());
    let why = reasons(&plan.skipped, "src/content/");
    assert_eq!(why.len(), 1, "{:?}", plan.skipped);
    assert!(why[0].contains("symbolic link"), "{why:?}");
}

#[test]
fn a_fifo_or_a_link_named_like_a_post_is_refused_without_hanging() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    write(&site.join("real.md"), &post("Real"));
    let status = std::process::Command::new("mkfifo").arg(site.join("x.md")).status().expect("mkfifo runs");
    assert!(status.success());
    write(&temp.path().join("target.md"), &post("Outside"));
    std::os::unix::fs::symlink(temp.path().join("target.md"), site.join("y.md")).unwrap();
    let plan_site = site.clone();
    let lib_dir = temp.path().to_path_buf();
    let plan = within("planning the import", Duration::from_secs(10), move || import::plan(&library(&lib_dir), &plan_site).unwrap());
    let paths: Vec<&str> = plan.items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["real.md"]);
    assert_eq!(reasons(&plan.skipped, "x.md"), ["not a regular file"]);
    assert_eq!(reasons(&plan.skipped, "y.md"), ["symbolic link (not followed)"]);
    // The one reader refuses them too when asked for them by name (a swap after a check).
    let fifo_site = site.clone();
    let read = within("reading the FIFO", Duration::from_secs(10), move || galley::site::read_post(&fifo_site, "x.md", 1024));
    assert_eq!(read.unwrap_err(), "not a regular file");
    assert_eq!(galley::site::read_post(&site, "y.md", 1024).unwrap_err(), "symbolic link (not followed)");
}

#[test]
fn deep_trees_stop_at_the_depth_limit_with_a_reason() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let mut deep = site.clone();
    for level in 0..200 {
        deep.push(format!("d{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    write(&deep.join("bottom.md"), &post("Bottom"));
    write(&site.join("d0/d1/shallow.md"), &post("Shallow"));
    let limits = Limits { max_depth: 10, ..Limits::default() };
    let started = Instant::now();
    let scan = import::scan_with(&site, &limits).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(scan.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["d0/d1/shallow.md"]);
    let deepest = scan.skipped.iter().find(|s| s.reason.contains("nested more than 10 folders deep")).expect("a depth reason");
    assert_eq!(deepest.path.matches('/').count(), 11, "{deepest:?}");
    // The default limit is bounded too.
    let scan = import::scan(&site).unwrap();
    assert!(scan.skipped.iter().any(|s| s.reason.contains(&format!("nested more than {} folders deep", galley::site::MAX_DEPTH))));
}

/// A site with `count` folders, each holding one post.
fn wide_site(temp: &Path, count: usize) -> PathBuf {
    let site = temp.join("site");
    for n in 0..count {
        write(&site.join(format!("f{n:04}/post.md")), &post(&format!("Post {n}")));
    }
    site
}

#[test]
fn wide_trees_stop_at_the_folder_limit_with_a_reason() {
    let temp = tempfile::tempdir().unwrap();
    let site = wide_site(temp.path(), 300);
    let limits = Limits { max_folders: 100, ..Limits::default() };
    let scan = import::scan_with(&site, &limits).unwrap();
    // The site folder itself is one of the 100.
    assert_eq!(scan.files.len(), 99);
    let truncated: Vec<_> = scan.skipped.iter().filter(|s| s.reason.contains("more than 100 folders")).collect();
    assert_eq!(truncated.len(), 1, "one reason, not one per folder: {:?}", scan.skipped.len());
    assert_eq!(truncated[0].path, "f0099/");
}

#[test]
fn the_watcher_watches_a_bounded_number_of_folders_and_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let site = wide_site(temp.path(), 300);
    let limits = Limits { max_folders: 100, ..Limits::default() };
    let watcher = SiteWatcher::start_with(&site, &limits, |_| {}).unwrap();
    assert_eq!(watcher.watched_folders(), 100);
    let message = watcher.unwatched().expect("the limit is reported");
    assert!(message.contains("more than 100 folders"), "{message}");
    drop(watcher);
    let small = wide_site(&temp.path().join("small"), 5);
    let watcher = SiteWatcher::start_with(&small, &limits, |_| {}).unwrap();
    assert_eq!(watcher.watched_folders(), 6);
    assert_eq!(watcher.unwatched(), None);
}

#[test]
fn an_import_holds_a_bounded_amount_of_text() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let big = format!("---\ntitle: Big\n---\n\n{}\n", "word ".repeat(60 * 1024));
    for n in 0..10 {
        write(&site.join(format!("big{n}.md")), &big);
    }
    let limits = Limits { max_scan_bytes: 1024 * 1024, ..Limits::default() };
    let scan = import::scan_with(&site, &limits).unwrap();
    let held: usize = scan.files.iter().map(|f| f.text.len()).sum();
    assert!(held < 1024 * 1024 + big.len(), "{held}");
    assert_eq!(scan.files.len(), 4);
    assert_eq!(scan.skipped.len(), 6);
    assert!(scan.skipped.iter().all(|s| s.reason.contains("1 MiB")), "{:?}", scan.skipped);
    // Files over the per-file cap are skipped with their size.
    let limits = Limits { max_file_bytes: 100 * 1024, ..Limits::default() };
    let scan = import::scan_with(&site, &limits).unwrap();
    assert!(scan.files.is_empty());
    assert!(scan.skipped.iter().all(|s| s.reason.starts_with("larger than 100 KiB (")), "{:?}", scan.skipped);
}

fn keep_options(site: &Path) -> ExportOptions {
    ExportOptions { site: site.to_path_buf(), preset: Preset::Keep, status: None, post_ids: None }
}

#[test]
fn a_file_edited_during_an_export_is_not_overwritten() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let mut lib = library(temp.path());
    let first = lib.create_post(&post("First"), Status::Published).unwrap();
    let second = lib.create_post(&post("Second"), Status::Published).unwrap();
    let plan = export::plan(&lib, &keep_options(&site)).unwrap();
    let paths: Vec<(i64, String)> = plan.items.iter().map(|i| (i.post_id, i.path.clone())).collect();
    assert_eq!(paths.iter().map(|p| p.0).collect::<Vec<_>>(), [first, second]);
    let second_file = site.join(&paths[1].1);
    // Someone saves the second file in their editor while Galley writes the first one.
    let mut edited = false;
    let report = export::execute(&mut lib, &plan, false, &mut |done, _| {
        if done == 1 && !edited {
            edited = true;
            std::fs::write(&second_file, "typed elsewhere during the export\n").unwrap();
        }
    })
    .unwrap();
    assert!(edited);
    assert_eq!(report.created, [paths[0].1.clone()]);
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert_eq!(report.conflicts[0].path, paths[1].1);
    assert!(report.conflicts[0].reason.contains("during the export"), "{:?}", report.conflicts);
    assert_eq!(std::fs::read_to_string(&second_file).unwrap(), "typed elsewhere during the export\n");
    assert_temp_free(&site);
    // Not recorded as Galley's: the next dry run still calls it a conflict.
    let again = export::plan(&lib, &keep_options(&site)).unwrap();
    assert_eq!(again.items[1].action, export::ExportAction::Conflict);
    // Export records each file just before its rename; the one not written got its (absent)
    // record back, while the written one is recorded.
    let root_key = site.to_string_lossy();
    let records = lib.site_files(&root_key).unwrap();
    assert!(records.contains_key(&paths[0].1), "{:?}", records.keys());
    assert!(!records.contains_key(&paths[1].1), "the unwritten file kept the export's record: {:?}", records.keys());
}

#[test]
fn a_forced_export_keeps_the_overwritten_text_as_a_revision() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let mut lib = library(temp.path());
    let id = lib.create_post(&post("Forced"), Status::Published).unwrap();
    let report = export::export_site(&mut lib, &keep_options(&site), false).unwrap();
    let file = site.join(&report.created[0]);
    let theirs = "---\ntitle: Forced\n---\n\nRewritten in another editor.\n";
    std::fs::write(&file, theirs).unwrap();
    lib.save_body(id, "\nEdited in Galley.\n").unwrap();
    let refused = export::export_site(&mut lib, &keep_options(&site), false).unwrap();
    assert_eq!(refused.conflicts.len(), 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    let forced = export::export_site(&mut lib, &keep_options(&site), true).unwrap();
    assert_eq!(forced.updated.len(), 1, "{forced:?}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("Edited in Galley."));
    let kept: Vec<_> = lib
        .revisions(id)
        .unwrap()
        .into_iter()
        .filter(|r| r.reason.contains("overwritten by a forced export"))
        .map(|r| lib.revision(r.id).unwrap().text())
        .collect();
    assert_eq!(kept, [theirs]);
    // The post itself keeps Galley's text.
    assert!(lib.post(id).unwrap().text().contains("Edited in Galley."));
}

fn assert_temp_free(site: &Path) {
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".galley-"), "temporary file left: {}", entry.path().display());
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
}

/// The default folder limit with a site past it: bounded in time too. Slow on a loaded machine
/// (6,000 folders are created), so run on demand: `cargo test --test site_hardening -- --ignored`.
#[test]
#[ignore]
fn the_default_folder_limit_bounds_a_site_with_six_thousand_folders() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    for n in 0..6_000 {
        std::fs::create_dir_all(site.join(format!("d{}/f{n}", n % 100))).unwrap();
    }
    let started = Instant::now();
    let watcher = SiteWatcher::start(&site, |_| {}).unwrap();
    let took = started.elapsed();
    assert_eq!(watcher.watched_folders(), galley::site::MAX_FOLDERS);
    assert!(watcher.unwatched().is_some());
    assert!(took < Duration::from_secs(30), "watching took {took:?}");
    eprintln!("watching {} folders took {took:?}", galley::site::MAX_FOLDERS);
}
