//! A library file as a clumsy user or another tool leaves it (issue 10): a status Galley does not
//! know, file modes, sample posts that must never reach the site, untitled posts, README files in
//! an imported folder, backups, and a damaged library recovered from its newest good backup.
use std::path::{Path, PathBuf};

use galley::export::{self, ExportOptions, Preset};
use galley::library::{backup, Library, ListQuery, Status};

fn open_temp() -> (tempfile::TempDir, PathBuf, Library) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let (library, fresh) = Library::open(&path).unwrap();
    assert!(fresh);
    (dir, path, library)
}

/// Writes a status the schema's CHECK would refuse, as another tool editing the file could.
fn corrupt_status(path: &Path, id: i64, value: &str) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.execute_batch("PRAGMA ignore_check_constraints = ON;").unwrap();
    connection.execute("UPDATE posts SET status = ?2 WHERE id = ?1", rusqlite::params![id, value]).unwrap();
}

fn export_options(site: &Path, status: Option<Status>) -> ExportOptions {
    ExportOptions { site: site.to_path_buf(), preset: Preset::Keep, status, post_ids: None }
}

#[test]
fn an_unknown_status_is_shown_and_reported_by_export_never_silently_dropped() {
    let (dir, path, mut library) = open_temp();
    let id = library.create_post("---\ntitle: Odd status\n---\nBody.\n", Status::Published).unwrap();
    let fine = library.create_post("---\ntitle: Fine\n---\nBody.\n", Status::Published).unwrap();
    corrupt_status(&path, id, "Publishd");

    let post = library.summary(id).unwrap();
    assert_eq!(post.unknown_status.as_deref(), Some("Publishd"), "the raw value is kept");
    assert_eq!(post.display_status(), "unknown ('Publishd')");
    let listed = library.list_page(&ListQuery::default()).unwrap();
    assert!(listed.iter().any(|p| p.id == id && p.unknown_status.is_some()), "still listed");
    assert_eq!(library.summary(fine).unwrap().unknown_status, None);

    // The default export and one by status both report it; neither writes it or hides it.
    let site = dir.path().join("site");
    for status in [None, Some(Status::Published), Some(Status::Draft)] {
        let plan = export::plan(&library, &export_options(&site, status)).unwrap();
        let error = plan.errors.iter().find(|e| e.post_id == id).unwrap_or_else(|| panic!("not reported with {status:?}"));
        assert!(error.message.contains("'Publishd'") && error.message.contains("draft, ready or published"), "{}", error.message);
        assert!(plan.items.iter().all(|item| item.post_id != id));
    }
    let plan = export::plan(&library, &export_options(&site, None)).unwrap();
    assert!(plan.items.iter().any(|item| item.post_id == fine), "the other posts still export");

    // Choosing a status in Galley repairs it.
    let repaired = library.set_status(id, Status::Ready).unwrap();
    assert_eq!((repaired.status, repaired.unknown_status), (Status::Ready, None));
}

#[cfg(unix)]
#[test]
fn the_library_its_wal_and_shm_and_its_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/folder/library.sqlite3");
    let (mut library, _) = Library::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600, "library file");
    assert_eq!(mode(path.parent().unwrap()), 0o700, "a folder Galley created");
    library.create_post("---\ntitle: First\n---\nText.\n", Status::Draft).unwrap();
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        assert!(side.exists(), "{suffix} exists after the first write");
        assert_eq!(mode(&side), 0o600, "{suffix}");
    }
    let copy = backup::backup(&path).unwrap();
    assert_eq!(mode(&copy), 0o600, "backup");
    assert_eq!(mode(&backup::backups_dir(&path)), 0o700, "backups folder");
}

#[test]
fn sample_posts_never_leave_the_library_until_the_writer_makes_one_theirs() {
    let (dir, _path, mut library) = open_temp();
    galley::samples::seed(&mut library).unwrap();
    let samples = library.list(None).unwrap();
    assert_eq!(samples.len(), 3);
    assert!(samples.iter().all(|p| p.sample && p.status == Status::Published));
    let site = dir.path().join("site");
    let exported = |library: &Library| -> Vec<i64> {
        let plan = export::plan(library, &export_options(&site, None)).unwrap();
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        plan.items.iter().map(|item| item.post_id).collect()
    };
    assert!(exported(&library).is_empty(), "published samples are not exported");
    let by_status = export::plan(&library, &export_options(&site, Some(Status::Published))).unwrap();
    assert!(by_status.items.is_empty(), "not even when asked for published posts");

    let (edited, restatused, adopted) = (samples[0].id, samples[1].id, samples[2].id);
    library.save_body(edited, "Only edited.\n").unwrap();
    library.set_status(restatused, Status::Ready).unwrap();
    library.save_body(adopted, "My own post now.\n").unwrap();
    library.set_status(adopted, Status::Ready).unwrap();
    assert_eq!(exported(&library), vec![adopted], "edited and given a status: the writer's post");
    assert!(!library.summary(adopted).unwrap().sample);
    assert!(library.summary(edited).unwrap().sample && library.summary(restatused).unwrap().sample);
}

#[test]
fn an_untitled_post_shows_its_file_name() {
    let (dir, _path, mut library) = open_temp();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("moved.md"), "---\naliases: [/old/]\n---\n").unwrap();
    std::fs::write(site.join("titled.md"), "---\ntitle: Has one\n---\nText.\n").unwrap();
    galley::import::import_site(&mut library, &site, false).unwrap();
    let posts = library.list(None).unwrap();
    let stub = posts.iter().find(|p| p.title.is_empty()).expect("the stub is imported");
    assert_eq!(stub.file_name.as_deref(), Some("moved.md"));
    assert_eq!(stub.display_title(), "moved.md (no title)");
    let entries = library.index_entries(&ListQuery::default()).unwrap();
    assert!(entries.iter().any(|e| e.file_name.as_deref() == Some("moved.md")));
    let titled = posts.iter().find(|p| !p.title.is_empty()).unwrap();
    assert_eq!(titled.display_title(), "Has one");
    let draft = library.new_draft("").unwrap();
    assert_eq!(library.summary(draft).unwrap().display_title(), "(no title)");
}

#[test]
fn readme_and_repository_files_are_skipped_with_a_reason() {
    let (dir, _path, library) = open_temp();
    let site = dir.path().join("notes");
    std::fs::create_dir_all(site.join("posts")).unwrap();
    for name in ["README.md", "LICENSE.md", "CHANGELOG.md", "CONTRIBUTING.md", "posts/readme.markdown"] {
        std::fs::write(site.join(name), "# Notes\n\nHow this folder works.\n").unwrap();
    }
    std::fs::write(site.join("posts/README.md"), "---\ntitle: Read me first\n---\nA real post named README.\n").unwrap();
    std::fs::write(site.join("posts/hello.md"), "---\ntitle: Hello\n---\nHi.\n").unwrap();
    let plan = galley::import::plan(&library, &site).unwrap();
    let imported: Vec<&str> = plan.items.iter().map(|item| item.path.as_str()).collect();
    assert_eq!(imported, vec!["posts/README.md", "posts/hello.md"], "a README with front matter is a post");
    for name in ["README.md", "LICENSE.md", "CHANGELOG.md", "CONTRIBUTING.md", "posts/readme.markdown"] {
        let skipped = plan.skipped.iter().find(|s| s.path == name).unwrap_or_else(|| panic!("{name} not reported"));
        assert!(skipped.reason.contains("not a post"), "{name}: {}", skipped.reason);
    }
}

/// Overwrites pages in the middle of a library file with garbage, as a failing disk might.
fn damage(path: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let length = std::fs::metadata(path).unwrap().len();
    assert!(length > 16 * 4096, "a library of a few pages at least ({length} bytes)");
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(length / 2 / 4096 * 4096)).unwrap();
    file.write_all(&[0xA5; 3 * 4096]).unwrap();
    file.sync_all().unwrap();
}

/// A library with enough posts to span many pages, closed (checkpointed into the main file).
fn library_with_posts(path: &Path, posts: usize) {
    let (mut library, _) = Library::open(path).unwrap();
    let texts: Vec<String> = (0..posts).map(|i| format!("---\ntitle: Post {i}\n---\n{}\n", "Words of a post. ".repeat(100))).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    library.create_posts(&texts, Status::Draft, "created").unwrap();
}

#[test]
fn a_damaged_library_is_set_aside_for_the_newest_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    library_with_posts(&path, 60);
    let good = backup::backup(&path).unwrap();
    {
        let (mut library, _) = Library::open(&path).unwrap();
        library.new_draft("After the backup").unwrap();
    }
    damage(&path);
    assert!(matches!(backup::check_file(&path), Err(galley::Error::Damaged { .. })));
    // A newer backup of the damaged file is refused: the good one stays the newest.
    assert!(matches!(backup::backup(&path), Err(galley::Error::Damaged { .. })));
    assert_eq!(backup::list_backups(&path).unwrap(), vec![good.clone()]);

    let opened = backup::open_checked(&path).unwrap();
    let notice = opened.notice.expect("the writer is told");
    assert!(notice.contains("integrity check") && notice.contains(good.file_name().unwrap().to_str().unwrap()), "{notice}");
    assert_eq!(opened.library.list(None).unwrap().len(), 60, "the backup's posts");
    assert_eq!(opened.library.integrity_check().unwrap(), "ok");
    let kept: Vec<String> = std::fs::read_dir(backup::backups_dir(&path))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("damaged-") && name.ends_with(".sqlite3"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept: {kept:?}");
}

#[test]
fn a_damaged_library_without_a_backup_opens_as_it_is_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    library_with_posts(&path, 60);
    damage(&path);
    let opened = backup::open_checked(&path).unwrap();
    assert!(opened.notice.unwrap().contains("no good backup"));
}

#[test]
fn backups_keep_the_last_few_and_skip_an_unchanged_library() {
    let (_dir, path, mut library) = open_temp();
    library.new_draft("One").unwrap();
    let first = backup::backup_if_changed(&path).unwrap();
    assert!(first.is_some());
    assert_eq!(backup::backup_if_changed(&path).unwrap(), None, "nothing changed since");
    for i in 0..backup::KEEP_BACKUPS + 2 {
        library.new_draft(&format!("Draft {i}")).unwrap();
        assert!(backup::backup_if_changed(&path).unwrap().is_some());
    }
    let kept = backup::list_backups(&path).unwrap();
    assert_eq!(kept.len(), backup::KEEP_BACKUPS);
    assert!(!kept.contains(&first.unwrap()), "the oldest went first");
    let (newest, _) = Library::open(&kept[0]).unwrap();
    assert_eq!(newest.list(None).unwrap().len(), library.list(None).unwrap().len(), "newest first, complete");
    assert!(!backup::backup_due(&path, std::time::Duration::from_secs(3600)));
    assert!(backup::backup_due(&path, std::time::Duration::ZERO));
}

#[test]
fn restore_refuses_a_damaged_copy_and_keeps_the_library_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    library_with_posts(&path, 60);
    let copy = dir.path().join("copy.sqlite3");
    backup::backup_to(&path, &copy).unwrap();
    let bad = dir.path().join("bad.sqlite3");
    std::fs::copy(&copy, &bad).unwrap();
    damage(&bad);
    {
        let (mut library, _) = Library::open(&path).unwrap();
        library.new_draft("Only in the current library").unwrap();
        assert!(matches!(backup::restore(&path, &bad), Err(galley::Error::Damaged { .. })));
        assert_eq!(library.list(None).unwrap().len(), 61, "a refused restore changes nothing");
        // Restored under an open handle (as while the app runs): it sees the backup's posts.
        let restored = backup::restore(&path, &copy).unwrap();
        assert_eq!(library.list(None).unwrap().len(), 60);
        let (kept, _) = Library::open(&restored.kept.unwrap()).unwrap();
        assert_eq!(kept.list(None).unwrap().len(), 61, "the replaced library is kept whole");
    }
}
