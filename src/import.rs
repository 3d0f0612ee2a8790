//! Import of a site folder into the library: reads Hugo, Zola, Jekyll and Astro trees or a plain
//! folder of Markdown files (never following symlinks), plans create / update / unchanged /
//! conflict per file against the library's site records, then applies the plan in one transaction.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::export::content_hash;
use crate::front_matter::{self, FrontMatterError};
use crate::library::{ImportWrite, Library, Status};
use crate::site::{self, Limits, Walk};

pub use crate::site::{Skipped, MAX_FILE_BYTES};

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
}

/// A Markdown file read from the site.
#[derive(Debug, Clone)]
pub struct ScannedFile {
    /// Site-relative path, `/`-separated.
    pub path: String,
    /// The whole text.
    pub text: String,
    /// SHA-256 of its bytes.
    pub hash: String,
}

/// What reading a site folder found.
#[derive(Debug, Clone)]
pub struct SiteScan {
    /// The folder, canonical.
    pub root: PathBuf,
    /// Its layout.
    pub layout: Layout,
    /// Markdown files, in path order.
    pub files: Vec<ScannedFile>,
    /// Everything skipped, with reasons.
    pub skipped: Vec<Skipped>,
}

fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdown")
}

/// Reads a site folder: every Markdown post under its content folders (all of it for a plain
/// folder). Symlinks are never followed (in any folder on the way either); binary, non-UTF-8,
/// oversized and non-Markdown files, folders too deep or too many are skipped with a reason each.
pub fn scan(dir: &Path) -> Result<SiteScan> {
    scan_with(dir, &Limits::default())
}

/// [`scan`] within the given limits.
pub fn scan_with(dir: &Path, limits: &Limits) -> Result<SiteScan> {
    let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    if !root.is_dir() {
        return Err(Error::Invalid(format!("{} is not a folder", dir.display())));
    }
    let layout = Layout::detect(&root);
    let mut scan = SiteScan { root: root.clone(), layout, files: Vec::new(), skipped: Vec::new() };
    let mut walked = Walk::default();
    let mut folders_left = limits.max_folders;
    for content in layout.content_roots() {
        site::walk(&root, content, limits, &mut folders_left, &mut walked);
    }
    scan.skipped = walked.skipped;
    let mut held = 0u64;
    for path in walked.files {
        let name = path.rsplit('/').next().unwrap_or(&path);
        if !is_markdown(name) {
            scan.skipped.push(Skipped { path, reason: "not a Markdown file".into() });
        } else if name == "_index.md" {
            scan.skipped.push(Skipped { path, reason: "section index (_index.md), not a post".into() });
        } else if held >= limits.max_scan_bytes {
            let reason = format!(
                "not read: the posts before it already total {}, the most one import takes; import the site's folders one at a time",
                site::size_words(limits.max_scan_bytes)
            );
            scan.skipped.push(Skipped { path, reason });
        } else {
            match site::read_post(&root, &path, limits.max_file_bytes) {
                Ok((text, hash)) => {
                    held += text.len() as u64;
                    scan.files.push(ScannedFile { path, text, hash });
                }
                Err(reason) => scan.skipped.push(Skipped { path, reason }),
            }
        }
    }
    crate::non_posts::set_aside(&mut scan); // README, LICENSE…: reported, not imported
    scan.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(scan)
}

/// What importing one file will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportAction {
    /// A new post.
    Create,
    /// The file changed since the last import: the post is updated (its old text stays a revision).
    Update,
    /// Same bytes as last time: nothing to do.
    Unchanged,
    /// Both the file and the post changed since the last import: left alone unless forced.
    Conflict,
}

/// One file of an import plan.
#[derive(Debug, Clone, Serialize)]
pub struct ImportItem {
    /// Site-relative path.
    pub path: String,
    /// What will happen.
    pub action: ImportAction,
    /// Why (for conflicts).
    pub reason: Option<String>,
    /// The post it updates (None for new posts).
    pub post_id: Option<i64>,
    /// Title from the front matter.
    pub title: String,
    /// Whether it is imported as a draft.
    pub draft: bool,
    /// Malformed front matter (the post is still imported with its raw text).
    pub front_matter_error: Option<FrontMatterError>,
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    hash: String,
}

/// A dry run of an import: what would happen to each file. Show it, then [`execute`] it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    /// The site folder, canonical.
    pub site: PathBuf,
    /// Its detected layout.
    pub layout: Layout,
    /// One entry per Markdown file, in path order.
    pub items: Vec<ImportItem>,
    /// Files not imported, with reasons.
    pub skipped: Vec<Skipped>,
}

impl ImportPlan {
    /// How many items will get this action.
    pub fn count(&self, action: ImportAction) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// A file that was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedFile {
    /// Site-relative path.
    pub path: String,
    /// The post holding it.
    pub post_id: i64,
}

/// A front matter problem found while importing (the post was imported anyway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    /// Site-relative path.
    pub path: String,
    /// What is malformed, where.
    pub error: FrontMatterError,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// The site folder.
    pub site: PathBuf,
    /// New posts.
    pub imported: Vec<ImportedFile>,
    /// Posts updated from changed files.
    pub updated: Vec<ImportedFile>,
    /// Files identical to the last import.
    pub unchanged: Vec<String>,
    /// Files left alone because the post changed in Galley too (use force).
    pub conflicts: Vec<Skipped>,
    /// Files not imported, with reasons.
    pub skipped: Vec<Skipped>,
    /// Posts imported with malformed front matter.
    pub warnings: Vec<ImportWarning>,
}

fn is_draft(path: &str, fields_draft: bool) -> bool {
    fields_draft || path.starts_with("_drafts/")
}

/// Plans an import of `dir` (reads the folder and compares with the library; changes nothing).
pub fn plan(library: &Library, dir: &Path) -> Result<ImportPlan> {
    let scan = scan(dir)?;
    plan_scan(library, scan)
}

/// Plans the import of an already scanned folder.
pub fn plan_scan(library: &Library, scan: SiteScan) -> Result<ImportPlan> {
    let root = scan.root.to_string_lossy().into_owned();
    let records = library.site_files(&root)?;
    let post_hashes: HashMap<i64, String> = if records.is_empty() {
        HashMap::new()
    } else {
        library.site_posts(None)?.into_iter().map(|post| (post.id, content_hash(post.text().as_bytes()))).collect()
    };
    let mut skipped = scan.skipped;
    let mut items = Vec::with_capacity(scan.files.len());
    for file in scan.files {
        let (block, _) = front_matter::split(&file.text);
        let (fields, front_matter_error) = match front_matter::parse_fields_checked(block) {
            Ok(fields) => (fields, None),
            Err(error) => (front_matter::parse_fields(block), Some(error)),
        };
        let (action, post_id, reason) = match records.get(&file.path) {
            None => (ImportAction::Create, None, None),
            Some(record) if record.post_deleted => {
                skipped.push(Skipped { path: file.path.clone(), reason: format!("its post ({}) is in the trash", record.post_id) });
                continue;
            }
            Some(record) if record.file_hash == file.hash => (ImportAction::Unchanged, Some(record.post_id), None),
            Some(record) if post_hashes.get(&record.post_id) == Some(&record.text_hash) => {
                (ImportAction::Update, Some(record.post_id), None)
            }
            Some(record) => (
                ImportAction::Conflict,
                Some(record.post_id),
                Some(format!("changed on disk and in Galley (post {}) since the last import", record.post_id)),
            ),
        };
        items.push(ImportItem {
            draft: is_draft(&file.path, fields.draft),
            title: fields.title,
            path: file.path,
            action,
            reason,
            post_id,
            front_matter_error,
            text: file.text,
            hash: file.hash,
        });
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ImportPlan { site: scan.root, layout: scan.layout, items, skipped })
}

/// Applies an import plan in one transaction: creates and updates posts (each with an `import`
/// revision) and records the files. With `force`, conflicts are updated too (the post's current
/// text stays in its revisions).
pub fn execute(library: &mut Library, plan: &ImportPlan, force: bool) -> Result<ImportReport> {
    let root = plan.site.to_string_lossy().into_owned();
    let mut report = ImportReport { site: plan.site.clone(), skipped: plan.skipped.clone(), ..ImportReport::default() };
    let mut writes = Vec::new();
    let mut written = Vec::new();
    for item in &plan.items {
        if let Some(error) = &item.front_matter_error {
            report.warnings.push(ImportWarning { path: item.path.clone(), error: error.clone() });
        }
        match item.action {
            ImportAction::Unchanged => report.unchanged.push(item.path.clone()),
            ImportAction::Conflict if !force => {
                report.conflicts.push(Skipped { path: item.path.clone(), reason: item.reason.clone().unwrap_or_default() })
            }
            action => {
                let status = match action {
                    ImportAction::Create => Some(if item.draft { Status::Draft } else { Status::Published }),
                    _ => item.draft.then_some(Status::Draft),
                };
                writes.push(ImportWrite { path: &item.path, text: &item.text, file_hash: &item.hash, post_id: item.post_id, status });
                written.push(item);
            }
        }
    }
    let ids = library.record_import(&root, &writes).map_err(|error| match error {
        Error::Library { path, source } => {
            Error::NotSaved { what: format!("The import of {} files", writes.len()), path, cause: source.to_string() }
        }
        other => other,
    })?;
    for (item, id) in written.into_iter().zip(ids) {
        let file = ImportedFile { path: item.path.clone(), post_id: id };
        if item.action == ImportAction::Create {
            report.imported.push(file);
        } else {
            report.updated.push(file);
        }
    }
    Ok(report)
}

/// Plans and executes an import of `dir` in one call.
pub fn import_site(library: &mut Library, dir: &Path, force: bool) -> Result<ImportReport> {
    let plan = plan(library, dir)?;
    execute(library, &plan, force)
}
