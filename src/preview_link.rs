//! What a link clicked in the preview means. The preview frame never navigates: every navigation
//! it starts is blocked and classified here, then the app scrolls, asks before opening the page
//! in the browser, or says why it cannot follow the link.
use serde::Serialize;
use url::Url;

/// Where a clicked link leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PreviewLink {
    /// A heading or footnote in the post itself: scroll the preview there.
    Anchor {
        /// The fragment, percent-decoded.
        id: String,
    },
    /// A page outside the app (http, https, mailto): ask, then open in the system browser.
    External {
        /// The URL to open.
        url: String,
    },
    /// A page of the writer's own site (`/`, `/about/`, `other-post/`) with no known base URL to
    /// resolve it against: nothing opens; the writer sees the path and why.
    InsideSite {
        /// The link's path (with query and fragment).
        path: String,
    },
    /// Something Galley does not open (another scheme, the app itself).
    Refused {
        /// The URL as clicked.
        url: String,
    },
}

/// True for the origins the app's own page (and so the preview frame's base) is served from.
fn is_app_origin(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// The app's own document path (a bare fragment link in the preview resolves against it).
fn is_app_document(url: &Url) -> bool {
    matches!(url.path(), "" | "/" | "/index.html")
}

/// True for the only pages the window itself may load: the app's own document (no query or
/// fragment: those are links) and the preview frame's blank document. The app decides when the
/// app's document may load (once, when the window opens); everything else is a link to classify.
pub fn is_app_page(url: &Url) -> bool {
    if url.query().is_some() || url.fragment().is_some() {
        return false;
    }
    match url.scheme() {
        "about" => matches!(url.path(), "blank" | "srcdoc"),
        _ => is_app_origin(url) && is_app_document(url),
    }
}

/// Classifies a navigation the preview frame attempted. `site_base` is the linked site's
/// published base URL, when its config names one (`https://example.org/blog/`).
pub fn classify(url: &Url, site_base: Option<&str>) -> PreviewLink {
    let fragment = || url.fragment().map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy().into_owned()).unwrap_or_default();
    match url.scheme() {
        "about" => return PreviewLink::Anchor { id: fragment() },
        "http" | "https" | "mailto" if !is_app_origin(url) => {
            return if crate::render::sanitize::points_at_app(url.as_str()) {
                PreviewLink::Refused { url: url.to_string() }
            } else {
                PreviewLink::External { url: url.to_string() }
            };
        }
        _ if !is_app_origin(url) => return PreviewLink::Refused { url: url.to_string() },
        _ => {}
    }
    if url.fragment().is_some() && url.query().is_none() && is_app_document(url) {
        return PreviewLink::Anchor { id: fragment() };
    }
    // A site-relative link, resolved by the web view against the app's own origin.
    let mut path = url.path().to_string();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Some(fragment) = url.fragment() {
        path.push('#');
        path.push_str(fragment);
    }
    let resolved = site_base
        .and_then(|base| Url::parse(base).ok())
        .and_then(|base| base.join(path.trim_start_matches('/')).ok())
        .filter(|resolved| matches!(resolved.scheme(), "http" | "https"));
    match resolved {
        Some(resolved) => PreviewLink::External { url: resolved.to_string() },
        None => PreviewLink::InsideSite { path },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_str(url: &str, base: Option<&str>) -> PreviewLink {
        classify(&Url::parse(url).unwrap(), base)
    }

    #[test]
    fn links_of_the_site_never_load_the_app() {
        for url in [
            "tauri://localhost/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "tauri://localhost/about/",
            "tauri://localhost/posts/x?y=1",
        ] {
            let link = classify_str(url, None);
            assert!(matches!(link, PreviewLink::InsideSite { .. }), "{url}: {link:?}");
        }
        assert_eq!(
            classify_str("tauri://localhost/", Some("https://example.org/blog/")),
            PreviewLink::External { url: "https://example.org/blog/".into() }
        );
        assert_eq!(
            classify_str("tauri://localhost/posts/x/?a=1#h", Some("https://example.org/blog/")),
            PreviewLink::External { url: "https://example.org/blog/posts/x/?a=1#h".into() }
        );
    }

    #[test]
    fn only_the_app_document_and_the_blank_frame_are_pages() {
        for url in [
            "tauri://localhost",
            "tauri://localhost/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "about:blank",
            "about:srcdoc",
        ] {
            assert!(is_app_page(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "tauri://localhost/#x",
            "tauri://localhost/?q",
            "tauri://localhost/about/",
            "about:srcdoc#x",
            "https://tauri.example/",
            "http://localhost/",
        ] {
            assert!(!is_app_page(&Url::parse(url).unwrap()), "{url}");
        }
    }

    #[test]
    fn anchors_scroll_and_other_schemes_are_refused() {
        assert_eq!(classify_str("about:srcdoc#caf%C3%A9", None), PreviewLink::Anchor { id: "café".into() });
        assert_eq!(classify_str("tauri://localhost/#intro", None), PreviewLink::Anchor { id: "intro".into() });
        assert_eq!(classify_str("https://go.dev/blog", None), PreviewLink::External { url: "https://go.dev/blog".into() });
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://127.0.0.1:8080/",
            "http://ipc.localhost/x",
            "galley-preview://localhost/changes",
        ] {
            assert!(matches!(classify_str(url, None), PreviewLink::Refused { .. }), "{url}");
        }
    }
}
