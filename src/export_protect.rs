//! Template syntax across generators: finds Liquid (`{{ }}`, `{% %}`), Hugo shortcodes (`{{< >}}`,
//! `{{% %}}`) and Zola shortcodes (`{{ name(…) }}`, `{% name(…) %}…{% end %}`) in a post's body, in
//! prose or in code (pulldown-cmark offsets), and protects them for the generator an export targets.
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::Serialize;

use crate::site::config::Generator;

/// Where a piece of template syntax sits in the Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Running text (paragraphs, headings, HTML).
    Prose,
    /// An inline code span.
    InlineCode,
    /// A fenced or indented code block.
    CodeBlock,
}

impl Place {
    fn is_code(self) -> bool {
        self != Place::Prose
    }
}

/// How a post's template syntax was protected for its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Protection {
    /// The generator protected against.
    pub generator: Generator,
    /// What was done, in words (`render_with_liquid: false`, `{% raw %} around 2 code blocks`, …).
    pub how: String,
    /// Pieces of template syntax protected inside code.
    pub in_code: usize,
    /// Pieces of template syntax protected in prose.
    pub in_prose: usize,
}

/// A body made safe for a generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// The body to write.
    pub body: String,
    /// Jekyll only: the front matter must say `render_with_liquid: false`.
    pub disable_liquid: bool,
    /// What was protected (`None`: nothing needed it, the body is unchanged).
    pub protection: Option<Protection>,
}

/// One piece of template syntax: its byte range in the body (the whole tag when it is closed, the
/// opening delimiter when not) and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    range: Range<usize>,
    closed: bool,
    place: Place,
}

/// The code regions of a body: inline code spans and code blocks, with their byte ranges.
fn code_regions(body: &str) -> Vec<(Range<usize>, Place)> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut regions = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => regions.push((range, Place::CodeBlock)),
            Event::Code(_) => regions.push((range, Place::InlineCode)),
            _ => {}
        }
    }
    regions
}

fn place_of(regions: &[(Range<usize>, Place)], at: usize) -> (Place, Option<usize>) {
    regions.iter().enumerate().find(|(_, (range, _))| range.contains(&at)).map_or((Place::Prose, None), |(i, (_, place))| (*place, Some(i)))
}

/// Every occurrence of `open` followed by the first `close` after it (an unclosed opening is a
/// token of its own: the generator sees it too).
fn delimited(body: &str, open: &str, close: &str, starts: impl Fn(&str) -> bool) -> Vec<(Range<usize>, bool)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = body[from..].find(open).map(|i| i + from) {
        if !starts(&body[at..]) {
            from = at + open.len();
            continue;
        }
        let after = at + open.len();
        match body[after..].find(close) {
            Some(end) => {
                let end = after + end + close.len();
                found.push((at..end, true));
                from = end;
            }
            None => {
                found.push((at..after, false));
                from = after;
            }
        }
    }
    found
}

/// Liquid: `{{ … }}` and `{% … %}` (what Jekyll's Liquid pass reads, wherever it is in the file).
fn liquid_tokens(body: &str) -> Vec<(Range<usize>, bool)> {
    let mut tokens = Vec::new();
    let mut from = 0;
    while let Some(at) = body[from..].find('{').map(|i| i + from) {
        let rest = &body[at..];
        let close = if rest.starts_with("{{") {
            "}}"
        } else if rest.starts_with("{%") {
            "%}"
        } else {
            from = at + 1;
            continue;
        };
        match rest[2..].find(close) {
            Some(end) => {
                let end = at + 2 + end + 2;
                tokens.push((at..end, true));
                from = end;
            }
            None => {
                tokens.push((at..at + 2, false));
                from = at + 2;
            }
        }
    }
    tokens
}

/// Hugo shortcodes: `{{< … >}}` and `{{% … %}}` (already escaped `{{</* */>}}` ones left out).
fn hugo_tokens(body: &str) -> Vec<(Range<usize>, bool)> {
    let mut tokens = delimited(body, "{{<", ">}}", |s| !s.starts_with("{{</*"));
    tokens.extend(delimited(body, "{{%", "%}}", |s| !s.starts_with("{{%/*")));
    tokens.sort_by_key(|(range, _)| range.start);
    tokens
}

/// `name(` (Zola's shortcode names are `[0-9A-Za-z_]+`, and the parentheses are mandatory).
fn zola_call(inner: &str) -> bool {
    let inner = inner.trim_start();
    let name_len = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    name_len > 0 && inner[name_len..].trim_start().starts_with('(')
}

/// Zola shortcodes: `{{ name(…) }}`, `{% name(…) %}` and `{% end %}`.
fn zola_tokens(body: &str) -> Vec<(Range<usize>, bool)> {
    let mut tokens = delimited(body, "{{", "}}", |s| zola_call(&s[2..]));
    tokens.extend(delimited(body, "{%", "%}", |s| zola_call(&s[2..]) || s[2..].trim_start().starts_with("end")));
    tokens.retain(|(range, closed)| {
        !*closed || {
            let text = &body[range.clone()];
            let inner = text[2..text.len() - 2].trim();
            text.starts_with("{{") || zola_call(inner) || inner == "end"
        }
    });
    tokens.sort_by_key(|(range, _)| range.start);
    tokens
}

fn located(body: &str, raw: Vec<(Range<usize>, bool)>, regions: &[(Range<usize>, Place)]) -> Vec<(Token, Option<usize>)> {
    let _ = body;
    raw.into_iter()
        .map(|(range, closed)| {
            let (place, region) = place_of(regions, range.start);
            (Token { range, closed, place }, region)
        })
        .collect()
}

/// Liquid tags and objects a Jekyll site really uses (`{% include … %}`, `{{ site.title }}`):
/// syntax that looks like this in the prose of a post written in Galley is meant for Liquid.
fn looks_like_liquid(text: &str) -> bool {
    const TAGS: &[&str] = &[
        "include",
        "include_relative",
        "if",
        "elsif",
        "else",
        "endif",
        "unless",
        "endunless",
        "for",
        "endfor",
        "case",
        "when",
        "endcase",
        "assign",
        "capture",
        "endcapture",
        "comment",
        "endcomment",
        "raw",
        "endraw",
        "highlight",
        "endhighlight",
        "link",
        "post_url",
        "increment",
        "decrement",
        "cycle",
        "break",
        "continue",
        "tablerow",
        "endtablerow",
    ];
    if let Some(inner) = text.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")) {
        let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner.split_whitespace().next().unwrap_or("");
        return TAGS.contains(&word);
    }
    if let Some(inner) = text.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")) {
        // Objects of a Jekyll site (`site.title`, `page.url`, `include.x`…) or anything filtered
        // (`x | relative_url`); Go's `{{.Name}}`, `{{end}}`, `{{range .}}` are none of these.
        const OBJECTS: &[&str] = &["site.", "page.", "include.", "post.", "paginator.", "layout.", "jekyll.", "forloop.", "content"];
        let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let (head, filters) = inner.split_once('|').unwrap_or((inner, ""));
        let head = head.trim();
        let quoted =
            |s: &str| s.len() >= 2 && ["\"", "'"].iter().any(|q| s.starts_with(q) && s.ends_with(q) && !s[1..s.len() - 1].contains(q));
        let path = |s: &str| {
            s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        };
        // `x | filter: arg`: each filter an identifier.
        let filtered = !filters.is_empty()
            && (path(head) || quoted(head))
            && filters.split('|').all(|f| path(f.split(':').next().unwrap_or("").trim()));
        return filtered || (path(head) && OBJECTS.iter().any(|o| head.starts_with(o)));
    }
    false
}

fn unchanged(body: &str) -> Protected {
    Protected { body: body.to_string(), disable_liquid: false, protection: None }
}

/// Rewrites `body` with `edits` (non-overlapping `(range, replacement)`, any order).
fn apply(body: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(body.len() + edits.len() * 16);
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&body[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

/// Protects the template syntax of `body` for `target`. `origin` is the generator of the site the
/// post was imported from (`None`: written in Galley). A post from a site of the target's own
/// generator is left as is; a post written in Galley keeps the target's syntax in prose (the writer
/// may mean it) and gets it protected in code; a post from another generator gets all of it
/// protected. Astro's Markdown has no template syntax.
pub fn protect(body: &str, target: Generator, origin: Option<Generator>) -> Protected {
    if origin == Some(target) || target == Generator::Astro {
        return unchanged(body);
    }
    match target {
        Generator::Jekyll => protect_liquid(body, origin),
        Generator::Hugo => escape_each(body, origin, Generator::Hugo, hugo_tokens(body), |text| {
            // `{{< x >}}` → `{{</* x */>}}`, `{{% x %}}` → `{{%/* x */%}}`.
            let (open, close) = text.split_at(3);
            let close_at = close.len() - 3;
            format!("{open}/*{}*/{}", &close[..close_at], &close[close_at..])
        }),
        Generator::Zola => escape_each(body, origin, Generator::Zola, zola_tokens(body), |text| {
            // `{{ x() }}` → `{{/* x() */}}`, `{% x() %}` → `{%/* x() */%}`.
            let (open, rest) = text.split_at(2);
            let (inner, close) = rest.split_at(rest.len() - 2);
            format!("{open}/*{inner}*/{close}")
        }),
        Generator::Astro => unchanged(body),
    }
}

/// Hugo and Zola: each closed shortcode that must not run is escaped in place. Unclosed openings
/// are left alone (neither generator reads them as shortcodes without their closing delimiter).
fn escape_each(
    body: &str,
    origin: Option<Generator>,
    generator: Generator,
    raw: Vec<(Range<usize>, bool)>,
    escape: impl Fn(&str) -> String,
) -> Protected {
    if raw.is_empty() {
        return unchanged(body);
    }
    let regions = code_regions(body);
    let tokens = located(body, raw, &regions);
    let chosen: Vec<&Token> = tokens.iter().map(|(t, _)| t).filter(|t| t.closed && (origin.is_some() || t.place.is_code())).collect();
    if chosen.is_empty() {
        return unchanged(body);
    }
    let in_code = chosen.iter().filter(|t| t.place.is_code()).count();
    let edits = chosen.iter().map(|t| (t.range.clone(), escape(&body[t.range.clone()]))).collect();
    let how = match generator {
        Generator::Hugo => "shortcodes escaped as {{</* */>}}",
        _ => "shortcodes escaped as {{/* */}} and {%/* */%}",
    };
    Protected {
        body: apply(body, edits),
        disable_liquid: false,
        protection: Some(Protection { generator, how: how.into(), in_code, in_prose: chosen.len() - in_code }),
    }
}

/// Jekyll: Liquid runs over the whole file, code included. Without real Liquid (always for a post
/// from another generator), `render_with_liquid: false` turns it off for the post; a post written
/// in Galley that uses Liquid in its prose keeps it, its code gets `{% raw %}…{% endraw %}` and any
/// other stray `{{`/`{%` in prose is printed literally (`{{ "{{" }}`).
fn protect_liquid(body: &str, origin: Option<Generator>) -> Protected {
    let raw = liquid_tokens(body);
    if raw.is_empty() {
        return unchanged(body);
    }
    let regions = code_regions(body);
    let tokens = located(body, raw, &regions);
    let in_code = tokens.iter().filter(|(t, _)| t.place.is_code()).count();
    let in_prose = tokens.len() - in_code;
    let real =
        origin.is_none() && tokens.iter().any(|(t, _)| t.place == Place::Prose && t.closed && looks_like_liquid(&body[t.range.clone()]));
    if !real {
        return Protected {
            body: body.to_string(),
            disable_liquid: true,
            protection: Some(Protection { generator: Generator::Jekyll, how: "render_with_liquid: false".into(), in_code, in_prose }),
        };
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut wrapped: Vec<usize> = Vec::new();
    let mut stray = 0;
    let literal = |text: &str| format!("{{{{ \"{}\" }}}}", &text[..2]);
    for (token, region) in &tokens {
        match region {
            Some(index) if !wrapped.contains(index) => {
                let (range, _) = &regions[*index];
                let inside = &body[range.clone()];
                if inside.contains("endraw") {
                    // `{% raw %}` cannot hold its own end tag: print each delimiter literally instead.
                    for (other, _) in tokens.iter().filter(|(_, r)| r == region) {
                        edits.push((other.range.start..other.range.start + 2, literal(&body[other.range.clone()])));
                    }
                } else {
                    // Around the whole region, on the region's own lines (the tags vanish in Liquid's
                    // output, leaving the Markdown exactly as written).
                    let end = if inside.ends_with('\n') { range.end - 1 } else { range.end };
                    edits.push((range.start..range.start, "{% raw %}".into()));
                    edits.push((end..end, "{% endraw %}".into()));
                }
                wrapped.push(*index);
            }
            Some(_) => {}
            None if token.closed && looks_like_liquid(&body[token.range.clone()]) => {}
            None => {
                edits.push((token.range.start..token.range.start + 2, literal(&body[token.range.clone()])));
                stray += 1;
            }
        }
    }
    let how = format!(
        "{{% raw %}} around {} code region(s), {stray} stray delimiter(s) printed literally; the post's own Liquid kept",
        wrapped.len()
    );
    Protected {
        body: apply(body, edits),
        disable_liquid: false,
        protection: Some(Protection { generator: Generator::Jekyll, how, in_code, in_prose: stray }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FENCED: &str = "Intro.\n\n```go\nt := template.Must(template.New(\"x\").Parse(\"{{.Name}}\"))\n```\n";
    const INDENTED: &str = "Intro.\n\n    {{range .Items}}{{.}}{{end}}\n\nAfter.\n";
    const INLINE: &str = "Use `{{ .Title }}` in a layout.\n";
    const PROSE: &str = "Go templates write {{.Name}} for a field.\n";

    fn jekyll(body: &str, origin: Option<Generator>) -> Protected {
        protect(body, Generator::Jekyll, origin)
    }

    #[test]
    fn code_and_prose_are_told_apart() {
        for (body, place) in [(FENCED, Place::CodeBlock), (INDENTED, Place::CodeBlock), (INLINE, Place::InlineCode), (PROSE, Place::Prose)]
        {
            let regions = code_regions(body);
            let tokens = located(body, liquid_tokens(body), &regions);
            assert!(!tokens.is_empty(), "{body}");
            assert!(tokens.iter().all(|(t, _)| t.place == place), "{body}: {tokens:?}");
        }
        // A fence inside a list item, and `{{` right after a closed span: prose again.
        let body = "- item\n\n  ```\n  {{x}}\n  ```\n\n`a` {{y}}\n";
        let tokens = located(body, liquid_tokens(body), &code_regions(body));
        assert_eq!(tokens.iter().map(|(t, _)| t.place).collect::<Vec<_>>(), [Place::CodeBlock, Place::Prose]);
    }

    #[test]
    fn jekyll_turns_liquid_off_for_posts_from_other_generators() {
        for body in [FENCED, INDENTED, INLINE, PROSE, "Unclosed {{ here\n", "Triple {{{x}}}\n", "Trim {{- x -}}\n", "{% if %}\n"] {
            for origin in [Some(Generator::Hugo), Some(Generator::Zola), Some(Generator::Astro)] {
                let protected = jekyll(body, origin);
                assert!(protected.disable_liquid, "{body}");
                assert_eq!(protected.body, body, "the body itself is left alone");
                assert_eq!(protected.protection.unwrap().how, "render_with_liquid: false");
            }
        }
    }

    #[test]
    fn jekyll_posts_keep_their_liquid() {
        let body = "{% include note.html %}\n\n```\n{{x}}\n```\n";
        assert_eq!(jekyll(body, Some(Generator::Jekyll)), unchanged(body));
    }

    #[test]
    fn galley_posts_without_real_liquid_turn_it_off() {
        // `{{.Name}}`, `{{end}}`, `{{image "x.png"}}` in prose are Go's syntax, not Liquid's.
        let go = "{{raw `\n\tif r == nil || v.last < r.last {\n`}} {{.X | printf \"%q\"}}\n";
        for body in [FENCED, INLINE, PROSE, "{{end}} {{image \"a.png\"}} {{with .by}}\n", go] {
            let protected = jekyll(body, None);
            assert!(protected.disable_liquid, "{body}");
        }
    }

    #[test]
    fn real_liquid_is_told_from_other_braces() {
        for real in [
            "{{ site.title }}",
            "{{ page.url | relative_url }}",
            "{{ \"/a\" | absolute_url }}",
            "{{- content -}}",
            "{% include x.html %}",
            "{%- if a -%}",
        ] {
            assert!(looks_like_liquid(real), "{real}");
        }
        for other in [
            "{{.Name}}",
            "{{end}}",
            "{{raw `a || b`}}",
            "{{ name }}",
            "{{ x | }}",
            "{% quote(author=\"A\") %}",
            "{{< x >}}",
            "{%/* end */%}",
        ] {
            assert!(!looks_like_liquid(other), "{other}");
        }
    }

    #[test]
    fn galley_posts_with_real_liquid_get_raw_around_code() {
        let body = "See {% include note.html %} and {{ site.title }}.\n\n```go\nfmt.Println(\"{{.Name}}\")\n```\n\nUse `{{ x }}` and {{.Go}}.\n\n    {% indented %}\n";
        let protected = jekyll(body, None);
        assert!(!protected.disable_liquid);
        assert_eq!(
            protected.body,
            "See {% include note.html %} and {{ site.title }}.\n\n{% raw %}```go\nfmt.Println(\"{{.Name}}\")\n```{% endraw %}\n\n\
             Use {% raw %}`{{ x }}`{% endraw %} and {{ \"{{\" }}.Go}}.\n\n    {% raw %}{% indented %}{% endraw %}\n"
        );
        let protection = protected.protection.unwrap();
        assert_eq!((protection.in_code, protection.in_prose), (3, 1));
    }

    #[test]
    fn raw_blocks_that_hold_endraw_print_delimiters_literally() {
        let body = "{{ page.title }}\n\n```liquid\n{% raw %}{{x}}{% endraw %}\n```\n";
        let protected = jekyll(body, None);
        assert_eq!(protected.body, "{{ page.title }}\n\n```liquid\n{{ \"{%\" }} raw %}{{ \"{{\" }}x}}{{ \"{%\" }} endraw %}\n```\n");
    }

    #[test]
    fn hugo_shortcodes_are_escaped_where_they_do_not_belong() {
        let body = "Prose {{< figure src=\"a.png\" >}}.\n\n```\n{{< highlight go >}}x{{< /highlight >}}\n```\n\n`{{% note %}}` and {{</* done */>}}\n";
        // From Zola: everything, prose included.
        let zola = protect(body, Generator::Hugo, Some(Generator::Zola));
        assert_eq!(
            zola.body,
            "Prose {{</* figure src=\"a.png\" */>}}.\n\n```\n{{</* highlight go */>}}x{{</* /highlight */>}}\n```\n\n`{{%/* note */%}}` and {{</* done */>}}\n"
        );
        let p = zola.protection.unwrap();
        assert_eq!((p.in_code, p.in_prose), (3, 1));
        // Written in Galley: only code; the prose shortcode is the writer's.
        let galley = protect(body, Generator::Hugo, None);
        assert!(galley.body.starts_with("Prose {{< figure src=\"a.png\" >}}.\n"), "{}", galley.body);
        assert!(galley.body.contains("{{</* highlight go */>}}") && galley.body.contains("`{{%/* note */%}}`"));
        // From Hugo: as is.
        assert_eq!(protect(body, Generator::Hugo, Some(Generator::Hugo)), unchanged(body));
    }

    #[test]
    fn hugo_leaves_plain_braces_and_unclosed_openings() {
        for body in [FENCED, INDENTED, INLINE, PROSE, "```\n{{< never closed\n```\n", "{{{x}}} {{- y -}}\n"] {
            assert_eq!(protect(body, Generator::Hugo, Some(Generator::Jekyll)), unchanged(body), "{body}");
        }
    }

    #[test]
    fn zola_shortcodes_are_escaped_where_they_do_not_belong() {
        let body = "{{ youtube(id=\"x\") }}\n\n```\n{% quote(author=\"A\") %}\nbody\n{% end %}\n```\n\n`{{ gist(url=\"u\") }}`\n";
        let hugo = protect(body, Generator::Zola, Some(Generator::Hugo));
        assert_eq!(
            hugo.body,
            "{{/* youtube(id=\"x\") */}}\n\n```\n{%/* quote(author=\"A\") */%}\nbody\n{%/* end */%}\n```\n\n`{{/* gist(url=\"u\") */}}`\n"
        );
        let p = hugo.protection.unwrap();
        assert_eq!((p.in_code, p.in_prose), (3, 1));
        let galley = protect(body, Generator::Zola, None);
        assert!(galley.body.starts_with("{{ youtube(id=\"x\") }}\n"));
        assert!(galley.body.contains("{%/* end */%}"));
        assert_eq!(protect(body, Generator::Zola, Some(Generator::Zola)), unchanged(body));
    }

    #[test]
    fn zola_leaves_what_is_not_a_shortcode() {
        // No parentheses (Zola prints these as text), Go templates, Liquid, Hugo's own syntax.
        for body in [FENCED, INDENTED, INLINE, PROSE, "{{ name }} {% if x %}{% endif %}\n", "{{ youtube(id=1)\n", "{{< x >}}\n"] {
            assert_eq!(protect(body, Generator::Zola, Some(Generator::Jekyll)), unchanged(body), "{body}");
        }
    }

    #[test]
    fn astro_and_bodies_without_syntax_are_untouched() {
        assert_eq!(protect(FENCED, Generator::Astro, None), unchanged(FENCED));
        for target in [Generator::Hugo, Generator::Zola, Generator::Jekyll] {
            assert_eq!(protect("Plain { braces } and %}.\n", target, Some(Generator::Hugo)), unchanged("Plain { braces } and %}.\n"));
        }
    }
}
