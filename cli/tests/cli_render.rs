//! `galley render FILE --generator X` / `--site DIR`: the same HTML as the core renders in that
//! dialect, and errors in words for an unknown generator or a folder without a known config.
use std::process::Command;

use galley::render::{render_html_in, Dialect};

fn galley(args: &[&str]) -> std::process::Output {
    let temp = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_galley")).arg("--library").arg(temp.path().join("l.sqlite3")).args(args).output().unwrap()
}

const POST: &str = "---\ntitle: T\n---\n\n# \"Hi\" -- there\n\nSee www.example.org.\n\n<center>x</center>\n";

#[test]
fn render_takes_a_generator_or_a_site() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("post.md");
    std::fs::write(&file, POST).unwrap();
    let body = galley::front_matter::split(POST).1;
    let file = file.to_str().unwrap();

    let output = galley(&["render", file, "--generator", "hugo"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let hugo = String::from_utf8(output.stdout).unwrap();
    assert_eq!(hugo.trim_end(), render_html_in(body, &Dialect::hugo()));
    assert!(hugo.contains("“Hi” – there") && hugo.contains("galley-raw-omitted"), "{hugo}");

    let site = temp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("hugo.toml"),
        "[markup.goldmark.renderer]\nunsafe = true\n[markup.goldmark.extensions]\ntypographer = false\n",
    )
    .unwrap();
    let output = galley(&["render", file, "--site", site.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let from_site = String::from_utf8(output.stdout).unwrap();
    let expected = Dialect { raw_html: true, smart_punctuation: false, ..Dialect::hugo() };
    assert_eq!(from_site.trim_end(), render_html_in(body, &expected));

    let plain = galley(&["render", file]);
    assert_eq!(String::from_utf8(plain.stdout).unwrap().trim_end(), galley::render::render_html(body));

    let unknown = galley(&["render", file, "--generator", "gatsby"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("possible values"), "{}", String::from_utf8_lossy(&unknown.stderr));

    let bare = temp.path().join("bare");
    std::fs::create_dir_all(&bare).unwrap();
    let output = galley(&["render", file, "--site", bare.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("has no config Galley recognizes") && message.contains("--generator"), "{message}");
}
