//! The preview in a site's Markdown dialect: smart punctuation, autolinks, raw HTML kept or shown
//! as omitted, heading ids per generator (with their duplicates), definition lists, and the
//! deviations fixed in every dialect (table alignment, unclosed anchors, `foo):` links, comments).
use galley::render::{render_blocks_in, render_html, render_html_in, Dialect, Flavor, HeadingIds};

fn ids(html: &str) -> Vec<String> {
    html.match_indices(" id=\"").map(|(at, _)| html[at + 5..].split('"').next().unwrap_or("").to_string()).collect()
}

#[test]
fn hugo_has_the_typographer_galley_does_not() {
    let text = "\"quotes\" -- dash --- and it's ...\n";
    let hugo = render_html_in(text, &Dialect::hugo());
    assert!(hugo.contains("“quotes” – dash — and it’s …"), "{hugo}");
    let galley = render_html(text);
    assert!(galley.contains("\"quotes\" -- dash --- and it's ..."), "{galley}");
}

#[test]
fn bare_links_follow_the_dialect() {
    let text = "See www.example.org, https://go.dev/blog and me@example.org.\n";
    let galley = render_html(text);
    assert!(!galley.contains("<a "), "Galley's own dialect has no bare links: {galley}");
    let hugo = render_html_in(text, &Dialect::hugo());
    assert!(hugo.contains("<a href=\"https://www.example.org\""), "{hugo}");
    assert!(hugo.contains("<a href=\"https://go.dev/blog\""), "{hugo}");
    assert!(hugo.contains("<a href=\"mailto:me@example.org\""), "{hugo}");
    let astro = render_html_in(text, &Dialect::astro());
    assert!(astro.contains("<a href=\"http://www.example.org\""), "GFM gives www. http: {astro}");
    // Never inside a link or code.
    let inside = render_html_in("[www.a.org](https://b.org) `https://c.org`\n", &Dialect::hugo());
    assert_eq!(inside.matches("<a ").count(), 1, "{inside}");
}

#[test]
fn raw_html_is_shown_as_omitted_where_the_site_omits_it() {
    let text = "<center>\n<iframe src=\"https://x.org\"></iframe>\n</center>\n\nSome <b>bold</b> text.\n";
    let hugo = render_html_in(text, &Dialect::hugo());
    assert!(hugo.contains("class=\"galley-raw-omitted\""), "{hugo}");
    assert!(hugo.contains("raw HTML omitted"), "{hugo}");
    assert!(!hugo.contains("<center") && !hugo.contains("<b>"), "{hugo}");
    assert_eq!(hugo.matches("galley-raw-omitted").count(), 3, "one block marker, one per inline tag: {hugo}");
    let kept = render_html_in(text, &Dialect { raw_html: true, ..Dialect::hugo() });
    assert!(kept.contains("<b>bold</b>") && !kept.contains("galley-raw-omitted"), "{kept}");
    // The summary divider is not raw HTML to Galley: still the divider.
    assert!(render_html_in("a\n\n<!-- more -->\n\nb\n", &Dialect::hugo()).contains("galley-more"));
}

#[test]
fn a_comment_block_leaves_no_block() {
    for dialect in Flavor::ALL.map(Dialect::of) {
        let blocks = render_blocks_in("Intro.\n\n<!-- a note to self -->\n\nRest.\n", &dialect);
        assert_eq!(blocks.len(), 2, "{:?}: {blocks:?}", dialect.flavor);
        assert!(blocks.iter().all(|block| !block.html.contains("<div")), "{blocks:?}");
    }
}

#[test]
fn heading_ids_are_the_ones_each_generator_publishes() {
    let text = "# Go 1.22: What's New?\n\n## Über  Straße\n\n## Intro\n\n## Intro\n\n## Intro\n";
    assert_eq!(ids(&render_html_in(text, &Dialect::hugo())), ["go-122-whats-new", "über--straße", "intro", "intro-1", "intro-2"]);
    assert_eq!(ids(&render_html_in(text, &Dialect::zola())), ["go-1-22-what-s-new", "uber-strasse", "intro", "intro-1", "intro-2"]);
    assert_eq!(ids(&render_html_in(text, &Dialect::astro())), ["go-122-whats-new", "über--straße", "intro", "intro-1", "intro-2"]);
    let kramdown = Dialect { heading_ids: HeadingIds::Kramdown, ..Dialect::jekyll() };
    assert_eq!(ids(&render_html_in(text, &kramdown)), ["go-122-whats-new", "ber--strae", "intro", "intro-1", "intro-2"]);
    assert_eq!(ids(&render_html(text)), ["go-122-whats-new", "über-straße", "intro", "intro-1", "intro-2"]);
    let none = Dialect { heading_ids: HeadingIds::None, ..Dialect::hugo() };
    assert!(ids(&render_html_in(text, &none)).is_empty());
}

#[test]
fn definition_lists_where_the_generator_has_them() {
    let text = "Term\n: The definition.\n";
    let hugo = render_html_in(text, &Dialect::hugo());
    assert!(hugo.contains("<dl") && hugo.contains("<dt") && hugo.contains("<dd"), "{hugo}");
    let galley = render_html(text);
    assert!(!galley.contains("<dl"), "{galley}");
}

#[test]
fn footnotes_and_task_lists_render_in_every_dialect() {
    let text = "A claim.[^1]\n\n- [x] done\n- [ ] to do\n\n[^1]: The source.\n";
    for dialect in Flavor::ALL.map(Dialect::of) {
        let html = render_html_in(text, &dialect);
        assert!(html.contains("footnote-reference") && html.contains("footnote-definition"), "{:?}: {html}", dialect.flavor);
        assert!(html.contains("task-done"), "{:?}: {html}", dialect.flavor);
    }
}

#[test]
fn table_alignment_survives_the_sanitizer() {
    let html = render_html("| a | b | c |\n| :- | :-: | --: |\n| 1 | 2 | 3 |\n");
    assert!(html.contains("<th style=\"text-align: left\">a</th>"), "{html}");
    assert!(html.contains("<th style=\"text-align: center\">b</th>"), "{html}");
    assert!(html.contains("<td style=\"text-align: right\">3</td>"), "{html}");
    // A writer's own style stays out.
    let own = render_html("<table><tr><td style=\"color: red\">x</td></tr></table>\n");
    assert!(!own.contains("style="), "{own}");
}

#[test]
fn an_unclosed_anchor_is_not_repeated_after_its_block() {
    let html = render_html("<a href=\"/bar\">\n\nfoo <a href=\"x\">\n");
    assert_eq!(html.matches("href=\"/bar\"").count(), 1, "{html}");
    assert_eq!(html.matches("href=\"x\"").count(), 1, "{html}");
}

#[test]
fn escaped_punctuation_in_a_link_is_a_path_not_a_scheme() {
    let html = render_html("[link](foo\\)\\:)\n");
    assert!(html.contains("href=\"foo):\""), "{html}");
    assert!(!render_html("[x](java%09script:alert(1))\n").contains("href"));
}
