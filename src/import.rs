//! Import of a site folder into the library: reads Hugo, Zola, Jekyll and Astro trees or a plain
//! folder of Markdown files (never following symlinks), plans create / update / unchanged /
//! conflict per file against the library's site records, then applies the plan in one transaction.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::assets::{self, AssetKind, MAX_ASSET_BYTES};
use crate::error::{Error, Result};
use crate::front_matter::{self, FrontMatterError};
use crate::library::{AssetImportWrite, AssetOwner, ImportWrite, Library, Status};
use crate::site::{self, content_hash, policy, Limits, Probe};

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

/// A file of a post read from the site: a resource of its page bundle, or an image its text
/// references in the site's static folder (or beside it).
#[derive(Debug, Clone)]
pub struct ScannedAsset {
    /// The post file it belongs to (site-relative).
    pub post_path: String,
    /// Its library name for that post ([`assets::link_name`]).
    pub name: String,
    /// Its own site-relative path.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// SHA-256 of its bytes.
    pub hash: String,
    /// What it is, by content.
    pub kind: AssetKind,
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
    /// The posts' files (bundle resources, referenced static images), by post then name.
    pub assets: Vec<ScannedAsset>,
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
    let mut scan = SiteScan { root: root.clone(), layout, files: Vec::new(), assets: Vec::new(), skipped: Vec::new() };
    let walked = site::walk_content(&root, layout, limits);
    scan.skipped = walked.skipped;
    let mut held = 0u64;
    let mut others = Vec::new();
    for path in walked.files {
        let name = path.rsplit('/').next().unwrap_or(&path);
        if !policy::is_markdown(name) {
            others.push(path);
        } else if let Some(reason) = policy::name_skip_reason(&path) {
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
    scan_assets(&mut scan, others, limits);
    Ok(scan)
}

/// A file read for a post: bytes, SHA-256, kind.
type ReadAsset = (Vec<u8>, String, AssetKind);

/// Finds the files that belong to the scanned posts and reads them: every non-Markdown file of a
/// page bundle (the folder of an `index.md` and its subfolders, nearest bundle first), and each
/// image a post's text references by a root-relative link (the site's static folder) or a
/// relative one outside a bundle. Files outside any bundle that no post references are skipped
/// with a reason; so are links, oversized and unreadable files.
fn scan_assets(scan: &mut SiteScan, others: Vec<String>, limits: &Limits) {
    let layout = scan.layout;
    let bundles: HashMap<&str, &str> =
        scan.files.iter().filter_map(|file| layout.bundle_folder(&file.path).map(|folder| (folder, file.path.as_str()))).collect();
    let mut wanted: Vec<(String, String, String)> = Vec::new(); // post path, name, site path
    for path in others {
        let file_name = path.rsplit('/').next().unwrap_or(&path);
        let owner =
            std::iter::successors(path.rsplit_once('/').map(|(folder, _)| folder), |folder| folder.rsplit_once('/').map(|(up, _)| up))
                .find_map(|folder| bundles.get(folder).map(|post| (folder, *post)));
        match owner {
            _ if policy::is_temporary(file_name) => {
                scan.skipped.push(Skipped { path, reason: "an editor's temporary or backup file".into() });
            }
            Some((folder, post)) => {
                let name = path[folder.len() + 1..].to_string();
                wanted.push((post.to_string(), name, path));
            }
            None => scan.skipped.push(Skipped {
                path,
                reason: "not a Markdown file, nor a file of a page bundle (a folder with an index.md), nor an image a post links to".into(),
            }),
        }
    }
    let mut claimed: std::collections::HashSet<(String, String)> =
        wanted.iter().map(|(post, name, _)| (post.clone(), name.clone())).collect();
    for file in &scan.files {
        let folder = file.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let (_, body) = front_matter::split(&file.text);
        for destination in crate::asset_links::destinations(body).into_iter().filter(|d| d.image) {
            let Some(name) = assets::link_name(&destination.url) else { continue };
            let Some(path) = assets::site_path(&name, folder, layout.static_folder()) else { continue };
            let file_name = path.rsplit('/').next().unwrap_or(&path);
            if policy::is_markdown(file_name) || path.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            if claimed.contains(&(file.path.clone(), name.clone())) {
                continue;
            }
            match site::probe(&scan.root, &path) {
                Probe::File => {
                    claimed.insert((file.path.clone(), name.clone()));
                    wanted.push((file.path.clone(), name, path));
                }
                Probe::Link => scan.skipped.push(Skipped { path, reason: "symbolic link (not followed)".into() }),
                Probe::Dir | Probe::Missing => {}
            }
        }
    }
    let mut read: HashMap<String, std::result::Result<ReadAsset, String>> = HashMap::new();
    let mut held = 0u64;
    for (post_path, name, path) in wanted {
        if let Err(error) = assets::validate_name(&name) {
            scan.skipped.push(Skipped { reason: error.to_string(), path });
            continue;
        }
        let result = read
            .entry(path.clone())
            .or_insert_with(|| {
                if held >= limits.max_scan_bytes {
                    return Err(format!(
                        "not read: the files before it already total {}, the most one import takes; import the site's folders one at a time",
                        site::size_words(limits.max_scan_bytes)
                    ));
                }
                let bytes = site::read_file(&scan.root, &path, MAX_ASSET_BYTES as u64).map_err(|reason| {
                    if reason.starts_with("larger than") {
                        format!("{reason}; Galley keeps a post's files up to that size: make it smaller and import again")
                    } else {
                        reason
                    }
                })?;
                held += bytes.len() as u64;
                let (hash, kind) = (content_hash(&bytes), AssetKind::detect(&bytes));
                Ok((bytes, hash, kind))
            })
            .clone();
        match result {
            Ok((bytes, hash, kind)) => scan.assets.push(ScannedAsset { post_path, name, path, bytes, hash, kind }),
            Err(reason) => {
                if !scan.skipped.iter().any(|s| s.path == path) {
                    scan.skipped.push(Skipped { path, reason });
                }
            }
        }
    }
    scan.assets.sort_by(|a, b| (&a.post_path, &a.name).cmp(&(&b.post_path, &b.name)));
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

impl ImportAction {
    /// The word the CLI prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportAction::Create => "create",
            ImportAction::Update => "update",
            ImportAction::Unchanged => "unchanged",
            ImportAction::Conflict => "conflict",
        }
    }
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

/// One file of a post in an import plan (a bundle resource, a referenced static image).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AssetItem {
    /// Its site-relative path.
    pub path: String,
    /// The post file it belongs to.
    pub post_path: String,
    /// Its library name for that post.
    pub name: String,
    /// What it is, by content (an `.png` that is really something else is `other`).
    pub kind: AssetKind,
    /// Its size in bytes.
    pub size: u64,
    /// What will happen.
    pub action: ImportAction,
    /// Why (for conflicts), or a note (a file that is not an image).
    pub reason: Option<String>,
    #[serde(skip)]
    bytes: Vec<u8>,
    #[serde(skip)]
    post_id: Option<i64>,
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
    /// The posts' files, by post then name.
    pub assets: Vec<AssetItem>,
    /// Files not imported, with reasons.
    pub skipped: Vec<Skipped>,
}

impl ImportPlan {
    /// How many asset files will get this action.
    pub fn count_assets(&self, action: ImportAction) -> usize {
        self.assets.iter().filter(|a| a.action == action).count()
    }

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
    /// Files of posts stored (new or changed).
    pub assets: Vec<ImportedAsset>,
    /// Files of posts identical to the last import.
    pub assets_unchanged: Vec<String>,
}

/// A file of a post that was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportedAsset {
    /// Its site-relative path.
    pub path: String,
    /// The post it belongs to.
    pub post_id: i64,
    /// Its library name for that post.
    pub name: String,
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
    let asset_records = if records.is_empty() { HashMap::new() } else { library.site_assets(&root)? };
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
    let mut assets = Vec::with_capacity(scan.assets.len());
    let mut library_hashes: HashMap<i64, HashMap<String, String>> = HashMap::new();
    for asset in scan.assets {
        let Some(item) = items.iter().find(|item| item.path == asset.post_path) else {
            skipped.push(Skipped { path: asset.path, reason: format!("its post {} is not imported", asset.post_path) });
            continue;
        };
        let (action, reason) = match item.post_id {
            None => (ImportAction::Create, None),
            Some(post_id) => {
                if let std::collections::hash_map::Entry::Vacant(entry) = library_hashes.entry(post_id) {
                    entry.insert(library.asset_hashes(post_id)?);
                }
                let ours = library_hashes.get(&post_id).and_then(|hashes| hashes.get(&asset.name));
                let record = asset_records.get(&(asset.path.clone(), post_id));
                match (ours, record) {
                    (Some(ours), _) if *ours == asset.hash => (ImportAction::Unchanged, None),
                    (_, Some(record)) if record.file_hash == asset.hash => (ImportAction::Unchanged, None),
                    (None, _) => (ImportAction::Create, None),
                    (Some(ours), Some(record)) if *ours == record.file_hash => (ImportAction::Update, None),
                    (Some(_), _) => (
                        ImportAction::Conflict,
                        Some(format!("changed on disk, and post {post_id} holds a different {} since the last import", asset.name)),
                    ),
                }
            }
        };
        let reason = reason.or_else(|| {
            (!asset.kind.is_image())
                .then(|| "not an image by its content: kept as a file of the post, not shown in the preview".to_string())
        });
        assets.push(AssetItem {
            size: asset.bytes.len() as u64,
            path: asset.path,
            post_path: asset.post_path,
            name: asset.name,
            kind: asset.kind,
            action,
            reason,
            bytes: asset.bytes,
            post_id: item.post_id,
        });
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ImportPlan { site: scan.root, layout: scan.layout, items, assets, skipped })
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
    let mut asset_writes = Vec::new();
    let mut stored = Vec::new();
    for asset in &plan.assets {
        match asset.action {
            ImportAction::Unchanged => report.assets_unchanged.push(asset.path.clone()),
            ImportAction::Conflict if !force => {
                report.conflicts.push(Skipped { path: asset.path.clone(), reason: asset.reason.clone().unwrap_or_default() })
            }
            _ => {
                let owner = match written.iter().position(|item| item.path == asset.post_path) {
                    Some(index) => AssetOwner::Write(index),
                    None => match asset.post_id {
                        Some(id) => AssetOwner::Post(id),
                        None => continue,
                    },
                };
                asset_writes.push(AssetImportWrite { owner, name: &asset.name, path: &asset.path, bytes: &asset.bytes });
                stored.push(asset);
            }
        }
    }
    let ids = library.record_import_with_assets(&root, &writes, &asset_writes).map_err(|error| match error {
        Error::Library { path, source, .. } => {
            Error::NotSaved { what: format!("The import of {} files", writes.len()), path, cause: source.to_string() }
        }
        other => other,
    })?;
    for (asset, write) in stored.iter().zip(&asset_writes) {
        let post_id = match write.owner {
            AssetOwner::Write(index) => ids[index],
            AssetOwner::Post(id) => id,
        };
        report.assets.push(ImportedAsset { path: asset.path.clone(), post_id, name: asset.name.clone() });
    }
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
