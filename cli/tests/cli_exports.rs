//! `galley export` on a Zola-style site exported to other generators: the dry run lists each
//! post's changes (plain and `--json`), a post with no date is named and refused unless
//! `--undated today`, and inferred dates name the Jekyll files.
use std::path::Path;
use std::process::{Command, Output};

fn galley(library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_galley")).arg("--library").arg(library).args(args).output().unwrap()
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/zola-blog")
}

fn imported(dir: &Path) -> std::path::PathBuf {
    let library = dir.join("library.sqlite3");
    let output = galley(&library, &["import", fixture().to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    library
}

#[test]
fn the_dry_run_lists_each_posts_changes() {
    let temp = tempfile::tempdir().unwrap();
    let library = imported(temp.path());
    let out = temp.path().join("jekyll");
    let to = out.to_str().unwrap();
    let output = galley(&library, &["export", "--to", to, "--preset", "jekyll", "--dry-run"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("create    _posts/2014-12-12-saving-registers-on-arm.md\n"), "{stdout}");
    assert!(stdout.contains("          - date 2014-12-12 inferred from the post's URL (path, url, aliases or permalink)\n"), "{stdout}");
    assert!(stdout.contains("          - date 2012-03-04 inferred from the folders of its path\n"), "{stdout}");
    assert!(stdout.contains("          - template syntax protected for Jekyll (render_with_liquid: false;"), "{stdout}");
    assert!(stdout.contains("          - key excerpt added (from description)\n"), "{stdout}");
    assert!(
        stdout.contains("\"Notes without a date\": has no date, and neither its file name (content/blog/undated-notes.md)"),
        "{stdout}"
    );
    assert!(!out.exists(), "a dry run writes nothing");

    let output = galley(&library, &["export", "--to", to, "--preset", "jekyll", "--dry-run", "--json"]);
    assert!(output.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let arm = plan["items"].as_array().unwrap().iter().find(|i| i["title"] == "Saving registers on ARM").unwrap();
    let kinds: Vec<&str> = arm["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"date_inferred") && kinds.contains(&"template_protected"), "{arm}");
    let protected = arm["changes"].as_array().unwrap().iter().find(|c| c["kind"] == "template_protected").unwrap();
    assert_eq!(protected["generator"], "jekyll");
    assert_eq!(protected["in_code"], 5);
    assert_eq!(plan["errors"][0]["title"], "Notes without a date");
}

#[test]
fn undated_posts_are_refused_unless_today_is_asked_for() {
    let temp = tempfile::tempdir().unwrap();
    let library = imported(temp.path());
    let out = temp.path().join("hugo");
    let to = out.to_str().unwrap();
    let output = galley(&library, &["export", "--to", to, "--preset", "hugo"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!output.status.success(), "refused: {stdout}");
    assert!(stdout.contains("\"Notes without a date\": has no date"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 posts could not be exported"));
    assert!(out.join("content/posts/saving-registers-on-arm.md").is_file(), "the other posts are written");
    assert!(!out.join("content/posts/notes-without-a-date.md").exists());

    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--undated", "today", "--dry-run"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (_, rest) = stdout.split_once("- no date: today's date ").unwrap_or_else(|| panic!("the choice is reported: {stdout}"));
    let today = &rest[..10];
    let output = galley(&library, &["export", "--to", to, "--preset", "hugo", "--undated", "today"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let text = std::fs::read_to_string(out.join("content/posts/notes-without-a-date.md")).unwrap();
    assert!(text.contains(&format!("\ndate = {today}\n")), "{text}");
}
