//! Helpers shared by the core integration tests: where the repository and the Go blog corpus are,
//! and how a test says that data or a tool it needs is missing (loudly; under CI that fails).
#![allow(dead_code)]
use std::path::PathBuf;

/// The repository root, read at run time (a shared target dir may hold binaries built elsewhere).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run through cargo"))
}

/// A file or folder of the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    manifest_dir().join(relative)
}

/// The Go blog corpus beside the repository (`../shared/corpus/go-blog`), or `None` after saying
/// loudly that it is missing (`what` says what the test does without it).
pub fn corpus(what: &str) -> Option<PathBuf> {
    let path = manifest_dir().join("../shared/corpus/go-blog");
    if path.is_dir() {
        Some(path)
    } else {
        missing(&format!("THE GO BLOG CORPUS IS MISSING at {}: {what}", path.display()));
        None
    }
}

/// The `hugo` binary on PATH, or `None` after saying loudly that it is missing.
pub fn hugo() -> Option<PathBuf> {
    tool("hugo", "`hugo` IS NOT INSTALLED (make test installs Debian's hugo): the real Hugo build is not checked")
}

/// A tool on PATH, or `None` after saying loudly (`message`) that it is missing.
pub fn tool(name: &str, message: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|dir| dir.join(name)).find(|candidate| candidate.is_file()));
    if found.is_none() {
        missing(message);
    }
    found
}

/// Says that something a test needs is missing where a person sees it (stderr, shown by cargo
/// test even for passing tests with `--nocapture`, and always on failure); under CI
/// (`CI=true`) this fails the test instead of letting it pass without checking anything.
pub fn missing(message: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
    eprintln!("\n*** {message} ***\n");
}

/// Every file under `dir` (site-relative path → bytes), sorted.
pub fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Runs a site generator (`hugo`, `jekyll`) in `dir` and fails the test with its output unless it
/// succeeds; returns what it printed (stdout then stderr).
pub fn build_site(tool: &std::path::Path, args: &[&str], dir: &std::path::Path) -> String {
    let output = std::process::Command::new(tool).args(args).current_dir(dir).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{} {} failed:\n{text}", tool.display(), args.join(" "));
    text
}
