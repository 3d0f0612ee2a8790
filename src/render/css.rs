//! The preview's stylesheet: typography for the elements and classes the renderer emits, plus the
//! highlighter theme, in a light and a dark variant (a stylesheet swap, no re-render).
use super::highlight;

const TYPOGRAPHY: &str = r#"
:root { color-scheme: light; }
body { margin: 0; padding: 1.5rem 2rem 4rem; background: var(--bg); color: var(--fg);
  font: 17px/1.65 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
  max-width: 46rem; overflow-wrap: break-word; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.25; margin: 1.8em 0 0.6em; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; } h3 { font-size: 1.25rem; } h4, h5, h6 { font-size: 1rem; }
p, ul, ol, dl, table, pre, blockquote, .markdown-alert, .footnote-definition { margin: 0 0 1rem; }
a { color: var(--link); text-decoration: underline; text-underline-offset: 2px; }
img { max-width: 100%; height: auto; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
code { font: 0.88em/1.5 ui-monospace, "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
pre.code { background: var(--code-bg); border: 1px solid var(--rule); border-radius: 6px;
  padding: 0.8rem 1rem; overflow-x: auto; line-height: 1.45; }
pre.code code { background: none; padding: 0; font-size: 0.85rem; white-space: pre; tab-size: 4; }
blockquote { border-left: 3px solid var(--rule); margin-left: 0; padding: 0 1rem; color: var(--muted); }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: 0.35rem 0.7rem; }
th { background: var(--code-bg); }
.galley-raw-omitted { display: inline-block; border: 1px dashed var(--rule); border-radius: 4px; padding: 0 0.4em;
  color: var(--muted); font: 0.8rem system-ui, sans-serif; }
div.galley-raw-omitted { display: block; padding: 0.4rem 0.8rem; margin: 0 0 1rem; }
.task { display: inline-block; width: 1.2em; margin-left: -1.3em; color: var(--muted); }
.task-done { color: var(--link); }
del { color: var(--muted); }
.markdown-alert { border-left: 4px solid var(--alert); padding: 0.5rem 1rem; border-radius: 0 6px 6px 0;
  background: var(--alert-bg); }
.markdown-alert > :last-child { margin-bottom: 0; }
.markdown-alert-title { font: 600 0.95rem system-ui, sans-serif; color: var(--alert); margin-bottom: 0.4rem; }
.markdown-alert-note { --alert: #0969da; } .markdown-alert-tip { --alert: #1a7f37; }
.markdown-alert-important { --alert: #8250df; } .markdown-alert-warning { --alert: #9a6700; }
.markdown-alert-caution { --alert: #cf222e; }
.footnote-reference { font-size: 0.75em; line-height: 0; }
.footnote-definition { font-size: 0.9rem; color: var(--muted); display: flex; gap: 0.5rem; }
.footnote-definition > p { margin: 0; }
.footnote-definition-label { font-weight: 600; }
.galley-render-error { border: 2px solid #cf222e; border-radius: 6px; padding: 0.5rem 1rem; margin: 0 0 1rem;
  font: 0.95rem/1.5 system-ui, sans-serif; }
.galley-render-error > p { margin: 0.3rem 0; }
.galley-more { display: flex; align-items: center; gap: 0.75rem; margin: 2rem 0; color: var(--muted);
  font: 600 0.75rem system-ui, sans-serif; letter-spacing: 0.12em; text-transform: uppercase; }
.galley-more::before, .galley-more::after { content: ""; flex: 1; border-top: 2px dashed var(--rule); }
"#;

const LIGHT: &str = ":root { --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --link: #0550ae; \
--rule: #d1d9e0; --code-bg: #f6f8fa; --alert-bg: #f6f8fa; }\n";

const DARK: &str = ":root { color-scheme: dark; --bg: #16181d; --fg: #e6e6e6; --muted: #9ba3ad; \
--link: #79b8ff; --rule: #3a3f47; --code-bg: #1f2229; --alert-bg: #1c1f25; }\n\
.markdown-alert-note { --alert: #4493f8; } .markdown-alert-tip { --alert: #3fb950; } \
.markdown-alert-important { --alert: #ab7df8; } .markdown-alert-warning { --alert: #d29922; } \
.markdown-alert-caution { --alert: #f85149; }\n";

/// The whole preview stylesheet (typography + code colours) for the light or the dark theme.
/// The UI injects it into the preview iframe; switching themes swaps this one stylesheet.
pub fn preview_css(dark: bool) -> String {
    let mut css = String::from(TYPOGRAPHY);
    css.push_str(if dark { DARK } else { LIGHT });
    css.push_str(&highlight::theme_css(dark));
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_themes_style_code_and_prose() {
        for dark in [false, true] {
            let css = preview_css(dark);
            assert!(css.contains(".hl-"), "highlighter classes missing");
            assert!(css.contains(".galley-more"));
            assert!(css.contains(".markdown-alert-note"));
            assert!(!css.contains("url("), "the preview CSS must not load anything");
        }
        assert_ne!(preview_css(false), preview_css(true));
    }
}
