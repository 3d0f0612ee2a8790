//! Import of a site folder into the library: reads Hugo, Zola, Jekyll and Astro trees or a plain
//! folder of Markdown files (never following symlinks), plans create / update / unchanged /
//! conflict per file against the library's site records, then applies the plan in one transaction.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::front_matter::{self, FrontMatterError};
use crate::library::{ImportWrite, Library, Status};
use crate::site::{self, content_hash, policy, Limits};

pub use crate::site::{Layout, Skipped, MAX_FILE_BYTES};

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

/// Reads a site folder: every Markdown post under its content folders (all of it for a plain
/// folder). Symlinks are never followed (in any folder on the way either); binary, non-UTF-8,
/// oversized and non-Markdown files, folders too deep or too many are skipped with a reason each.
pub fn scan(dir: &Path) -> Result<SiteScan> {
    scan_with(dir, &Limits::default())
}

/// [`scan`] within the given limits.
pub fn scan_with(dir: &Path, limits: &Limits) -> Result<SiteScan> {
    let root = site::root(dir)?;
    let layout = Layout::detect(&root);
    let mut scan = SiteScan { root: root.clone(), layout, files: Vec::new(), skipped: Vec::new() };
    let walked = site::walk_content(&root, layout, limits);
    scan.skipped = walked.skipped;
    let mut held = 0u64;
    for path in walked.files {
        if let Some(reason) = policy::name_skip_reason(&path) {
            scan.skipped.push(Skipped { path, reason: reason.into() });
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
    set_aside(&mut scan); // README, LICENSE…: reported, not imported
    scan.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(scan)
}

/// Moves the files of a scan that are not posts ([`policy::skip_reason`]) to its skipped list.
fn set_aside(scan: &mut SiteScan) {
    let files = std::mem::take(&mut scan.files);
    for file in files {
        match policy::skip_reason(&file.path, &file.text) {
            Some(reason) => scan.skipped.push(Skipped { path: file.path, reason }),
            None => scan.files.push(file),
        }
    }
}

/// What importing one file will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportedFile {
    /// Site-relative path.
    pub path: String,
    /// The post holding it.
    pub post_id: i64,
}

/// A front matter problem found while importing (the post was imported anyway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportWarning {
    /// Site-relative path.
    pub path: String,
    /// What is malformed, where.
    pub error: FrontMatterError,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
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
            draft: policy::is_draft(&file.path, fields.draft),
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
        Error::Library { path, source, .. } => {
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
