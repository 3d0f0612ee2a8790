//! Site folder sync with real file-system events in temporary folders: editors' save patterns,
//! bursts, deletions, symlinks, Galley's own exports, conflicts and their resolutions.
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use galley::export::{self, ExportOptions, Preset};
use galley::import;
use galley::library::{Library, Status};
use galley::site::policy::{is_temporary, is_watched_file};
use galley::sync::{self, apply_changes, resolve_conflict, OpenPost, Resolution, SyncReport};
use galley::watch::{FsChange, FsChangeKind, SiteWatcher};

/// How long a test waits for the watcher before failing (slow, shared machines).
const DEADLINE: Duration = Duration::from_secs(15);

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    library: Library,
}

/// Everything the watcher reported and the sync did, in order.
#[derive(Default)]
struct Seen {
    batches: Vec<Vec<FsChange>>,
    reports: Vec<SyncReport>,
}

impl Seen {
    fn paths(&self) -> Vec<String> {
        self.batches.iter().flatten().map(|c| c.path.clone()).collect()
    }
    fn conflicts(&self) -> Vec<&sync::Conflict> {
        self.reports.iter().flat_map(|r| &r.conflicts).collect()
    }
}

fn text(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

impl Site {
    /// A plain folder of Markdown files, imported into a fresh library.
    fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let root = root.canonicalize().unwrap();
        for (path, contents) in files {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, contents).unwrap();
        }
        let (mut library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
        let report = import::import_site(&mut library, &root, false).unwrap();
        assert_eq!(report.imported.len(), files.len());
        Site { _dir: dir, root, library }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, contents: &str) {
        std::fs::write(self.path(rel), contents).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn post_of(&self, rel: &str) -> i64 {
        let posts = self.library.site_posts(None).unwrap();
        posts.iter().find(|p| p.source_path.as_deref() == Some(rel)).map(|p| p.id).unwrap_or_else(|| panic!("no post for {rel}"))
    }

    fn post_text(&self, id: i64) -> String {
        self.library.post(id).unwrap().text()
    }

    fn post_count(&self) -> usize {
        self.library.site_posts(None).unwrap().len()
    }

    fn watch(&self) -> (SiteWatcher, Receiver<Vec<FsChange>>) {
        let (sender, receiver) = mpsc::channel();
        let watcher = SiteWatcher::start(&self.root, move |batch| {
            let _ = sender.send(batch);
        })
        .unwrap();
        (watcher, receiver)
    }

    /// Applies every batch the watcher reports until `done` holds, or fails after [`DEADLINE`].
    fn pump_until(&mut self, receiver: &Receiver<Vec<FsChange>>, what: &str, mut done: impl FnMut(&Site, &Seen) -> bool) -> Seen {
        let mut seen = Seen::default();
        let start = Instant::now();
        loop {
            match receiver.recv_timeout(Duration::from_millis(50)) {
                Ok(batch) => {
                    assert!(!batch.is_empty(), "empty batch");
                    let report = apply_changes(&mut self.library, &self.root, &batch, None).unwrap();
                    seen.batches.push(batch);
                    seen.reports.push(report);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => panic!("watcher stopped while waiting for {what}"),
            }
            if done(self, &seen) {
                return seen;
            }
            assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}; batches: {:?}", seen.batches);
        }
    }
}

fn revision_reasons(library: &Library, id: i64) -> Vec<String> {
    library.revisions(id).unwrap().into_iter().map(|r| r.reason).collect()
}

fn revision_texts(library: &Library, id: i64) -> Vec<String> {
    library.revisions(id).unwrap().into_iter().map(|r| library.revision(r.id).unwrap().text()).collect()
}

#[test]
fn names_editors_use_for_temporary_files_are_ignored() {
    for name in [
        ".a.md.swp",
        ".a.md.swx",
        "a.md~",
        "4913",
        "#a.md#",
        ".#a.md",
        "a.md.tmp",
        "a.md___jb_tmp___",
        "a.md___jb_old___",
        ".a.md.galley-1-2.tmp",
        "a.md.kate-swp",
    ] {
        assert!(is_temporary(name), "{name}");
        assert!(!is_watched_file(name), "{name}");
    }
    for path in ["a.md", "posts/b.markdown", "content/posts/c.MD", "2024/notes.mdown"] {
        assert!(is_watched_file(path), "{path}");
    }
    for path in [".git/x.md", "a/.hidden/b.md", "node_modules/pkg/README.md", "notes.txt", "public/index.md"] {
        assert!(!is_watched_file(path), "{path}");
    }
}

#[test]
fn in_place_write_updates_the_post_as_a_new_revision() {
    let mut site = Site::new(&[("a.md", &text("A", "First.")), ("b.md", &text("B", "Other."))]);
    let id = site.post_of("a.md");
    let (_watcher, events) = site.watch();
    let new = text("A", "First, fixed in vim.");
    {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().write(true).truncate(true).open(site.path("a.md")).unwrap();
        file.write_all(new.as_bytes()).unwrap();
    }
    let seen = site.pump_until(&events, "the post to take the new text", |s, _| s.post_text(id) == new);
    assert!(seen.paths().iter().all(|p| p == "a.md"), "{:?}", seen.batches);
    assert!(seen.reports.iter().any(|r| r.touches(id) && r.updated.iter().any(|u| u.post_id == id)));
    assert_eq!(revision_reasons(&site.library, id)[0], "changed on disk: a.md");
    assert_eq!(site.post_count(), 2);
}

#[test]
fn vim_style_save_with_swap_file_and_rename_is_one_change() {
    let mut site = Site::new(&[("post.md", &text("Vim", "Old."))]);
    let id = site.post_of("post.md");
    let (_watcher, events) = site.watch();
    // What vim does with `backupcopy=auto` and `writebackup`: a swap file while editing, a probe
    // file `4913`, the original renamed to a backup, the new text written, the backup removed.
    site.write(".post.md.swp", "swap");
    site.write("4913", "");
    std::fs::remove_file(site.path("4913")).unwrap();
    std::fs::rename(site.path("post.md"), site.path("post.md~")).unwrap();
    let new = text("Vim", "New from vim.");
    site.write("post.md", &new);
    std::fs::remove_file(site.path("post.md~")).unwrap();
    let seen = site.pump_until(&events, "the vim save", |s, _| s.post_text(id) == new);
    assert!(seen.paths().iter().all(|p| p == "post.md"), "{:?}", seen.batches);
    assert!(site.library.missing_site_files(site.root.to_str().unwrap()).unwrap().is_empty());
    assert_eq!(site.post_count(), 1);
    assert!(seen.conflicts().is_empty());
}

#[test]
fn write_temp_then_rename_over_is_a_change() {
    let mut site = Site::new(&[("notes/code.md", &text("Code", "Old."))]);
    let id = site.post_of("notes/code.md");
    let (_watcher, events) = site.watch();
    // VS Code / JetBrains style: the new text goes to a temporary file that is renamed over.
    let new = text("Code", "Saved atomically.");
    site.write("notes/code.md.tmp", &new);
    std::fs::rename(site.path("notes/code.md.tmp"), site.path("notes/code.md")).unwrap();
    site.pump_until(&events, "the first atomic save", |s, _| s.post_text(id) == new);
    let newer = text("Code", "Saved atomically, twice.");
    site.write("notes/code.md___jb_tmp___", &newer);
    std::fs::rename(site.path("notes/code.md___jb_tmp___"), site.path("notes/code.md")).unwrap();
    let seen = site.pump_until(&events, "the second atomic save", |s, _| s.post_text(id) == newer);
    assert!(seen.paths().iter().all(|p| p == "notes/code.md"), "{:?}", seen.batches);
    assert_eq!(site.post_count(), 1);
}

#[test]
fn delete_then_create_is_a_change_not_a_missing_post() {
    let mut site = Site::new(&[("a.md", &text("A", "Old."))]);
    let id = site.post_of("a.md");
    let (_watcher, events) = site.watch();
    std::fs::remove_file(site.path("a.md")).unwrap();
    let new = text("A", "Recreated.");
    site.write("a.md", &new);
    site.pump_until(&events, "the recreated file", |s, _| s.post_text(id) == new);
    assert_eq!(site.post_count(), 1);
    assert!(site.library.missing_site_files(site.root.to_str().unwrap()).unwrap().is_empty());
}

#[test]
fn a_burst_of_100_changes_settles_into_the_final_state() {
    let files: Vec<(String, String)> = (0..100).map(|i| (format!("posts/p{i:03}.md"), text(&format!("P{i}"), "Before."))).collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let mut site = Site::new(&borrowed);
    let (_watcher, events) = site.watch();
    // A `git checkout`: every file rewritten, some twice, some through a rename.
    for (i, (path, _)) in files.iter().enumerate() {
        site.write(path, &text(&format!("P{i}"), "Intermediate."));
        let last = text(&format!("P{i}"), &format!("After {i}."));
        if i % 3 == 0 {
            let temp = format!("{path}.tmp");
            site.write(&temp, &last);
            std::fs::rename(site.path(&temp), site.path(path)).unwrap();
        } else {
            site.write(path, &last);
        }
    }
    let ids: Vec<i64> = files.iter().map(|(p, _)| site.post_of(p)).collect();
    let seen = site.pump_until(&events, "all 100 posts to settle", |s, _| {
        ids.iter().enumerate().all(|(i, id)| s.post_text(*id) == text(&format!("P{i}"), &format!("After {i}.")))
    });
    assert_eq!(site.post_count(), 100);
    assert!(seen.conflicts().is_empty());
    assert!(seen.paths().iter().all(|p| p.starts_with("posts/p") && p.ends_with(".md")), "{:?}", seen.paths());
    // Settled: far fewer batches than events (each file was touched at least twice).
    eprintln!("100 files settled in {} batches", seen.batches.len());
    assert!(seen.batches.len() < 100, "{} batches", seen.batches.len());
}

#[test]
fn a_deleted_file_marks_its_post_missing_and_a_returning_file_clears_it() {
    let original = text("Gone", "Soon deleted.");
    let mut site = Site::new(&[("gone.md", &original), ("stay.md", &text("Stay", "Here."))]);
    let id = site.post_of("gone.md");
    let root_key = site.root.to_str().unwrap().to_string();
    let (_watcher, events) = site.watch();
    std::fs::remove_file(site.path("gone.md")).unwrap();
    let seen = site.pump_until(&events, "the missing flag", |s, _| !s.library.missing_site_files(&root_key).unwrap().is_empty());
    assert!(seen.batches.iter().flatten().any(|c| c.path == "gone.md" && c.kind == FsChangeKind::Removed));
    let missing = site.library.missing_site_files(&root_key).unwrap();
    assert_eq!((missing[0].path.as_str(), missing[0].post_id), ("gone.md", id));
    assert_eq!(site.library.post_missing_from_site(id).unwrap().len(), 1);
    assert_eq!(site.post_text(id), original, "the post stays");
    // The list says so for that post only (the app shows a badge from it).
    let flagged = |site: &Site| -> Vec<(i64, bool)> {
        site.library.list(None).unwrap().iter().map(|p| (p.id, p.missing_on_site)).filter(|&(_, missing)| missing).collect()
    };
    assert_eq!(flagged(&site), vec![(id, true)]);
    site.write("gone.md", &original);
    site.pump_until(&events, "the flag to clear", |s, _| s.library.missing_site_files(&root_key).unwrap().is_empty());
    assert!(site.library.post_missing_from_site(id).unwrap().is_empty());
    assert!(flagged(&site).is_empty());
    assert_eq!(site.post_count(), 2);
}

#[test]
fn a_moved_file_keeps_its_post() {
    let original = text("Moved", "Same bytes.");
    let mut site = Site::new(&[("drafts/moved.md", &original)]);
    let id = site.post_of("drafts/moved.md");
    let root_key = site.root.to_str().unwrap().to_string();
    let (_watcher, events) = site.watch();
    std::fs::create_dir(site.path("published")).unwrap();
    std::fs::rename(site.path("drafts/moved.md"), site.path("published/moved.md")).unwrap();
    site.pump_until(&events, "the move", |s, seen| {
        seen.reports.iter().any(|r| r.moved.iter().any(|m| m.post_id == id && m.to == "published/moved.md"))
            && s.library.missing_site_files(&root_key).unwrap().is_empty()
    });
    assert_eq!(site.post_count(), 1);
    assert_eq!(site.post_of("published/moved.md"), id);
}

#[test]
fn new_files_become_posts_and_non_posts_are_ignored() {
    let mut site = Site::new(&[("a.md", &text("A", "One."))]);
    let (_watcher, events) = site.watch();
    site.write("new.md", &text("New", "Written in a terminal."));
    site.write("notes.txt", "not markdown");
    site.write(".hidden.md", "hidden");
    site.write("#new.md#", "emacs autosave");
    std::fs::create_dir(site.path("node_modules")).unwrap();
    site.write("node_modules/README.md", "dependency");
    std::fs::create_dir(site.path(".git")).unwrap();
    site.write(".git/COMMIT_EDITMSG.md", "git");
    let seen = site.pump_until(&events, "the new post", |s, _| s.post_count() == 2);
    let id = site.post_of("new.md");
    assert_eq!(site.library.post(id).unwrap().summary.title, "New");
    assert!(seen.paths().iter().all(|p| p == "new.md"), "{:?}", seen.paths());
}

#[cfg(unix)]
#[test]
fn paths_behind_symlinks_are_ignored() {
    let mut site = Site::new(&[("a.md", &text("A", "One."))]);
    let outside = site._dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), text("Secret", "Outside the site.")).unwrap();
    let (_watcher, events) = site.watch();
    std::os::unix::fs::symlink(outside.join("secret.md"), site.path("link.md")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("linked")).unwrap();
    std::fs::write(outside.join("secret.md"), text("Secret", "Changed outside.")).unwrap();
    std::fs::write(outside.join("more.md"), text("More", "Also outside.")).unwrap();
    // A sentinel after the links: once it is imported, the links' events have been seen too.
    site.write("sentinel.md", &text("Sentinel", "Real file."));
    let seen = site.pump_until(&events, "the sentinel", |s, _| s.post_count() == 2);
    assert!(seen.paths().iter().all(|p| p == "sentinel.md"), "{:?}", seen.paths());
    for report in &seen.reports {
        assert!(report.imported.iter().all(|f| f.path == "sentinel.md"));
    }
    assert!(site.library.site_posts(None).unwrap().iter().all(|p| p.title != "Secret" && p.title != "More"));
    // A full comparison does not follow them either.
    let changes = sync::scan_changes(&site.library, &site.root).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn galleys_own_export_is_not_an_external_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    let root = root.canonicalize().unwrap();
    let (library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    let mut site = Site { _dir: dir, root, library };
    let id = site.library.create_post(&text("Exported", "From Galley."), Status::Published).unwrap();
    let options = ExportOptions { site: site.root.clone(), preset: Preset::Keep, status: None, post_ids: None };
    export::export_site(&mut site.library, &options, false).unwrap();
    let (_watcher, events) = site.watch();
    // Galley edits and exports again while the watcher runs.
    site.library.save_body(id, "\nEdited in Galley and exported.\n").unwrap();
    let report = export::export_site(&mut site.library, &options, false).unwrap();
    assert_eq!(report.updated.len(), 1);
    let revisions_before = site.library.revision_count(id).unwrap();
    site.write("sentinel.md", &text("Sentinel", "Real file."));
    let seen = site.pump_until(&events, "the sentinel", |s, _| s.post_count() == 2);
    for report in &seen.reports {
        assert!(report.conflicts.is_empty() && report.updated.is_empty(), "{report:?}");
        assert!(report.imported.iter().all(|f| f.path == "sentinel.md"), "{report:?}");
        assert!(!report.touches(id));
    }
    assert_eq!(site.library.revision_count(id).unwrap(), revisions_before);
    assert_eq!(site.post_text(id), text("Exported", "Edited in Galley and exported."));
}

/// A post edited in Galley whose file is then changed on disk: the watcher reports a conflict.
fn conflicted() -> (Site, i64, String, String) {
    let mut site = Site::new(&[("c.md", &text("C", "Base."))]);
    let id = site.post_of("c.md");
    let ours = text("C", "Ours, typed in Galley.");
    let theirs = text("C", "Theirs, from a git pull.");
    let (block, body) = galley::front_matter::split(&ours);
    site.library.save_post(id, block, body).unwrap();
    let (watcher, events) = site.watch();
    site.write("c.md", &theirs);
    let seen = site.pump_until(&events, "the conflict", |_, seen| !seen.conflicts().is_empty());
    drop(watcher);
    let conflict = seen.conflicts()[0].clone();
    assert_eq!((conflict.post_id, conflict.path.as_str()), (id, "c.md"));
    assert_eq!((conflict.ours.as_str(), conflict.theirs.as_str()), (ours.as_str(), theirs.as_str()));
    assert!(conflict.inserted >= 1 && conflict.deleted >= 1 && !conflict.hunks.is_empty());
    // Neither side was touched.
    assert_eq!(site.post_text(id), ours);
    assert_eq!(site.read("c.md"), theirs);
    // Asking again reports it again: nothing was settled behind the writer's back.
    let again = apply_changes(&mut site.library, &site.root, &[FsChange::changed("c.md")], None).unwrap();
    assert_eq!(again.conflicts.len(), 1);
    assert!(again.changed_posts.is_empty());
    (site, id, ours, theirs)
}

#[test]
fn conflict_keep_mine_writes_ours_and_keeps_theirs_as_a_revision() {
    let (mut site, id, ours, theirs) = conflicted();
    let resolved = resolve_conflict(&mut site.library, &site.root, id, "c.md", Resolution::KeepMine).unwrap();
    assert!(resolved.written && resolved.new_post_id.is_none());
    assert_eq!(site.read("c.md"), ours);
    assert_eq!(site.post_text(id), ours);
    assert!(revision_texts(&site.library, id).contains(&theirs));
    // In step: the write Galley just made is not a change.
    let after = apply_changes(&mut site.library, &site.root, &[FsChange::changed("c.md")], None).unwrap();
    assert!(after.is_quiet() && after.unchanged == vec!["c.md".to_string()], "{after:?}");
    // And a later edit on disk flows in again.
    let later = text("C", "Later, from vim.");
    site.write("c.md", &later);
    let report = apply_changes(&mut site.library, &site.root, &[FsChange::changed("c.md")], None).unwrap();
    assert_eq!(report.updated.len(), 1);
    assert_eq!(site.post_text(id), later);
}

#[test]
fn conflict_take_theirs_keeps_ours_as_a_revision() {
    let (mut site, id, ours, theirs) = conflicted();
    let resolved = resolve_conflict(&mut site.library, &site.root, id, "c.md", Resolution::TakeTheirs).unwrap();
    assert!(!resolved.written);
    assert_eq!(site.post_text(id), theirs);
    assert_eq!(site.read("c.md"), theirs);
    assert!(revision_texts(&site.library, id).contains(&ours));
    let after = apply_changes(&mut site.library, &site.root, &[FsChange::changed("c.md")], None).unwrap();
    assert!(after.is_quiet(), "{after:?}");
}

#[test]
fn conflict_keep_both_makes_theirs_a_new_post() {
    let (mut site, id, ours, theirs) = conflicted();
    let resolved = resolve_conflict(&mut site.library, &site.root, id, "c.md", Resolution::KeepBoth).unwrap();
    let new_id = resolved.new_post_id.unwrap();
    assert_eq!(site.post_text(id), ours);
    assert_eq!(site.post_text(new_id), theirs);
    assert_eq!(site.library.summary(new_id).unwrap().status, Status::Draft);
    assert_eq!(site.read("c.md"), theirs, "the file is left alone");
    let after = apply_changes(&mut site.library, &site.root, &[FsChange::changed("c.md")], None).unwrap();
    assert!(after.is_quiet(), "{after:?}");
    // The next export writes the post over the file (theirs lives on in the new post).
    let options = ExportOptions { site: site.root.clone(), preset: Preset::Keep, status: None, post_ids: Some(vec![id]) };
    let report = export::export_site(&mut site.library, &options, false).unwrap();
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_eq!(site.read("c.md"), ours);
}

#[test]
fn unsaved_editor_text_counts_as_a_change_in_galley() {
    let mut site = Site::new(&[("e.md", &text("E", "Base."))]);
    let id = site.post_of("e.md");
    let typing = text("E", "Typed, not saved yet.");
    let theirs = text("E", "Changed on disk.");
    site.write("e.md", &theirs);
    let open = OpenPost { post_id: id, text: &typing };
    let report = apply_changes(&mut site.library, &site.root, &[FsChange::changed("e.md")], Some(open)).unwrap();
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].ours, typing);
    assert_eq!(site.post_text(id), typing, "the editor's text was saved, not lost");
    // With the editor in step with the library, a disk change flows in.
    let mut site = Site::new(&[("e.md", &text("E", "Base."))]);
    let id = site.post_of("e.md");
    site.write("e.md", &theirs);
    let same = text("E", "Base.");
    let open = OpenPost { post_id: id, text: &same };
    let report = apply_changes(&mut site.library, &site.root, &[FsChange::changed("e.md")], Some(open)).unwrap();
    assert!(report.conflicts.is_empty() && report.touches(id));
    assert_eq!(site.post_text(id), theirs);
}

#[test]
fn scan_changes_catches_up_with_edits_made_while_galley_was_closed() {
    let mut site = Site::new(&[("a.md", &text("A", "One.")), ("b.md", &text("B", "Two.")), ("c.md", &text("C", "Three."))]);
    let (a, b) = (site.post_of("a.md"), site.post_of("b.md"));
    site.write("a.md", &text("A", "Edited while closed."));
    std::fs::remove_file(site.path("b.md")).unwrap();
    site.write("d.md", &text("D", "New while closed."));
    let changes = sync::scan_changes(&site.library, &site.root).unwrap();
    assert_eq!(changes, vec![FsChange::changed("a.md"), FsChange::removed("b.md"), FsChange::changed("d.md")],);
    let report = apply_changes(&mut site.library, &site.root, &[FsChange::rescan()], None).unwrap();
    assert_eq!(report.updated.len(), 1);
    assert_eq!(report.missing[0].post_id, b);
    assert_eq!(report.imported.len(), 1);
    assert_eq!(site.post_text(a), text("A", "Edited while closed."));
    assert!(sync::scan_changes(&site.library, &site.root).unwrap().is_empty());
}

#[test]
fn dropping_the_watcher_stops_it() {
    let site = Site::new(&[("a.md", &text("A", "One."))]);
    let (watcher, events) = site.watch();
    drop(watcher);
    site.write("a.md", &text("A", "After the watcher stopped."));
    // The callback (and its sender) is gone once drop returns: the channel reports disconnection,
    // never a batch.
    match events.recv_timeout(DEADLINE) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => panic!("expected a stopped watcher, got {other:?}"),
    }
}

#[test]
fn hugo_sites_are_watched_in_their_content_folder() {
    let mut site = Site::new(&[("content/posts/a.md", &text("A", "One."))]);
    std::fs::write(site.path("hugo.toml"), "title = 'x'\n").unwrap();
    let (_watcher, events) = site.watch();
    std::fs::create_dir_all(site.path("themes/t")).unwrap();
    site.write("themes/t/README.md", "theme readme");
    site.write("README.md", "# The site's readme");
    std::fs::create_dir_all(site.path("content/posts/2024")).unwrap();
    site.write("content/posts/2024/new.md", &text("New", "In a new folder."));
    let seen = site.pump_until(&events, "the new post", |s, _| s.post_count() == 2);
    assert!(seen.paths().iter().all(|p| p == "content/posts/2024/new.md" || p == "README.md"), "{:?}", seen.paths());
    // The top-level README is reported (a tracked file could live there) but is not a post.
    assert!(site.library.site_posts(None).unwrap().iter().all(|p| p.source_path.as_deref() != Some("README.md")));
}

#[allow(dead_code)]
fn assert_send<T: Send>(_: &T) {}

#[allow(dead_code)]
fn watcher_is_send(w: &SiteWatcher) -> &Path {
    assert_send(w);
    w.root()
}

#[test]
fn ignore_for_drops_a_path_for_a_while() {
    let mut site = Site::new(&[("a.md", &text("A", "One."))]);
    let id = site.post_of("a.md");
    let (watcher, events) = site.watch();
    watcher.ignore_for("a.md", Duration::from_secs(60));
    site.write("a.md", &text("A", "Written by a tool Galley was told about."));
    site.write("b.md", &text("B", "Sentinel."));
    let seen = site.pump_until(&events, "the sentinel", |s, _| s.post_count() == 2);
    assert!(seen.paths().iter().all(|p| p == "b.md"), "{:?}", seen.paths());
    assert_eq!(site.post_text(id), text("A", "One."));
}

#[test]
fn folders_moved_in_and_out_report_every_file() {
    let mut site = Site::new(&[("old/one.md", &text("One", "1.")), ("old/two.md", &text("Two", "2."))]);
    let root_key = site.root.to_str().unwrap().to_string();
    let outside = site._dir.path().join("elsewhere");
    std::fs::create_dir_all(outside.join("batch/deep")).unwrap();
    std::fs::write(outside.join("batch/three.md"), text("Three", "3.")).unwrap();
    std::fs::write(outside.join("batch/deep/four.md"), text("Four", "4.")).unwrap();
    let (_watcher, events) = site.watch();
    // A folder moved out of the site: its files are missing; one moved in: its files are new.
    std::fs::rename(site.path("old"), outside.join("old")).unwrap();
    std::fs::rename(outside.join("batch"), site.path("batch")).unwrap();
    site.pump_until(&events, "missing flags and new posts", |s, _| {
        s.library.missing_site_files(&root_key).unwrap().len() == 2 && s.post_count() == 4
    });
    let paths: Vec<Option<String>> = site.library.site_posts(None).unwrap().into_iter().map(|p| p.source_path).collect();
    assert!(paths.contains(&Some("batch/deep/four.md".into())), "{paths:?}");
}

#[test]
fn export_clears_the_missing_flag_and_follows_a_moved_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    let root = root.canonicalize().unwrap();
    let (library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    let mut site = Site { _dir: dir, root, library };
    let root_key = site.root.to_str().unwrap().to_string();
    let id = site.library.create_post(&text("Keep me", "Exported."), Status::Published).unwrap();
    let options = ExportOptions { site: site.root.clone(), preset: Preset::Keep, status: None, post_ids: None };
    export::export_site(&mut site.library, &options, false).unwrap();
    assert!(site.path("keep-me.md").is_file());
    // Deleted outside Galley: missing; exported again: present.
    std::fs::remove_file(site.path("keep-me.md")).unwrap();
    apply_changes(&mut site.library, &site.root, &[FsChange::removed("keep-me.md")], None).unwrap();
    assert_eq!(site.library.post_missing_from_site(id).unwrap().len(), 1);
    export::export_site(&mut site.library, &options, false).unwrap();
    assert!(site.library.post_missing_from_site(id).unwrap().is_empty());
    assert!(site.library.missing_site_files(&root_key).unwrap().is_empty());
    // Moved outside Galley (`git mv`): the post follows, and the next export writes it there.
    std::fs::create_dir(site.path("posts")).unwrap();
    std::fs::rename(site.path("keep-me.md"), site.path("posts/keep-me.md")).unwrap();
    let changes = sync::scan_changes(&site.library, &site.root).unwrap();
    let report = apply_changes(&mut site.library, &site.root, &changes, None).unwrap();
    assert_eq!(report.moved.len(), 1, "{report:?}");
    assert!(report.missing.is_empty() && report.imported.is_empty(), "{report:?}");
    site.library.save_body(id, "\nExported again after the move.\n").unwrap();
    let exported = export::export_site(&mut site.library, &options, false).unwrap();
    assert_eq!(exported.updated, vec!["posts/keep-me.md".to_string()], "{exported:?}");
    assert!(!site.path("keep-me.md").exists());
}

/// Another process (the CLI) exports hundreds of posts into the folder the app watches: every file
/// it writes is recorded right after its batch, so the app's sync finds them known, not new.
#[test]
fn an_export_from_another_process_is_not_imported_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    let root = root.canonicalize().unwrap();
    let library_path = dir.path().join("library.sqlite3");
    let (mut library, _) = Library::open(&library_path).unwrap();
    let bodies: Vec<String> = (0..2000).map(|i| text(&format!("Post {i}"), &format!("Body of post {i}."))).collect();
    library.create_posts(&bodies.iter().map(String::as_str).collect::<Vec<_>>(), Status::Published, "test").unwrap();
    let mut site = Site { _dir: dir, root, library };
    assert_eq!(site.library.list(None).unwrap().len(), 2000);
    let (_watcher, events) = site.watch();
    let export_root = site.root.clone();
    let exporter = std::thread::spawn(move || {
        let (mut cli, _) = Library::open(&library_path).unwrap();
        let options = ExportOptions { site: export_root, preset: Preset::Keep, status: None, post_ids: None };
        export::export_site(&mut cli, &options, false).unwrap()
    });
    // The app side: take in every batch the watcher reports while the export runs, and after.
    let mut exported = None;
    let seen = site.pump_until(&events, "the export to finish and settle", |_, seen| {
        if exported.is_none() && exporter.is_finished() {
            exported = Some(Instant::now());
        }
        exported.is_some_and(|at| at.elapsed() > galley::watch::DEBOUNCE * 4) && !seen.batches.is_empty()
    });
    let report = exporter.join().unwrap();
    assert_eq!(report.created.len(), 2000, "{:?}", report.errors);
    let imported: usize = seen.reports.iter().map(|r| r.imported.len()).sum();
    assert_eq!(imported, 0, "files of the export were imported as new posts");
    assert_eq!(site.library.list(None).unwrap().len(), 2000, "no duplicates");
}

#[test]
fn reading_files_is_not_a_change_and_galleys_own_reads_do_not_loop() {
    let mut site = Site::new(&[("read.md", &text("Read", "Only read.")), ("b.md", &text("B", "One."))]);
    let (_watcher, events) = site.watch();
    // Open, read and close the file a few times, as `cat`, an editor's preview or a build would.
    for _ in 0..3 {
        assert!(std::fs::read_to_string(site.path("read.md")).unwrap().contains("Only read."));
    }
    // A real change after the reads: once it is reported, the reads' events are in.
    site.write("b.md", &text("B", "Two."));
    let seen = site.pump_until(&events, "the change of b.md", |_, seen| seen.paths().contains(&"b.md".to_string()));
    assert!(!seen.paths().contains(&"read.md".to_string()), "reads were reported: {:?}", seen.batches);
    // Applying b.md read it (Galley's own open and read): that must not come back as a change.
    site.write("marker.md", &text("Marker", "New."));
    let seen = site.pump_until(&events, "the new marker file", |_, seen| seen.paths().contains(&"marker.md".to_string()));
    assert_eq!(seen.paths(), ["marker.md"], "Galley's own reads were reported: {:?}", seen.batches);
    // And the marker's import read does not either: nothing more arrives after a last real change.
    site.write("b.md", &text("B", "Three."));
    let seen = site.pump_until(&events, "the last change", |_, seen| seen.paths().contains(&"b.md".to_string()));
    assert_eq!(seen.paths(), ["b.md"], "{:?}", seen.batches);
}

#[test]
fn a_readme_dropped_into_the_site_is_skipped_not_imported() {
    let mut site = Site::new(&[("a.md", &text("A", "One."))]);
    let (_watcher, events) = site.watch();
    site.write("README.md", "# My blog\n\nHow to build this site.\n");
    let seen = site.pump_until(&events, "the README", |_, seen| seen.paths().contains(&"README.md".to_string()));
    let skipped: Vec<&str> = seen.reports.iter().flat_map(|r| &r.skipped).map(|s| s.path.as_str()).collect();
    assert!(skipped.contains(&"README.md"), "{:?}", seen.reports);
    assert!(seen.reports.iter().all(|r| r.imported.is_empty()), "{:?}", seen.reports);
    assert_eq!(site.library.list(None).unwrap().len(), 1);
}
