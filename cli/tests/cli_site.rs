//! The `galley import` / `galley export` command line on site folders: the fixture site with its
//! traps, dry runs, conflicts and `--force`, an unknown preset, and a disk that fills up
//! mid-export or mid-import (simulated with `RLIMIT_FSIZE` in the child process).
use std::path::Path;
use std::process::Command;

use galley::export::{self, ExportOptions, Preset};
use galley::library::{Library, Status};

#[path = "../../tests/fixtures/site_with_traps.rs"]
mod site_with_traps;
use site_with_traps::site_with_traps;

fn post(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n\nBody of {title}.\n")
}

fn library(dir: &Path) -> Library {
    Library::open(&dir.join("library.sqlite3")).unwrap().0
}

fn keep_options(site: &Path) -> ExportOptions {
    ExportOptions { site: site.to_path_buf(), preset: Preset::Keep, status: None, post_ids: None }
}

fn galley(library: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_galley")).arg("--library").arg(library).args(args).output().unwrap()
}

#[test]
fn command_line_import_and_export() {
    let temp = tempfile::tempdir().unwrap();
    let site = site_with_traps(temp.path());
    let library = temp.path().join("cli.sqlite3");
    let output = galley(&library, &["import", site.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("skipped   content/posts/latin1.md: not valid UTF-8"), "{stdout}");
    assert!(stdout.contains("skipped   content/posts/link.md: symbolic link (not followed)"), "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("imported 4, updated 0, unchanged 0, skipped 6"), "{stdout}");
    // The bundle's image comes with its post (issue 12), listed with the post it belongs to.
    assert!(stdout.contains("file      content/posts/page-bundle/diagram.png (post "), "{stdout}");
    assert!(stdout.contains("files of posts: 1 stored, 0 unchanged"), "{stdout}");

    let out = temp.path().join("out");
    let to = out.to_str().unwrap();
    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--status", "published", "--dry-run"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("create    content/posts/atomics-without-fear.md\n"), "{stdout}");
    // A post with an image becomes a leaf bundle; the dry run lists its file.
    assert!(stdout.contains("create    content/posts/reading-the-go-scheduler-s-trace/diagram.png (file diagram.png of post"), "{stdout}");
    assert!(!out.exists(), "a dry run writes nothing");

    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--status", "published"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "no progress bar when stderr is not a terminal");
    std::fs::write(out.join("content/posts/atomics-without-fear.md"), "hand edit\n").unwrap();
    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--status", "published", "--dry-run"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("conflict  content/posts/atomics-without-fear.md"), "{stdout}");
    assert!(stdout.contains("unchanged content/posts/reading-the-go-scheduler-s-trace/index.md"), "{stdout}");
    assert!(stdout.contains("unchanged content/posts/reading-the-go-scheduler-s-trace/diagram.png"), "{stdout}");

    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--status", "published"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("use --force"), "{stderr}");
    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--status", "published", "--force"]);
    assert!(output.status.success());
    assert_ne!(std::fs::read_to_string(out.join("content/posts/atomics-without-fear.md")).unwrap(), "hand edit\n");

    let output = galley(&library, &["export", "--to", to, "--preset", "wordpress"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr, "galley: unknown preset 'wordpress' (expected keep, hugo, zola, jekyll or astro)\n");
}

/// Runs the `galley` command line with a file size limit (`RLIMIT_FSIZE`): any write past
/// `max_bytes` in any file fails with "File too large", as on a full disk. (Tests run as root,
/// which ignores permission bits, so a read-only folder cannot be simulated that way.)
fn galley_with_file_limit(max_bytes: u64, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_galley"));
    command.args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit { rlim_cur: max_bytes as libc::rlim_t, rlim_max: max_bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Without this the kernel kills the process at the first write past the limit.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    command.output().unwrap()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                found.push(entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn an_export_that_runs_out_of_space_changes_no_file_and_no_record() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let library_path = temp.path().join("library.sqlite3");
    let (ids, revisions_before) = {
        let mut lib = library(temp.path());
        let small = lib.create_post(&post("Small"), Status::Published).unwrap();
        let big = lib.create_post(&format!("---\ntitle: Big\n---\n\n{}\n", "x".repeat(64 * 1024)), Status::Published).unwrap();
        let also = lib.create_post(&post("Also small"), Status::Published).unwrap();
        let ids = [small, big, also];
        let revisions: Vec<i64> = ids.iter().map(|id| lib.revision_count(*id).unwrap()).collect();
        (ids, revisions)
    };
    let output =
        galley_with_file_limit(32 * 1024, &["--library", library_path.to_str().unwrap(), "export", "--to", site.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "the export did not fail: {stdout}");
    assert!(stdout.contains("File too large") && stdout.contains("Free some disk space"), "{stdout}");
    // No file at all: not the small ones of the same batch, no half-written file, no temp file.
    assert_eq!(files_under(&site), Vec::<String>::new());
    let lib = library(temp.path());
    let plan = export::plan(&lib, &keep_options(&site)).unwrap();
    assert!(plan.items.iter().all(|i| i.action == export::ExportAction::Create), "records changed");
    let revisions: Vec<i64> = ids.iter().map(|id| lib.revision_count(*id).unwrap()).collect();
    assert_eq!(revisions, revisions_before);
    assert_eq!(lib.integrity_check().unwrap(), "ok");
}

#[test]
fn an_import_that_runs_out_of_space_leaves_the_library_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    for n in 0..40 {
        std::fs::write(
            site.join(format!("post-{n}.md")),
            format!("---\ntitle: Post {n}\n---\n\n{}\n", "words and more words ".repeat(1000)),
        )
        .unwrap();
    }
    let library_path = temp.path().join("library.sqlite3");
    let before = {
        let mut lib = library(temp.path());
        lib.create_post(&post("Already here"), Status::Draft).unwrap();
        lib.site_posts(None).unwrap()
    };
    let output = galley_with_file_limit(
        std::fs::metadata(&library_path).unwrap().len() + 64 * 1024,
        &["--library", library_path.to_str().unwrap(), "import", site.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the import did not fail: {stderr}");
    assert!(stderr.contains("The import of 40 files was not saved") && stderr.contains("free some disk space"), "{stderr}");
    let lib = library(temp.path());
    assert_eq!(lib.site_posts(None).unwrap(), before);
    assert_eq!(lib.integrity_check().unwrap(), "ok");
}
