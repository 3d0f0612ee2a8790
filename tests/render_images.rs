//! Image sources in the preview: relative and root-relative `src` become `galley-asset` URLs of the
//! open post, remote ones obey "Load remote images", nothing a writer types can forge such a URL,
//! and the incremental renderer with image sources equals a full render with them.
use galley::render::{render_blocks, render_blocks_with, Dialect, ImageSources, Renderer};
use proptest::prelude::*;

fn html(markdown: &str, sources: &ImageSources) -> String {
    render_blocks_with(markdown, &Dialect::galley(), sources).into_iter().map(|block| block.html).collect()
}

#[test]
fn image_sources_map_to_the_posts_scheme_urls() {
    let sources = ImageSources::for_post(42, true);
    let out = html(
        "![a](diagram.png) ![b](./img/a%20b.png \"t\") ![c](/images/abs.png)\n\n<img src=\"raw.svg\" alt=\"r\">\n\n\
         ![d](https://go.dev/x.png) [link](diagram.png)\n",
        &sources,
    );
    assert!(out.contains("src=\"galley-asset://localhost/post/42/diagram.png\""), "{out}");
    assert!(out.contains("src=\"galley-asset://localhost/post/42/img%2Fa%20b.png\""), "{out}");
    assert!(out.contains("src=\"galley-asset://localhost/site/42/images%2Fabs.png\""), "{out}");
    assert!(out.contains("src=\"galley-asset://localhost/post/42/raw.svg\""), "raw HTML images too: {out}");
    assert!(out.contains("src=\"https://go.dev/x.png\""), "{out}");
    assert!(out.contains("href=\"diagram.png\""), "links are not images: {out}");
    // Without a post (the CLI's render, export) everything stays as written.
    let plain = html("![a](diagram.png)\n", &ImageSources::default());
    assert_eq!(plain, render_blocks("![a](diagram.png)\n")[0].html);
    assert!(plain.contains("src=\"diagram.png\""), "{plain}");
}

#[test]
fn remote_images_load_nothing_when_off() {
    let off = ImageSources::for_post(1, false);
    let out =
        html("![r](https://example.com/a.png)\n\n<img src=\"http://example.com/b.png\">\n\n<img src=\"//example.com/c.png\">\n", &off);
    assert!(!out.contains("example.com/"), "no remote URL is left: {out}");
    assert_eq!(out.matches("src=\"galley-asset://localhost/remote/").count(), 3, "{out}");
}

#[test]
fn a_writer_cannot_forge_scheme_urls_or_inline_svg() {
    let sources = ImageSources::for_post(1, true);
    let out = html(
        "![x](galley-asset://localhost/post/2/secret.png)\n\n<img src=\"galley-asset://localhost/site/2/x.png\">\n\n\
         <svg><script>alert(1)</script></svg>\n\n![y](data:image/svg+xml,<svg onload=alert(1)>)\n\n\
         <img src=\"x.png\" onerror=\"alert(1)\">\n",
        &sources,
    );
    assert!(!out.contains("/post/2/") && !out.contains("/site/2/"), "another post's images: {out}");
    assert!(!out.contains("<svg") && !out.contains("<script") && !out.contains("onerror") && !out.contains("src=\"data:"), "{out}");
    assert!(out.contains("src=\"galley-asset://localhost/post/1/x.png\""), "{out}");
}

#[test]
fn changing_the_image_sources_renders_every_block_again() {
    let mut text = String::from("![r](https://x.test/r.png) ![a](a.png)\n\n");
    for n in 0..400 {
        text.push_str(&format!("Paragraph {n} with ![img](p{n}.png).\n\n"));
    }
    let mut renderer = Renderer::new();
    renderer.set_image_sources(ImageSources::for_post(3, true));
    renderer.render(&text);
    let off = ImageSources::for_post(3, false);
    renderer.set_image_sources(off.clone());
    text.push_str("The end.\n");
    let output = renderer.render(&text);
    assert_eq!(output.keep_head, 0, "every block is sent again");
    let expected: Vec<String> = render_blocks_with(&text, &Dialect::galley(), &off).into_iter().map(|block| block.html).collect();
    let got: Vec<String> = renderer.blocks().into_iter().map(|block| block.html).collect();
    assert_eq!(got, expected);
    assert!(got[0].contains("galley-asset://localhost/remote/"), "{}", got[0]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random edits to a document full of images: after each, the incremental renderer with the
    /// post's image sources equals a full render with them; changing the sources re-renders all.
    #[test]
    fn the_incremental_renderer_with_image_sources_equals_a_full_render(
        edits in prop::collection::vec((0.0f64..1.0, prop::sample::select(vec![
            "![a](a.png)", "![b](/static/b.png)", "<img src=\"c.svg\">", "![r](https://x.test/r.png)",
            "\n\n", "# head\n", "text ", "[ref]: d.png\n", "![ref][ref]", "`![no](code.png)`",
        ])), 1..24),
        remote in any::<bool>(),
    ) {
        let mut sources = ImageSources::for_post(9, remote);
        let mut renderer = Renderer::new();
        renderer.set_image_sources(sources.clone());
        let mut text = String::from("Intro ![x](x.png)\n\n");
        renderer.render(&text);
        for (index, (at, insert)) in edits.into_iter().enumerate() {
            let mut cut = (text.len() as f64 * at) as usize;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.insert_str(cut, insert);
            if index == 5 {
                sources.load_remote = !sources.load_remote;
                renderer.set_image_sources(sources.clone());
            }
            renderer.render(&text);
            let expected: Vec<String> = render_blocks_with(&text, &Dialect::galley(), &sources).into_iter().map(|block| block.html).collect();
            let got: Vec<String> = renderer.blocks().into_iter().map(|block| block.html).collect();
            prop_assert_eq!(got, expected, "text: {:?}", text);
        }
    }
}
