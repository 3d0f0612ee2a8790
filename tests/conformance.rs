//! Spec conformance: every CommonMark 0.31.2 and GFM example that ships with pulldown-cmark's own
//! test suite (read from the crate's source, found with `cargo metadata`), through Galley's full
//! and incremental renderers, compared after HTML normalization; only the documented differences pass.
mod common;
#[path = "common/html_norm.rs"]
mod html_norm;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use galley::render::sanitize::sanitize_html;
use galley::render::{render_blocks_in, Dialect, Renderer};
use html_norm::normalize_spec;

/// One example of a spec file.
struct Example {
    #[allow(dead_code)]
    file: &'static str,
    number: usize,
    markdown: String,
    expected: String,
    smart_punctuation: bool,
}

/// The spec files read, and the dialect each is rendered in (smart punctuation when the
/// example asks for it).
const FILES: &[&str] = &["spec", "gfm_table", "gfm_strikethrough", "gfm_tasklist", "smart_punct"];

/// Examples whose difference is on purpose, by file and number, with the reason. Differences that
/// vanish once the spec's expected HTML goes through Galley's sanitizer (raw HTML and URLs it
/// refuses: `<script>`, unknown attributes, `javascript:` and custom schemes) are counted
/// separately and need no entry.
const INTENTIONAL: &[(&str, usize, &str)] = &[
    ("spec", 148, BLOCK_BY_BLOCK),
    ("spec", 152, BLOCK_BY_BLOCK),
    ("spec", 155, BLOCK_BY_BLOCK),
    ("spec", 156, BLOCK_BY_BLOCK),
    ("spec", 157, BLOCK_BY_BLOCK),
    ("spec", 158, BLOCK_BY_BLOCK),
    ("spec", 167, BLOCK_BY_BLOCK),
    ("spec", 184, BLOCK_BY_BLOCK),
    ("spec", 188, BLOCK_BY_BLOCK),
    ("spec", 190, BLOCK_BY_BLOCK),
    ("spec", 191, BLOCK_BY_BLOCK),
];

/// Why raw HTML that spans blocks renders differently.
const BLOCK_BY_BLOCK: &str = "Galley sanitizes raw HTML block by block, so an element a raw HTML block leaves open closes at the end of that block instead of swallowing the Markdown after it (the rest of the preview could otherwise vanish into an unclosed tag)";

/// Reasons for whole classes of differences the normalizer ignores (also in docs/CONFORMANCE.md).
pub const NORMALIZED: &[&str] = &[
    "Galley's own attributes: data-line, heading ids, rel=noopener, role/aria-label, Galley's classes",
    "code highlighting: <code> carries hl-code/plain and highlighter spans instead of language-x",
    "task list markers: a ☐/☑ span instead of a disabled checkbox (the preview runs no forms)",
    "HTML comments (the sanitizer drops them; they show nowhere)",
];

fn pulldown_cmark_tests() -> Option<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = common::repo_path("Cargo.toml");
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--manifest-path"])
        .arg(&manifest)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .or_else(|| {
            Command::new(&cargo)
                .args(["metadata", "--format-version", "1", "--manifest-path"])
                .arg(&manifest)
                .output()
                .ok()
                .filter(|output| output.status.success())
        })?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    // The version Cargo.lock resolves for the core crate (metadata lists only resolved packages).
    let lock: toml::Table = std::fs::read_to_string(common::repo_path("Cargo.lock")).ok()?.parse().ok()?;
    let locked: Vec<&str> = lock["package"]
        .as_array()?
        .iter()
        .filter(|package| package["name"].as_str() == Some("pulldown-cmark"))
        .filter_map(|package| package["version"].as_str())
        .collect();
    let package = metadata["packages"].as_array()?.iter().find(|package| {
        package["name"] == "pulldown-cmark" && package["version"].as_str().is_some_and(|version| locked.contains(&version))
    })?;
    let manifest_path = PathBuf::from(package["manifest_path"].as_str()?);
    let dir = manifest_path.parent()?.join("tests/suite");
    dir.is_dir().then_some(dir)
}

/// The examples of one generated suite file (`fn NAME_N() { let original = r##"…"##; let
/// expected = r##"…"##; test_markdown_html(original, expected, smart, …); }`).
fn parse_suite(file: &'static str, text: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    for chunk in text.split("#[test]\nfn ").skip(1) {
        let Some(name) = chunk.split("()").next() else { continue };
        let number = name.rsplit('_').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let raw = |label: &str| -> Option<String> {
            let start = chunk.find(&format!("let {label} = r##\""))? + label.len() + 11;
            let end = chunk[start..].find("\"##;")?;
            Some(chunk[start..start + end].to_string())
        };
        let (Some(markdown), Some(expected)) = (raw("original"), raw("expected")) else { continue };
        let flags: Vec<bool> = chunk
            .split("test_markdown_html(original, expected")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .map(|args| args.split(',').map(str::trim).filter(|a| !a.is_empty()).map(|a| a == "true").collect())
            .unwrap_or_default();
        // Flags after smart punctuation: metadata blocks, old footnotes, subscript, wikilinks,
        // definition lists. Galley never enables the first four; such examples are skipped.
        if flags.iter().skip(1).take(4).any(|on| *on) {
            continue;
        }
        examples.push(Example { file, number, markdown, expected, smart_punctuation: flags.first().copied().unwrap_or(false) });
    }
    examples
}

#[derive(Default)]
struct Tally {
    total: usize,
    identical: usize,
    sanitized: usize,
    intentional: usize,
    failures: Vec<String>,
    by_file: BTreeMap<&'static str, (usize, usize)>,
}

fn run() -> Option<Tally> {
    let Some(dir) = pulldown_cmark_tests() else {
        common::missing("pulldown-cmark's spec examples were not found through `cargo metadata`: conformance not checked");
        return None;
    };
    let mut tally = Tally::default();
    let mut renderer = Renderer::new();
    for file in FILES {
        let text = std::fs::read_to_string(dir.join(format!("{file}.rs"))).unwrap_or_else(|e| panic!("{file}.rs: {e}"));
        let examples = parse_suite(file, &text);
        assert!(!examples.is_empty(), "no examples parsed from {file}.rs: has the generated format changed?");
        for example in examples {
            let dialect = Dialect { smart_punctuation: example.smart_punctuation, ..Dialect::galley() };
            let full: String = render_blocks_in(&example.markdown, &dialect).into_iter().map(|b| b.html).collect::<Vec<_>>().join("\n");
            renderer.set_dialect(dialect);
            renderer.reset_view();
            renderer.render(&example.markdown);
            renderer.highlight_pending();
            let incremental: String = renderer.blocks().into_iter().map(|b| b.html).collect::<Vec<_>>().join("\n");
            let (got, got_incremental) = (normalize_spec(&full), normalize_spec(&incremental));
            let want = normalize_spec(&example.expected);
            tally.total += 1;
            let entry = tally.by_file.entry(file).or_default();
            entry.0 += 1;
            if got != got_incremental {
                tally
                    .failures
                    .push(format!("{file} {}: incremental differs from full\n  full: {got}\n  incr: {got_incremental}", example.number));
            }
            if got == want {
                tally.identical += 1;
                entry.1 += 1;
            } else if got == normalize_spec(&sanitize_html(example.expected.trim_end())) {
                tally.sanitized += 1;
            } else if INTENTIONAL.iter().any(|(f, n, _)| f == file && *n == example.number) {
                tally.intentional += 1;
            } else {
                tally
                    .failures
                    .push(format!("{file} {}:\n  markdown: {:?}\n  want: {want}\n  got:  {got}", example.number, example.markdown));
            }
        }
    }
    Some(tally)
}

#[test]
fn spec_examples_render_as_the_spec_says() {
    let Some(tally) = run() else { return };
    eprintln!(
        "conformance: {} examples, {} identical, {} equal to the spec's HTML after Galley's sanitizer, {} intentional, {} failing; per file (examples, identical): {:?}",
        tally.total,
        tally.identical,
        tally.sanitized,
        tally.intentional,
        tally.failures.len(),
        tally.by_file
    );
    assert!(tally.total > 652, "expected every CommonMark example and the GFM ones, read {}", tally.total);
    assert!(tally.failures.is_empty(), "{} undocumented differences:\n{}", tally.failures.len(), tally.failures.join("\n"));
    assert_eq!(tally.intentional, INTENTIONAL.len(), "an intentional difference is gone: remove it from the list");
}

#[test]
fn the_normalizer_ignores_only_what_it_should() {
    let galley =
        "<p data-line=\"galley-line-1\">a <a href=\"x\" rel=\"noopener noreferrer\">b</a></p>\n<h2 id=\"t\" data-line=\"2\">T</h2>";
    assert_eq!(normalize_spec(galley), normalize_spec("<p>a <a href=\"x\">b</a></p>\n<h2>T</h2>\n"));
    assert_ne!(normalize_spec("<p>a <a href=\"x\">b</a></p>"), normalize_spec("<p>a <a>b</a></p>"));
    assert_ne!(
        normalize_spec("<table><tr><td style=\"text-align: right\">1</td></tr></table>"),
        normalize_spec("<table><tr><td>1</td></tr></table>")
    );
    assert_ne!(normalize_spec("<p>a</p><a href=\"x\"></a>"), normalize_spec("<p>a</p>"));
    assert_ne!(normalize_spec("<p>“a”</p>"), normalize_spec("<p>\"a\"</p>"));
    assert_ne!(normalize_spec("<pre><code>a  b</code></pre>"), normalize_spec("<pre><code>a b</code></pre>"));
}
