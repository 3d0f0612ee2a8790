//! Which Markdown files of a site folder are not posts: a folder's README, its licence, changelog,
//! contribution guide and the like. Import reports them as skipped (with the reason) instead of
//! making them published posts; one with front matter is a page the site renders, so it stays.
use crate::front_matter;
use crate::import::{SiteScan, Skipped};

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

/// Why the Markdown file at `path` (site-relative) with this text is not a post, if it is not.
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

/// Moves the files of a scan that are not posts ([`skip_reason`]) to its skipped list.
pub fn set_aside(scan: &mut SiteScan) {
    let files = std::mem::take(&mut scan.files);
    for file in files {
        match skip_reason(&file.path, &file.text) {
            Some(reason) => scan.skipped.push(Skipped { path: file.path, reason }),
            None => scan.files.push(file),
        }
    }
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
