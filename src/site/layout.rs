//! A site folder's root and layout: the canonical folder its records are kept under, and what
//! kind of site it is (Hugo, Zola, Jekyll, Astro, plain folder), which decides where posts live.
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// The site folder, canonical; an error when it does not exist or is not a folder.
pub fn root(dir: &Path) -> Result<PathBuf> {
    let canonical = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    if !canonical.is_dir() {
        return Err(Error::Invalid(format!("{} is not a folder", dir.display())));
    }
    Ok(canonical)
}

/// The site folder an export writes to, as an absolute path (canonical when it exists; otherwise
/// its nearest existing ancestor canonicalized plus the rest).
pub fn planned_root(site: &Path) -> Result<PathBuf> {
    if let Ok(canonical) = site.canonicalize() {
        if !canonical.is_dir() {
            return Err(Error::Invalid(format!("{} is not a folder", site.display())));
        }
        return Ok(canonical);
    }
    let absolute =
        if site.is_absolute() { site.to_path_buf() } else { std::env::current_dir().map_err(|e| Error::io(site, e))?.join(site) };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        rest.push(existing.file_name().map(|n| n.to_os_string()).unwrap_or_default());
        existing = parent;
        if let Ok(canonical) = existing.canonicalize() {
            let mut root = canonical;
            for part in rest.iter().rev() {
                root.push(part);
            }
            return Ok(root);
        }
    }
    Ok(absolute)
}

/// What kind of site a folder is, which decides where posts are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Hugo: `content/`.
    Hugo,
    /// Zola: `content/`.
    Zola,
    /// Jekyll: `_posts/` and `_drafts/`.
    Jekyll,
    /// Astro: `src/content/`.
    Astro,
    /// A plain folder of Markdown files: everything under it.
    Folder,
}

impl Layout {
    /// Detects the layout from the files at the folder's top level.
    pub fn detect(root: &Path) -> Layout {
        let has = |name: &str| root.join(name).symlink_metadata().is_ok();
        let dir = |name: &str| root.join(name).symlink_metadata().is_ok_and(|m| m.is_dir());
        if has("astro.config.mjs") || has("astro.config.ts") || has("astro.config.js") || dir("src/content") {
            Layout::Astro
        } else if has("_config.yml") || has("_config.yaml") || dir("_posts") {
            Layout::Jekyll
        } else if has("zola.toml") || (has("config.toml") && dir("templates") && !dir("layouts")) {
            Layout::Zola
        } else if has("hugo.toml")
            || has("hugo.yaml")
            || has("hugo.json")
            || has("config.toml")
            || has("config.yaml")
            || dir("archetypes")
            || dir("content")
        {
            Layout::Hugo
        } else {
            Layout::Folder
        }
    }

    /// The folders (site-relative) that hold posts.
    pub fn content_roots(self) -> &'static [&'static str] {
        match self {
            Layout::Hugo | Layout::Zola => &["content"],
            Layout::Jekyll => &["_posts", "_drafts"],
            Layout::Astro => &["src/content"],
            Layout::Folder => &[""],
        }
    }

    /// The folder (site-relative, "" for the site folder itself) that root-relative links such as
    /// `/images/a.png` point into: Hugo and Zola `static/`, Astro `public/`, Jekyll and a plain
    /// folder the site folder itself (Jekyll copies `assets/` as is).
    pub fn static_folder(self) -> &'static str {
        match self {
            Layout::Hugo | Layout::Zola => "static",
            Layout::Astro => "public",
            Layout::Jekyll | Layout::Folder => "",
        }
    }

    /// The top-level folders outside the content folders whose images posts may reference (watched
    /// for changes as well): the static folder, Jekyll's `assets/`, Astro's `src/assets/`.
    pub fn asset_roots(self) -> &'static [&'static str] {
        match self {
            Layout::Hugo | Layout::Zola => &["static"],
            Layout::Astro => &["public", "src/assets"],
            Layout::Jekyll => &["assets"],
            Layout::Folder => &[],
        }
    }

    /// The post file that makes its folder a page bundle: `index.md` (any Markdown extension) in a
    /// folder below the content folder (Hugo leaf bundles, Zola colocated assets, Astro folders).
    /// Returns the bundle's folder, site-relative.
    pub fn bundle_folder(self, post_path: &str) -> Option<&str> {
        let (folder, file) = post_path.rsplit_once('/')?;
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let is_content_root = self.content_roots().contains(&folder);
        (stem == "index" && super::policy::is_markdown(file) && !is_content_root && self.holds(post_path)).then_some(folder)
    }

    /// True when the site-relative path is inside one of the folders that hold posts.
    pub fn holds(self, rel: &str) -> bool {
        self.content_roots().iter().any(|dir| dir.is_empty() || rel.starts_with(&format!("{dir}/")))
    }
}
