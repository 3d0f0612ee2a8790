//! The `galley` binary as a user drives it (issue 10): a closed pipe ends a command quietly, an
//! error line says its cause once, the CLI never seeds sample posts, an unknown status shows in
//! `list`, and `backup` / `restore` work end to end (a damaged copy is refused).
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn galley(library: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_galley"));
    command.arg("--library").arg(library).env_remove("GALLEY_LIBRARY");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the galley binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command whose reader goes away after `keep` bytes; returns its exit status and stderr.
fn with_closed_pipe(command: &mut Command, keep: usize) -> (std::process::ExitStatus, String) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = vec![0; keep];
    out.read_exact(&mut first).unwrap();
    drop(out);
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    {
        let (mut lib, _) = galley::library::Library::open(&library).unwrap();
        let texts: Vec<String> = (0..3000).map(|i| format!("---\ntitle: Post number {i}\n---\nText.\n")).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        lib.create_posts(&texts, galley::library::Status::Draft, "created").unwrap();
    }
    let big = dir.path().join("big.md");
    std::fs::write(&big, "A paragraph of words to render again and again.\n\n".repeat(40_000)).unwrap();
    let commands: Vec<(&str, Command)> = vec![
        ("list", {
            let mut c = galley(&library);
            c.arg("list");
            c
        }),
        ("list --json", {
            let mut c = galley(&library);
            c.args(["list", "--json"]);
            c
        }),
        ("search", {
            let mut c = galley(&library);
            c.args(["search", "post"]);
            c
        }),
        ("render", {
            let mut c = galley(&library);
            c.arg("render").arg(&big);
            c
        }),
    ];
    for (name, mut command) in commands {
        let (status, err) = with_closed_pipe(&mut command, 100);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{name}: {err}");
        assert!(status.success(), "{name}: {status:?} {err}");
        assert!(err.is_empty(), "{name} says nothing: {err}");
    }
}

#[test]
fn an_error_line_says_its_cause_once_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where a library file belongs.
    let output = run(galley(dir.path()).arg("list"));
    assert!(!output.status.success());
    let line = stderr(&output);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("is a folder") && line.contains("library.sqlite3"), "says what to give: {line}");
    // A file that is not a library at all.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "x".repeat(8192)).unwrap();
    let line = stderr(&run(galley(&text).arg("list")));
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("not a Galley library"), "{line}");
    assert_eq!(line.matches("not a Galley library").count(), 1, "{line}");
    assert!(!line.contains("Error code"), "no SQLite internals repeated: {line}");
    // A missing input file: the path and the OS's words, once.
    let missing = dir.path().join("missing.md");
    let line = stderr(&run(galley(&dir.path().join("l.sqlite3")).arg("render").arg(&missing)));
    assert_eq!(line.matches("missing.md").count(), 1, "{line}");
    assert_eq!(line.matches("No such file").count(), 1, "{line}");
}

#[test]
fn the_cli_never_adds_sample_posts() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("new.sqlite3");
    let site = dir.path().join("blog");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("mine.md"), "---\ntitle: Mine\n---\nMy post.\n").unwrap();
    let output = run(galley(&library).arg("import").arg(&site));
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = stdout(&run(galley(&library).arg("list")));
    assert_eq!(listed.lines().count(), 1, "only the imported post: {listed}");
    let out = dir.path().join("out");
    let output = run(galley(&library).args(["export", "--to"]).arg(&out));
    assert!(output.status.success(), "{}", stderr(&output));
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(written, vec![std::ffi::OsString::from("mine.md")]);
}

#[test]
fn list_shows_an_unknown_status_and_the_file_name_of_an_untitled_post() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    let site = dir.path().join("blog");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("stub.md"), "---\naliases: [/old/]\n---\n").unwrap();
    assert!(run(galley(&library).arg("import").arg(&site)).status.success());
    let connection = rusqlite::Connection::open(&library).unwrap();
    connection.execute_batch("PRAGMA ignore_check_constraints = ON; UPDATE posts SET status = 'live';").unwrap();
    drop(connection);
    let listed = stdout(&run(galley(&library).arg("list")));
    assert!(listed.contains("unknown ('live')") && listed.contains("stub.md (no title)"), "{listed}");
    let output = run(galley(&library).args(["export", "--dry-run", "--to"]).arg(dir.path().join("out")));
    assert!(stdout(&output).contains("'live'"), "the dry run reports it: {}", stdout(&output));
}

#[test]
fn backup_and_restore_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    for i in 0..40 {
        let output = run(galley(&library).args(["new", &format!("Draft {i} {}", "long title words ".repeat(20))]));
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let output = run(galley(&library).arg("backup"));
    assert!(output.status.success(), "{}", stderr(&output));
    let routine = stdout(&output).trim().to_string();
    assert!(routine.contains("library.sqlite3.backups/backup-"), "{routine}");
    let copy = dir.path().join("copy.sqlite3");
    assert!(run(galley(&library).arg("backup").arg(&copy)).status.success());
    assert!(!run(galley(&library).arg("backup").arg(&copy)).status.success(), "never overwrites a file");
    assert!(run(galley(&library).args(["new", "After the backup"])).status.success());

    // A damaged copy is refused and changes nothing.
    let bad = dir.path().join("bad.sqlite3");
    let mut bytes = std::fs::read(&copy).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    bytes[middle..middle + 2 * 4096].fill(0xA5);
    std::fs::write(&bad, bytes).unwrap();
    let output = run(galley(&library).arg("restore").arg(&bad));
    assert!(!output.status.success());
    assert!(stderr(&output).contains("damaged"), "{}", stderr(&output));
    assert_eq!(stdout(&run(galley(&library).arg("list"))).lines().count(), 41);

    let output = run(galley(&library).arg("restore").arg(&copy));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("kept as"), "{}", stderr(&output));
    assert_eq!(stdout(&run(galley(&library).arg("list"))).lines().count(), 40, "the backup's posts");
    assert_eq!(stdout(&run(galley(&library).arg("check"))).trim(), "ok");
}
