//! Which files of a site folder are posts: Markdown names, editor temporary files, hidden and
//! build folders, section indexes, a repository's own documents (README, LICENSE…), drafts.
//! Import, sync and the watcher all ask here.
use super::layout::Layout;
use crate::front_matter;

/// Top-level folders that hold build output, dependencies or templates, never posts.
pub const IGNORED_TOP_DIRS: &[&str] =
    &["node_modules", "public", "_site", "resources", "dist", "target", "themes", "static", "assets", "layouts", "templates"];

/// File names (before the first dot, any case) of a repository's own documents.
const REPOSITORY_FILES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "changes",
    "history",
    "contributing",
    "code_of_conduct",
    "security",
    "authors",
    "notice",
    "support",
    "pull_request_template",
    "issue_template",
];

/// True for Markdown file names (`.md`, `.markdown`, `.mdown`, any case).
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdown")
}

/// True for the names editors give their temporary, swap, lock and backup files: vim (`.x.swp`,
/// `.swx`, `4913`, `x~`), Emacs (`#x#`, `.#x`), VS Code / JetBrains / Kate / Chrome temp files,
/// and hidden files in general (Galley's own export temp files are hidden).
pub fn is_temporary(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", "___jb_tmp___", "___jb_old___", ".kate-swp", ".crswap", ".part"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
}

/// True when a site-relative path can hold a post the watcher reports: a Markdown file that is
/// not a temporary file, not hidden nor inside a hidden folder, and not inside a top-level build
/// or dependency folder.
pub fn is_watched_file(rel: &str) -> bool {
    let mut parts = rel.split('/').peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if part.is_empty() || part.starts_with('.') {
            return false;
        }
        if first && parts.peek().is_some() && IGNORED_TOP_DIRS.contains(&part) {
            return false;
        }
        first = false;
        if parts.peek().is_none() {
            return is_markdown(part) && !is_temporary(part);
        }
    }
    false
}

/// True when a site-relative path can be a post's file the watcher reports (an image of a page
/// bundle): like [`is_watched_file`], but for a file that is not Markdown.
pub fn is_watched_asset(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !is_markdown(name) && !is_temporary(name) && is_watched_file(&format!("{rel}.md"))
}

/// Why a file found by a walk of the content folders is not read as a post, judging by its name
/// alone (not Markdown, a section index), if it is not.
pub fn name_skip_reason(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if !is_markdown(name) {
        Some("not a Markdown file")
    } else if name == "_index.md" {
        Some("section index (_index.md), not a post")
    } else {
        None
    }
}

/// True when a new file at this site-relative path is a post the importer would take: a watched
/// Markdown file inside the site's content folders, not a section index (`_index.md`).
pub fn is_post_path(layout: Layout, rel: &str) -> bool {
    is_watched_file(rel) && name_skip_reason(rel).is_none() && layout.holds(rel)
}

/// Why the Markdown file at `path` (site-relative) with this text is not a post, if it is not: a
/// folder's README, its licence, changelog, contribution guide and the like. One with front
/// matter is a page the site renders, so it stays a post.
pub fn skip_reason(path: &str, text: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if !REPOSITORY_FILES.contains(&stem.as_str()) || !front_matter::split(text).0.is_empty() {
        return None;
    }
    Some(format!(
        "{name} is the folder's own document (README, LICENSE, CHANGELOG…), not a post: it has no front matter; add front matter with a title to import it"
    ))
}

/// Whether a post file is a draft, given its front matter's `draft` field: Jekyll's `_drafts/`
/// folder makes one too.
pub fn is_draft(path: &str, draft_field: bool) -> bool {
    draft_field || path.starts_with("_drafts/")
}

/// [`is_draft`] for a post file's whole text.
pub fn is_draft_text(path: &str, text: &str) -> bool {
    let (block, _) = front_matter::split(text);
    is_draft(path, front_matter::parse_fields(block).draft)
}

#[cfg(test)]
mod tests {
    use super::skip_reason;

    #[test]
    fn repository_documents_without_front_matter_are_not_posts() {
        assert!(skip_reason("README.md", "# Notes\n").is_some());
        assert!(skip_reason("docs/Contributing.markdown", "How to help.\n").is_some());
        assert!(skip_reason("LICENSE.md", "MIT\n").unwrap().contains("LICENSE.md"));
        assert!(skip_reason("README.md", "---\ntitle: Read me\n---\nA page.\n").is_none());
        assert!(skip_reason("posts/readme-tips.md", "Tips.\n").is_none());
        assert!(skip_reason("posts/hello.md", "Hello.\n").is_none());
    }
}
