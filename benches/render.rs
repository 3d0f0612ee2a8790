//! Rendering benchmarks: raw pulldown-cmark and comrak baselines against Galley's full render and
//! incremental keystrokes, on generated 20k- and 300k-word technical posts; prints the ratios.
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use galley::render::{markdown_options, render_blocks, render_blocks_unhighlighted, render_blocks_unhighlighted_in, Dialect, Renderer};
use pulldown_cmark::{html, Parser};

const SIZES: &[(&str, usize)] = &[("20k", 20_000), ("300k", 300_000)];

fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run through cargo"))
}

fn strip_front_matter(text: &str) -> &str {
    for fence in ["---\n", "+++\n"] {
        if let Some(rest) = text.strip_prefix(fence) {
            if let Some(end) = rest.find(&format!("\n{fence}")) {
                return &rest[end + fence.len() + 1..];
            }
        }
    }
    text
}

/// A technical post of at least `words` words: the sample posts in content/ (prose, headings,
/// lists, tables, footnotes, Go/C/asm/bash/YAML code) repeated as numbered parts, each paragraph
/// tagged with its part so no two chunks are identical. Deterministic.
fn generate(words: usize) -> String {
    let dir = manifest_dir().join("content");
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "md"));
    paths.sort();
    let bodies: Vec<String> =
        paths.iter().filter_map(|path| std::fs::read_to_string(path).ok()).map(|text| strip_front_matter(&text).to_string()).collect();
    assert!(!bodies.is_empty(), "no sample posts in {}", dir.display());
    let mut doc = String::from("# A very long technical post\n\n");
    let mut part = 0usize;
    while doc.split_whitespace().count() < words {
        let body = &bodies[part % bodies.len()];
        part += 1;
        doc.push_str(&format!("## Part {part}\n\n"));
        let mut in_code = false;
        let mut previous_blank = true;
        for line in body.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                in_code = !in_code;
            }
            let prose_start = !in_code && previous_blank && trimmed.chars().next().is_some_and(|c| c.is_alphabetic());
            // Footnote labels must stay unique per part.
            let line = line.replace("[^", &format!("[^p{part}-"));
            doc.push_str(&line);
            if prose_start {
                doc.push_str(&format!(" (part {part})"));
            }
            doc.push('\n');
            previous_blank = line.trim().is_empty();
        }
        doc.push('\n');
    }
    doc
}

/// The document with one character typed into the paragraph nearest the middle.
fn prose_edit(doc: &str) -> String {
    let middle = doc.len() / 2;
    let at = doc[middle..].find(" (part ").map(|i| middle + i).expect("a paragraph after the middle");
    let mut edited = doc.to_string();
    edited.insert(at, 'x');
    edited
}

/// The document with one character typed into the code block nearest the middle.
fn code_edit(doc: &str) -> String {
    let middle = doc.len() / 2;
    let fence = doc[middle..].find("\n```go\n").map(|i| middle + i).expect("a Go block after the middle");
    let at = fence + "\n```go\n".len();
    let mut edited = doc.to_string();
    edited.insert(at, 'x');
    edited
}

fn pulldown(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(doc, markdown_options()));
    out
}

fn comrak(doc: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    comrak::markdown_to_html(doc, &options)
}

/// Renders `a` and `b` alternately: every call is one keystroke away from the previous text.
fn keystroke_bench(c: &mut Criterion, name: &str, size: &str, a: &str, b: &str) {
    keystroke_bench_in(c, name, size, a, b, Dialect::galley());
}

/// [`keystroke_bench`] in a given Markdown dialect.
fn keystroke_bench_in(c: &mut Criterion, name: &str, size: &str, a: &str, b: &str, dialect: Dialect) {
    let mut renderer = Renderer::with_dialect(dialect);
    renderer.render(a);
    let mut flip = false;
    c.bench_with_input(BenchmarkId::new(name, size), &(a, b), |bencher, (a, b)| {
        bencher.iter(|| {
            flip = !flip;
            let out = renderer.render(black_box(if flip { b } else { a }));
            renderer.take_highlight_jobs();
            black_box(out)
        })
    });
}

fn benches(c: &mut Criterion) {
    for (size, words) in SIZES {
        let doc = generate(*words);
        let prose = prose_edit(&doc);
        let code = code_edit(&doc);
        eprintln!("{size}: {} words, {} bytes, {} lines", doc.split_whitespace().count(), doc.len(), doc.lines().count());
        c.bench_with_input(BenchmarkId::new("baseline_pulldown", size), &doc, |b, doc| b.iter(|| pulldown(black_box(doc))));
        c.bench_with_input(BenchmarkId::new("baseline_comrak", size), &doc, |b, doc| b.iter(|| comrak(black_box(doc))));
        c.bench_with_input(BenchmarkId::new("full_render", size), &doc, |b, doc| b.iter(|| render_blocks_unhighlighted(black_box(doc))));
        if *size == "20k" {
            c.bench_with_input(BenchmarkId::new("full_render_highlighted", size), &doc, |b, doc| b.iter(|| render_blocks(black_box(doc))));
        }
        keystroke_bench(c, "prose_keystroke", size, &doc, &prose);
        keystroke_bench(c, "code_keystroke", size, &doc, &code);
        // The Hugo dialect: typographer, linkify, raw HTML omitted, GitHub ids, definition lists.
        let hugo = Dialect::hugo();
        c.bench_with_input(BenchmarkId::new("full_render_hugo", size), &doc, |b, doc| {
            b.iter(|| render_blocks_unhighlighted_in(black_box(doc), &hugo))
        });
        keystroke_bench_in(c, "prose_keystroke_hugo", size, &doc, &prose, hugo);
    }
}

/// Criterion's median estimate (ns) for `group/size`, from its estimates.json.
fn median_ns(root: &Path, group: &str, size: &str) -> Option<f64> {
    let path = root.join(group).join(size).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["median"]["point_estimate"].as_f64()
}

fn criterion_root() -> PathBuf {
    if let Ok(home) = std::env::var("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| manifest_dir().join("target"));
    target.join("criterion")
}

/// Prints medians and the ratios against the pulldown-cmark baseline measured in this run.
fn summary() {
    let root = criterion_root();
    println!("\nRendering summary (criterion medians; ratio = x / baseline_pulldown of the same size)");
    println!("{:<28} {:>12} {:>10}", "benchmark", "median", "ratio");
    for (size, _) in SIZES {
        let Some(baseline) = median_ns(&root, "baseline_pulldown", size) else {
            println!("{size}: no baseline measured in {}", root.display());
            continue;
        };
        for group in [
            "baseline_pulldown",
            "baseline_comrak",
            "full_render",
            "full_render_highlighted",
            "prose_keystroke",
            "code_keystroke",
            "full_render_hugo",
            "prose_keystroke_hugo",
        ] {
            if let Some(median) = median_ns(&root, group, size) {
                println!("{:<28} {:>9.3} ms {:>9.3}x", format!("{group}/{size}"), median / 1e6, median / baseline);
            }
        }
        for group in ["prose_keystroke", "prose_keystroke_hugo"] {
            if let Some(prose) = median_ns(&root, group, size) {
                let ratio = prose / baseline;
                let verdict = if ratio <= 0.2 { "ok" } else { "OVER BUDGET" };
                println!("{group} budget at {size}: {ratio:.3}x of one raw parse (limit 0.2x): {verdict}");
            }
        }
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    summary();
}
