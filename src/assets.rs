//! What a post's asset is (pure, no IO): its kind detected from its bytes, its MIME type, the size
//! limit, the rules for its post-relative name, and which names a post's text refers to.
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The largest file Galley stores with a post (an image or any other file of a bundle).
pub const MAX_ASSET_BYTES: usize = 25 * 1024 * 1024;

/// Longest component (folder or file name) of an asset name, in bytes.
pub const MAX_NAME_COMPONENT_BYTES: usize = 255;

/// How many bytes at the start of a file are read to recognise an SVG document.
const SVG_SNIFF_BYTES: usize = 4096;

/// What a stored file is, from its content (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// WebP image.
    Webp,
    /// AVIF image.
    Avif,
    /// SVG image (an XML document whose root element is `<svg>`).
    Svg,
    /// Anything else (a PDF, a data file of a bundle, a `.png` that is really a program).
    Other,
}

impl AssetKind {
    /// Detects the kind from the bytes: magic numbers for the raster formats, the first element
    /// of the XML document for SVG.
    pub fn detect(bytes: &[u8]) -> AssetKind {
        match infer::get(bytes).map(|kind| kind.mime_type()) {
            Some("image/png") => AssetKind::Png,
            Some("image/jpeg") => AssetKind::Jpeg,
            Some("image/gif") => AssetKind::Gif,
            Some("image/webp") => AssetKind::Webp,
            Some("image/avif") => AssetKind::Avif,
            // An SVG is XML text: the magic-number matcher may call it `text/xml` or nothing.
            _ if is_svg(bytes) => AssetKind::Svg,
            _ => AssetKind::Other,
        }
    }

    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            AssetKind::Png => "image/png",
            AssetKind::Jpeg => "image/jpeg",
            AssetKind::Gif => "image/gif",
            AssetKind::Webp => "image/webp",
            AssetKind::Avif => "image/avif",
            AssetKind::Svg => "image/svg+xml",
            AssetKind::Other => "application/octet-stream",
        }
    }

    /// Whether it is one of the image formats the preview shows.
    pub fn is_image(self) -> bool {
        self != AssetKind::Other
    }

    /// The name stored in the library.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Png => "png",
            AssetKind::Jpeg => "jpeg",
            AssetKind::Gif => "gif",
            AssetKind::Webp => "webp",
            AssetKind::Avif => "avif",
            AssetKind::Svg => "svg",
            AssetKind::Other => "other",
        }
    }

    /// Parses a stored name (unknown names are `Other`).
    pub fn parse(name: &str) -> AssetKind {
        match name {
            "png" => AssetKind::Png,
            "jpeg" => AssetKind::Jpeg,
            "gif" => AssetKind::Gif,
            "webp" => AssetKind::Webp,
            "avif" => AssetKind::Avif,
            "svg" => AssetKind::Svg,
            _ => AssetKind::Other,
        }
    }
}

/// Whether the start of `bytes` is an XML document whose root element is `svg` (after an optional
/// byte order mark, XML declaration, comments, processing instructions and doctype).
fn is_svg(bytes: &[u8]) -> bool {
    use quick_xml::events::Event;
    let head = &bytes[..bytes.len().min(SVG_SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(element)) | Ok(Event::Empty(element)) => {
                return element.local_name().into_inner() == "svg";
            }
            Ok(Event::Decl(_)) | Ok(Event::Comment(_)) | Ok(Event::PI(_)) | Ok(Event::DocType(_)) => {}
            Ok(Event::Text(text)) if text.clone().into_inner().trim().is_empty() => {}
            _ => return false,
        }
        buffer.clear();
    }
}

/// Checks a post-relative asset name (`diagram.png`, `img/a b.svg`) and returns it normalized
/// (`./` components removed). Refused: empty names and components, `..`, a leading `/`, `\`,
/// NUL and other control characters, a component longer than 255 bytes.
pub fn validate_name(name: &str) -> Result<String> {
    let refuse = |reason: &str| Err(Error::BadAssetName { name: name.to_string(), reason: reason.to_string() });
    if name.is_empty() {
        return refuse("the name is empty");
    }
    if name.starts_with('/') {
        return refuse("the name starts with '/' (a post's files are named relative to the post)");
    }
    if name.contains('\\') {
        return refuse("the name contains '\\'");
    }
    if name.chars().any(char::is_control) {
        return refuse("the name contains a NUL or another control character");
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "." => continue,
            "" => return refuse("the name has an empty folder (two '/' in a row, or a trailing '/')"),
            ".." => return refuse("the name contains '..' (a post's files stay beside the post)"),
            part if part.len() > MAX_NAME_COMPONENT_BYTES => return refuse("a part of the name is longer than 255 bytes"),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return refuse("the name has no file name");
    }
    Ok(parts.join("/"))
}

/// The first component of a library name for a root-relative link (`/images/a.png` is stored as
/// `@root/images/a.png`): the file came from the site's static folder.
pub const ROOT_MARKER: &str = "@root";

/// The component standing for `..` at the start of a relative link that leaves the post's folder
/// (`../../assets/a.png` is stored as `@up/@up/assets/a.png`).
pub const UP_MARKER: &str = "@up";

/// The library name of the file a link destination in a post points at, or `None` when it cannot
/// be one of the post's files (a URL with a scheme or host, an anchor, an empty or bad path).
/// The same name is used by import (which stores the file) and the preview (which looks it up):
/// - `diagram.png`, `./img/a%20b.svg` → `diagram.png`, `img/a b.svg` (percent-decoded, `?query`
///   and `#fragment` dropped);
/// - `/images/abs.png` → `@root/images/abs.png` (a file of the site's static folder);
/// - `../../assets/x.png` → `@up/@up/assets/x.png` (a file outside the post's folder).
pub fn link_name(destination: &str) -> Option<String> {
    let destination = destination.trim();
    let path = destination.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with("//") || has_scheme(path) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let (rooted, rest) = match decoded.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, decoded.as_ref()),
    };
    let mut parts: Vec<&str> = Vec::new();
    let mut ups = 0;
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.is_empty() && !rooted => ups += 1,
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let prefix: Vec<&str> = if rooted { vec![ROOT_MARKER] } else { vec![UP_MARKER; ups] };
    let name = prefix.into_iter().chain(parts).collect::<Vec<_>>().join("/");
    validate_name(&name).ok()
}

/// The site-relative path a library name stands for, given the folder of the post (site-relative,
/// "" at the top) and the site's static folder for root-relative links ("" when it is the site
/// folder itself). `None` when the name climbs out of the site folder.
pub fn site_path(name: &str, post_folder: &str, static_folder: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = name.split('/').peekable();
    if rest.peek() == Some(&ROOT_MARKER) {
        rest.next();
        parts.extend(static_folder.split('/').filter(|p| !p.is_empty()));
    } else {
        parts.extend(post_folder.split('/').filter(|p| !p.is_empty()));
        while rest.peek() == Some(&UP_MARKER) {
            rest.next();
            parts.pop()?;
        }
    }
    parts.extend(rest);
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The name a file gets beside a post exported into its own folder: the library name without its
/// `@root`/`@up` markers (`@root/images/a.png` → `images/a.png`).
pub fn plain_name(name: &str) -> &str {
    let mut rest = name;
    while let Some(after) = rest.strip_prefix(ROOT_MARKER).or_else(|| rest.strip_prefix(UP_MARKER)).and_then(|r| r.strip_prefix('/')) {
        rest = after;
    }
    rest
}

fn has_scheme(path: &str) -> bool {
    match path.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Whether a post's text (front matter and body, or a revision's) refers to the asset `name`: the
/// name as written, or percent-encoded (`a%20b.png`), appears anywhere in it. Deliberately
/// generous: an asset is never dropped while any text of its post could still be pointing at it.
pub fn text_mentions(text: &str, name: &str) -> bool {
    if text.contains(name) {
        return true;
    }
    let encoded = percent_encoding::utf8_percent_encode(name, NAME_ENCODE).to_string();
    encoded != name && text.contains(&encoded)
}

/// Characters percent-encoded in a link destination naming an asset (`/` stays).
const NAME_ENCODE: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// A name not in `taken`, made from `wanted` by adding `-2`, `-3`, … before its last extension
/// (`a.png` → `a-2.png`, `img/b` → `img/b-2`).
pub fn unique_name(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(wanted) {
        return wanted.to_string();
    }
    let (folder, file) = match wanted.rfind('/') {
        Some(at) => wanted.split_at(at + 1),
        None => ("", wanted),
    };
    let (stem, extension) = match file.rfind('.') {
        Some(at) if at > 0 => file.split_at(at),
        _ => (file, ""),
    };
    (2..).map(|n| format!("{folder}{stem}-{n}{extension}")).find(|candidate| !taken(candidate)).unwrap_or_else(|| wanted.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn kinds_come_from_the_bytes_not_the_name() {
        assert_eq!(AssetKind::detect(PNG), AssetKind::Png);
        assert_eq!(AssetKind::detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"), AssetKind::Jpeg);
        assert_eq!(AssetKind::detect(b"GIF89a\x01\0\x01\0"), AssetKind::Gif);
        assert_eq!(AssetKind::detect(b"RIFF\x24\0\0\0WEBPVP8 "), AssetKind::Webp);
        assert_eq!(AssetKind::detect(b"\0\0\0\x18ftypavif\0\0\0\0avifmif1"), AssetKind::Avif);
        assert_eq!(AssetKind::detect(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), AssetKind::Other);
        assert_eq!(AssetKind::detect(b""), AssetKind::Other);
        assert_eq!(AssetKind::detect(b"hello, world"), AssetKind::Other);
    }

    #[test]
    fn svg_is_an_xml_document_with_an_svg_root() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#;
        assert_eq!(AssetKind::detect(svg), AssetKind::Svg);
        let with_prolog = b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- drawn -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg:svg>";
        assert_eq!(AssetKind::detect(with_prolog), AssetKind::Svg);
        assert_eq!(AssetKind::detect(b"<html><svg></svg></html>"), AssetKind::Other);
        assert_eq!(AssetKind::detect(b"text before <svg/>"), AssetKind::Other);
        assert_eq!(AssetKind::Svg.mime(), "image/svg+xml");
        assert!(AssetKind::Svg.is_image() && !AssetKind::Other.is_image());
    }

    #[test]
    fn stored_kind_names_round_trip() {
        for kind in [AssetKind::Png, AssetKind::Jpeg, AssetKind::Gif, AssetKind::Webp, AssetKind::Avif, AssetKind::Svg, AssetKind::Other] {
            assert_eq!(AssetKind::parse(kind.as_str()), kind);
        }
    }

    #[test]
    fn names_are_checked_and_normalized() {
        assert_eq!(validate_name("diagram.png").unwrap(), "diagram.png");
        assert_eq!(validate_name("./img/a b.svg").unwrap(), "img/a b.svg");
        assert_eq!(validate_name("img/./a.svg").unwrap(), "img/a.svg");
        for bad in ["", ".", "/abs.png", "../../x.png", "img/../x.png", "a\\b.png", "a\0.png", "a\n.png", "img//a.png", "img/"] {
            let error = validate_name(bad).unwrap_err();
            assert!(matches!(error, Error::BadAssetName { .. }), "{bad:?}: {error}");
        }
        let long = format!("{}.png", "a".repeat(251));
        assert!(validate_name(&long).is_ok());
        assert!(validate_name(&format!("a{long}")).is_err());
        assert!(validate_name("../../x.png").unwrap_err().to_string().contains(".."));
    }

    #[test]
    fn mentions_include_percent_encoded_names() {
        assert!(text_mentions("![](a.png)", "a.png"));
        assert!(text_mentions("![](a%20b.png)", "a b.png"));
        assert!(text_mentions("<img src=\"img/a b.png\">", "img/a b.png"));
        assert!(!text_mentions("![](b.png)", "a.png"));
    }

    #[test]
    fn unique_names_count_before_the_extension() {
        let taken = ["a.png", "a-2.png", "img/b", "c.tar.gz", ".hidden"];
        let is_taken = |name: &str| taken.contains(&name);
        assert_eq!(unique_name("new.png", is_taken), "new.png");
        assert_eq!(unique_name("a.png", is_taken), "a-3.png");
        assert_eq!(unique_name("img/b", is_taken), "img/b-2");
        assert_eq!(unique_name("c.tar.gz", is_taken), "c.tar-2.gz");
        assert_eq!(unique_name(".hidden", is_taken), ".hidden-2");
    }

    #[test]
    fn link_destinations_map_to_library_names() {
        assert_eq!(link_name("diagram.png").as_deref(), Some("diagram.png"));
        assert_eq!(link_name(" ./img/a%20b.svg?v=2#x ").as_deref(), Some("img/a b.svg"));
        assert_eq!(link_name("/images/abs.png").as_deref(), Some("@root/images/abs.png"));
        assert_eq!(link_name("/images/../abs.png").as_deref(), Some("@root/abs.png"));
        assert_eq!(link_name("../../assets/x.png").as_deref(), Some("@up/@up/assets/x.png"));
        assert_eq!(link_name("img/../../x.png").as_deref(), Some("@up/x.png"));
        assert_eq!(link_name("/../x.png").as_deref(), None);
        for none in ["", "#top", "https://example.com/a.png", "data:image/png;base64,xx", "//cdn/a.png", "mailto:a@b", "a%00.png", "/"] {
            assert_eq!(link_name(none), None, "{none:?}");
        }
    }

    #[test]
    fn library_names_map_back_to_site_paths() {
        assert_eq!(site_path("diagram.png", "content/posts/bundle", "static").as_deref(), Some("content/posts/bundle/diagram.png"));
        assert_eq!(site_path("@root/images/abs.png", "content/posts/bundle", "static").as_deref(), Some("static/images/abs.png"));
        assert_eq!(site_path("@root/assets/a.png", "_posts", "").as_deref(), Some("assets/a.png"));
        assert_eq!(site_path("@up/@up/assets/x.png", "src/content/blog", "public").as_deref(), Some("src/assets/x.png"));
        assert_eq!(site_path("@up/x.png", "", "static"), None);
        assert_eq!(plain_name("@root/images/a.png"), "images/a.png");
        assert_eq!(plain_name("@up/@up/assets/x.png"), "assets/x.png");
        assert_eq!(plain_name("img/a.png"), "img/a.png");
    }
}
