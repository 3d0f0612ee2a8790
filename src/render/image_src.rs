//! Image sources of one post's preview: after sanitizing, each `<img src>` is mapped to the app's
//! `galley-asset` scheme (relative → the post's images, root-relative → the linked site's static
//! folder or the library) or, for remote images while they are off, to a placeholder that loads nothing.
use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The scheme's base URL as WebKitGTK and the CSP see it.
pub const ASSET_BASE: &str = "galley-asset://localhost/";

/// Everything but unreserved characters is encoded, `/` included: a name is one URL segment, so
/// no `..` in it is ever normalized away by the web view.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// How the preview of one post turns image sources into URLs. Part of the renderer's
/// configuration: a renderer given other sources renders everything again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSources {
    /// The post whose images relative sources name; `None` leaves every source as written
    /// (what `galley render` and the export print).
    pub post_id: Option<i64>,
    /// Whether `http(s):` images keep their URL; when false they become a local placeholder
    /// and the preview sends no request for them.
    pub load_remote: bool,
}

impl Default for ImageSources {
    fn default() -> Self {
        ImageSources { post_id: None, load_remote: true }
    }
}

/// What a sanitized `src` value means for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageTarget {
    /// Left as written.
    Keep,
    /// One of the post's own images, by the relative name the post uses.
    Post(String),
    /// A root-relative path (`/images/x.png` → `images/x.png`).
    Site(String),
    /// A remote image that must not be loaded.
    Remote,
}

impl ImageSources {
    /// Sources for the preview of post `post_id`.
    pub fn for_post(post_id: i64, load_remote: bool) -> Self {
        ImageSources { post_id: Some(post_id), load_remote }
    }

    /// Classifies one (already sanitized, so http/https/relative) `src`.
    pub fn target(&self, src: &str) -> ImageTarget {
        let src = src.trim();
        let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
        if lower.starts_with("http:") || lower.starts_with("https:") || src.starts_with("//") || src.starts_with("\\\\") {
            return if self.load_remote { ImageTarget::Keep } else { ImageTarget::Remote };
        }
        if self.post_id.is_none() || src.is_empty() || src.starts_with('#') || src.contains(':') {
            return ImageTarget::Keep;
        }
        let path = src.split(['?', '#']).next().unwrap_or_default();
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        match decoded.strip_prefix('/') {
            Some(rooted) => ImageTarget::Site(rooted.to_string()),
            None => ImageTarget::Post(decoded.trim_start_matches("./").to_string()),
        }
    }

    /// The URL the preview loads for `src`.
    pub fn url(&self, src: &str) -> Option<String> {
        let id = self.post_id.unwrap_or_default();
        match self.target(src) {
            ImageTarget::Keep => None,
            ImageTarget::Post(name) => Some(format!("{ASSET_BASE}post/{id}/{}", utf8_percent_encode(&name, SEGMENT))),
            ImageTarget::Site(path) => Some(format!("{ASSET_BASE}site/{id}/{}", utf8_percent_encode(&path, SEGMENT))),
            ImageTarget::Remote => Some(format!("{ASSET_BASE}remote/{}", utf8_percent_encode(src.trim(), SEGMENT))),
        }
    }
}

/// Rewrites the `src` of every `<img>` in sanitized HTML (ammonia's serialization: tags are
/// well formed, attribute values double-quoted with `&` and `"` escaped).
pub(crate) fn map_images<'h>(clean: &'h str, sources: &ImageSources) -> Cow<'h, str> {
    if (sources.post_id.is_none() && sources.load_remote) || !clean.contains("<img ") {
        return Cow::Borrowed(clean);
    }
    let mut out = String::with_capacity(clean.len() + 64);
    let mut in_tag = false;
    let mut in_quote = false;
    let mut copied = 0usize;
    let bytes = clean.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if in_tag {
            if in_quote {
                in_quote = b != b'"';
            } else if b == b'"' {
                in_quote = true;
            } else if b == b'>' {
                in_tag = false;
            }
            i += 1;
            continue;
        }
        if b != b'<' {
            i += 1;
            continue;
        }
        in_tag = true;
        if !clean[i..].starts_with("<img ") {
            i += 1;
            continue;
        }
        // Walk the img tag's attributes; only one that starts outside quotes is `src`.
        let mut j = i + 4;
        let mut quoted = false;
        while j < bytes.len() {
            let c = bytes[j];
            if quoted {
                quoted = c != b'"';
            } else if c == b'"' {
                quoted = true;
            } else if c == b'>' {
                break;
            } else if c == b' ' && clean[j..].starts_with(" src=\"") {
                let value_start = j + 6;
                let value_end = clean[value_start..].find('"').map_or(clean.len(), |end| value_start + end);
                let value = unescape_attribute(&clean[value_start..value_end]);
                if let Some(url) = sources.url(&value) {
                    out.push_str(&clean[copied..value_start]);
                    out.push_str(&escape_attribute(&url));
                    copied = value_end;
                }
                j = value_end + 1;
                continue;
            }
            j += 1;
        }
        i = j;
    }
    out.push_str(&clean[copied..]);
    Cow::Owned(out)
}

fn unescape_attribute(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&nbsp;", "\u{a0}").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> ImageSources {
        ImageSources::for_post(7, true)
    }

    #[test]
    fn relative_sources_name_the_posts_images() {
        let s = sources();
        assert_eq!(s.url("diagram.png").as_deref(), Some("galley-asset://localhost/post/7/diagram.png"));
        assert_eq!(s.url("./img/a b.png").as_deref(), Some("galley-asset://localhost/post/7/img%2Fa%20b.png"));
        assert_eq!(s.url("a%20b.png?x=1#y").as_deref(), Some("galley-asset://localhost/post/7/a%20b.png"));
        assert_eq!(s.url("../../x.png").as_deref(), Some("galley-asset://localhost/post/7/..%2F..%2Fx.png"));
        assert_eq!(s.url("/images/abs.png").as_deref(), Some("galley-asset://localhost/site/7/images%2Fabs.png"));
        assert_eq!(s.url("https://go.dev/a.png"), None);
        assert_eq!(s.url("#frag"), None);
        assert_eq!(ImageSources::default().url("diagram.png"), None);
    }

    #[test]
    fn remote_images_become_local_placeholders_when_off() {
        let off = ImageSources::for_post(7, false);
        for src in ["https://go.dev/a.png", "HTTP://x/y", "//cdn.example/x.png"] {
            let url = off.url(src).unwrap_or_default();
            assert!(url.starts_with("galley-asset://localhost/remote/"), "{src}: {url}");
        }
    }

    #[test]
    fn only_img_src_attributes_change() {
        let html = "<p><img src=\"a&amp;b.png\" alt=\"&lt;img src=&quot;x.png&quot;&gt;\"> src=\"y.png\" <a href=\"z.png\">z</a>\
                    <img alt=\" src=&quot;q\" src=\"https://x.test/i.png\" title=\"t\"></p>";
        let mapped = map_images(html, &ImageSources::for_post(3, false));
        assert_eq!(
            mapped,
            "<p><img src=\"galley-asset://localhost/post/3/a%26b.png\" alt=\"&lt;img src=&quot;x.png&quot;&gt;\"> src=\"y.png\" \
             <a href=\"z.png\">z</a><img alt=\" src=&quot;q\" src=\"galley-asset://localhost/remote/https%3A%2F%2Fx.test%2Fi.png\" title=\"t\"></p>"
        );
        assert!(matches!(map_images(html, &ImageSources::default()), Cow::Borrowed(_)));
    }
}
