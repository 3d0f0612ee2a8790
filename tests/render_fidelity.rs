//! What the preview shows: CommonMark + GFM extensions, heading ids, source lines on every block,
//! the summary divider, and coloured code for the languages technical writers use.
mod common;
use galley::render::highlight::{is_known_language, theme_css};
use galley::render::{preview_css, render_blocks, render_html};

const KITCHEN_SINK: &str = "\
# Title

Intro with *em*, **strong**, ~~gone~~, `code` and a [link](https://go.dev \"Go\").

## Setup {#install .wide}

- [x] done
- [ ] todo
  - nested

1. one
2. two

> quote
> more

> [!WARNING]
> Careful.

| left | centre | right |
|:-----|:------:|------:|
| a    | b      | c     |

Footnote here[^note].

[^note]: The note.

---

![diagram](img/d.png \"The diagram\")

<!--  More  -->

```go
package main
```

    indented code
";

fn start_tags(html: &str) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let inside = &rest[..end];
        if !inside.starts_with('/') {
            let name = inside.split([' ', '/']).next().unwrap_or("").to_string();
            tags.push((name, inside.to_string()));
        }
        rest = &rest[end..];
    }
    tags
}

#[test]
fn every_block_element_carries_its_source_line() {
    let html = render_html(KITCHEN_SINK);
    let block_elements = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "ul", "ol", "li", "blockquote", "table", "tr", "hr", "div"];
    let mut checked = 0;
    for (name, inside) in start_tags(&html) {
        if block_elements.contains(&name.as_str()) {
            assert!(inside.contains("data-line=\""), "<{inside}> has no data-line in\n{html}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} block elements in\n{html}");
}

#[test]
fn lines_are_the_source_lines() {
    let blocks = render_blocks(KITCHEN_SINK);
    let lines: Vec<usize> = blocks.iter().map(|block| block.line).collect();
    // # Title, intro, ## Setup, task list, ordered list, quote, alert, table, footnote para,
    // footnote def, hr, image, divider, go code, indented code.
    assert_eq!(lines, vec![1, 3, 5, 7, 11, 14, 17, 20, 24, 26, 28, 30, 32, 34, 38]);
    for block in &blocks {
        assert!(block.html.contains(&format!("data-line=\"{}\"", block.line)), "{}", block.html);
    }
    let html = render_html(KITCHEN_SINK);
    assert!(html.contains("<li data-line=\"9\">"), "nested item line: {html}");
    assert!(html.contains("<tr data-line=\"22\">"), "body row line: {html}");
}

#[test]
fn gfm_extensions_render() {
    let html = render_html(KITCHEN_SINK);
    for needle in [
        "<del>gone</del>",
        "<code>code</code>",
        "<a href=\"https://go.dev\" title=\"Go\" rel=\"noopener noreferrer\">link</a>",
        "class=\"task task-done\"",
        "<ol data-line=\"11\">",
        "<blockquote data-line=\"14\">",
        "class=\"markdown-alert markdown-alert-warning\"",
        "<p data-line=\"17\" class=\"markdown-alert-title\">Warning</p>",
        "<th style=\"text-align: left\">left</th>",
        "<th style=\"text-align: center\">centre</th>",
        "<td style=\"text-align: right\">c</td>",
        "<sup class=\"footnote-reference\"><a href=\"#fn-note\" rel=\"noopener noreferrer\">1</a></sup>",
        "class=\"footnote-definition\" id=\"fn-note\"",
        "<hr data-line=\"28\">",
        "<img src=\"img/d.png\" alt=\"diagram\" title=\"The diagram\">",
        "class=\"galley-more\"",
        "<pre data-line=\"38\" class=\"code\"><code class=\"plain\">indented code\n</code></pre>",
    ] {
        assert!(html.contains(needle), "missing {needle} in\n{html}");
    }
}

#[test]
fn heading_ids_are_slugs_deduplicated_and_explicit_ids_win() {
    let html = render_html(
        "# Hello, World!\n\n## Hello, World!\n\n### Hello World {#hello-world-1}\n\n# Hello, World!\n\n# `go` test & more\n\n## Setup {#install .wide}\n",
    );
    for needle in [
        "id=\"hello-world\">Hello, World!</h1>",
        "id=\"hello-world-1\">Hello, World!</h2>",
        "id=\"hello-world-1\">Hello World</h3>",
        "id=\"hello-world-2\">Hello, World!</h1>",
        "id=\"go-test-more\">",
        "id=\"install\">Setup</h2>",
    ] {
        assert!(html.contains(needle), "missing {needle} in\n{html}");
    }
    // Author classes are not Galley classes: the sanitizer drops them.
    assert!(!html.contains("wide"), "{html}");
}

#[test]
fn more_divider_variants() {
    for divider in ["<!-- more -->", "<!--more-->", "<!--   MORE   -->", "<!-- More -->"] {
        let html = render_html(&format!("Intro.\n\n{divider}\n\nRest.\n"));
        assert!(html.contains("<div data-line=\"3\" class=\"galley-more\" role=\"separator\">"), "{divider}: {html}");
    }
    let html = render_html("Intro.\n\n<!-- more than this -->\n\nRest.\n");
    assert!(!html.contains("galley-more"), "{html}");
}

#[test]
fn technical_languages_are_coloured() {
    let samples: &[(&str, &str)] = &[
        ("go", "package main\n\nfunc main() { println(\"hi\") }\n"),
        ("golang", "var x = 1\n"),
        ("rust", "fn main() { let x: u32 = 1; }\n"),
        ("rs", "pub struct S;\n"),
        ("c", "#include <stdio.h>\nint main(void) { return 0; }\n"),
        ("asm", "mov rax, 1\nsyscall\n"),
        ("nasm", "section .text\nglobal _start\n_start: mov eax, 60\n"),
        ("x86asm", "push rbp\nmov rbp, rsp\n"),
        ("bash", "for f in *.md; do echo \"$f\"; done\n"),
        ("sh", "export A=1 && ls -la\n"),
        ("shell", "if [ -f x ]; then cat x; fi\n"),
        ("yaml", "title: Post\ntags: [go, ebpf]\n"),
        ("yml", "a: 1\n"),
        ("toml", "[package]\nname = \"galley\"\n"),
        ("dockerfile", "FROM debian:12\nRUN apt-get update\n"),
        ("Dockerfile", "FROM scratch\nCOPY a /a\n"),
        ("json", "{\"a\": [1, true, null]}\n"),
    ];
    for (lang, code) in samples {
        assert!(is_known_language(lang), "{lang} unknown");
        let html = render_html(&format!("```{lang}\n{code}```\n"));
        assert!(html.contains("<code class=\"hl-code\">"), "{lang}: {html}");
        assert!(html.contains("<span class=\"hl-"), "{lang} not coloured: {html}");
    }
}

#[test]
fn unknown_languages_are_plain_and_escaped() {
    for info in ["nosuchlang", "", "\"><script>"] {
        let html = render_html(&format!("```{info}\n<b>&amp;</b>\n```\n"));
        assert!(html.contains("<code class=\"plain\">&lt;b&gt;&amp;amp;&lt;/b&gt;\n</code>"), "{info}: {html}");
        assert!(!html.contains("<b>"), "{html}");
    }
}

#[test]
fn themes_are_class_based_and_differ() {
    let light = theme_css(false);
    let dark = theme_css(true);
    assert!(light.contains(".hl-"), "{light}");
    assert_ne!(light, dark);
    let preview = preview_css(true);
    assert!(preview.contains(&dark));
    assert!(preview.contains("color-scheme: dark"));
}

#[test]
fn the_sample_posts_render_with_coloured_code() {
    let dir = common::repo_path("content");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("content/") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("post");
        let html = render_html(&text);
        assert!(html.contains("<span class=\"hl-"), "no coloured code");
        count += 1;
    }
    assert!(count >= 1);
}
