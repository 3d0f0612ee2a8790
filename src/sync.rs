//! Site folder sync: turns file changes seen in the linked site folder ([`crate::watch`]) into
//! library changes (updated drafts, imported posts, missing flags) and conflicts, and resolves
//! conflicts (keep mine / take theirs / keep both) so that nothing is ever lost.
//!
//! The rule, per file, compares three hashes: the file's bytes now, the bytes Galley last read or
//! wrote there, and the post's text then (both recorded in the library's site records).
//! - Same bytes as recorded: nothing happened (this is how Galley's own exports, which record
//!   the hash of what they wrote, never echo back as "changed on disk").
//! - New bytes, and the post is still the text Galley last synced: the post takes the file's text
//!   as a new revision ("changed on disk").
//! - New bytes, and the post changed in Galley too: a [`Conflict`]; neither side is touched
//!   until [`resolve_conflict`] is called.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diff::{diff_texts, DiffHunk};
use crate::error::{Error, Result};
use crate::export::{render_post, Preset};
use crate::front_matter;
use crate::library::{ImportWrite, Library, Status, SyncRecord};
use crate::site::{self, content_hash, is_post_path, policy, probe, read_post_file, Layout, Limits, Probe, Skipped, MAX_FILE_BYTES};
use crate::slug;
use crate::watch::{FsChange, FsChangeKind};

pub use crate::library::MissingFile;

/// The post open in the editor, with its text as the editor has it now (saved or not).
#[derive(Debug, Clone, Copy)]
pub struct OpenPost<'a> {
    /// The post's id.
    pub post_id: i64,
    /// The editor's whole text (front matter + body).
    pub text: &'a str,
}

/// A file and the post it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncedFile {
    /// Site-relative path.
    pub path: String,
    /// The post.
    pub post_id: i64,
}

/// A tracked file that moved (same bytes at a new path): its post follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedFile {
    /// Where it was.
    pub from: String,
    /// Where it is now.
    pub to: String,
    /// The post.
    pub post_id: i64,
}

/// A file changed on disk while its post also changed in Galley since they were last in step.
/// Neither side has been touched; show both and call [`resolve_conflict`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The post.
    pub post_id: i64,
    /// Site-relative path of the file.
    pub path: String,
    /// The post's text in Galley.
    pub ours: String,
    /// The file's text on disk.
    pub theirs: String,
    /// Line diff from ours (older side) to theirs (newer side).
    pub hunks: Vec<DiffHunk>,
    /// Lines only in theirs.
    pub inserted: usize,
    /// Lines only in ours.
    pub deleted: usize,
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Posts that took the new text of their file (a new revision each).
    pub updated: Vec<SyncedFile>,
    /// New files imported as new posts.
    pub imported: Vec<SyncedFile>,
    /// Tracked files that moved; their posts follow.
    pub moved: Vec<MovedFile>,
    /// Tracked files now missing from the site (their posts stay).
    pub missing: Vec<SyncedFile>,
    /// Tracked files that were missing and are back.
    pub restored: Vec<SyncedFile>,
    /// Files with nothing new (e.g. Galley's own writes).
    pub unchanged: Vec<String>,
    /// Files of posts (images of a bundle, static images a post links to) that changed or
    /// appeared and were taken into the library.
    pub assets: Vec<SyncedFile>,
    /// Files changed on both sides: nothing was overwritten.
    pub conflicts: Vec<Conflict>,
    /// Files that are not posts, or could not be read, with the reason.
    pub skipped: Vec<Skipped>,
    /// Every post whose text, file or missing state changed (refresh these in the editor and
    /// the library list), sorted.
    pub changed_posts: Vec<i64>,
    /// Problems met while keeping up with the folder that the writer should hear about (a
    /// failed comparison at start, folders not watched), in words. Filled in by the app.
    pub notices: Vec<String>,
}

impl SyncReport {
    /// True when the library did not change and there is no conflict to show.
    pub fn is_quiet(&self) -> bool {
        self.changed_posts.is_empty() && self.conflicts.is_empty()
    }

    /// True when this post's text or site state changed.
    pub fn touches(&self, post_id: i64) -> bool {
        self.changed_posts.binary_search(&post_id).is_ok()
    }
}

/// Takes changed or new files of posts into the library: a file in the folder of a tracked bundle
/// post (`…/index.md`), or a file already recorded as a post's (a static image). A file whose
/// library copy changed in Galley since it was last synced is left alone (skipped, with why).
fn sync_assets(
    library: &mut Library,
    root: &Path,
    key: &str,
    paths: &[String],
    records: &HashMap<String, SyncRecord>,
    report: &mut SyncReport,
    changed_posts: &mut HashSet<i64>,
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let layout = Layout::detect(root);
    let asset_records = library.site_assets(key)?;
    for path in paths {
        if slug::check_relative_path(path).is_err() {
            continue;
        }
        // The posts this file belongs to, with its name for each.
        let mut owners: Vec<(i64, String)> =
            asset_records.iter().filter(|((p, _), _)| p == path).map(|((_, post), record)| (*post, record.name.clone())).collect();
        if owners.is_empty() && site::policy::is_watched_asset(path) {
            let bundle = records.iter().find_map(|(post_path, record)| {
                let folder = layout.bundle_folder(post_path)?;
                let name = path.strip_prefix(folder)?.strip_prefix('/')?;
                (!record.post_deleted).then(|| (record.post_id, name.to_string()))
            });
            owners.extend(bundle);
        }
        if owners.is_empty() {
            continue;
        }
        if probe(root, path) != Probe::File {
            continue; // removed: the library keeps its copy
        }
        let bytes = match site::read_file(root, path, crate::assets::MAX_ASSET_BYTES as u64) {
            Ok(bytes) => bytes,
            Err(reason) => {
                report.skipped.push(Skipped { path: path.clone(), reason });
                continue;
            }
        };
        let hash = content_hash(&bytes);
        for (post_id, name) in owners {
            let recorded = asset_records.get(&(path.clone(), post_id)).map(|r| r.file_hash.as_str());
            let ours = library.asset(post_id, &name)?.map(|(info, _)| info.hash);
            if ours.as_deref() == Some(hash.as_str()) || recorded == Some(hash.as_str()) {
                continue;
            }
            if ours.is_some() && ours.as_deref() != recorded {
                report.skipped.push(Skipped {
                    path: path.clone(),
                    reason: format!("changed on disk, and post {post_id} holds a different {name} since the last sync; import with force to take the file"),
                });
                continue;
            }
            let write =
                crate::library::AssetImportWrite { owner: crate::library::AssetOwner::Post(post_id), name: &name, path, bytes: &bytes };
            match library.record_import_with_assets(key, &[], &[write]) {
                Ok(_) => {
                    changed_posts.insert(post_id);
                    report.assets.push(SyncedFile { path: path.clone(), post_id });
                }
                Err(error @ (Error::BadAssetName { .. } | Error::AssetTooLarge { .. })) => {
                    report.skipped.push(Skipped { path: path.clone(), reason: error.to_string() })
                }
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

/// How to settle a [`Conflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Galley's text wins: it is written to the file now (atomically, in the file's preset); the
    /// disk text is kept as a revision of the post.
    KeepMine,
    /// The disk text wins: the post takes it as a new revision; Galley's text stays a revision.
    TakeTheirs,
    /// Both stay: the post keeps Galley's text (and the file), the disk text becomes a new draft
    /// post. The file is left as it is until the next export writes the post over it.
    KeepBoth,
}

/// What resolving a conflict did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The post of the conflict.
    pub post_id: i64,
    /// Site-relative path of the file.
    pub path: String,
    /// The new post holding the disk text ([`Resolution::KeepBoth`]).
    pub new_post_id: Option<i64>,
    /// True when the file was rewritten ([`Resolution::KeepMine`]).
    pub written: bool,
}

/// The canonical site folder and the key its records are stored under.
fn site_key(root: &Path) -> Result<(PathBuf, String)> {
    let canonical = site::root(root)?;
    let key = canonical.to_string_lossy().into_owned();
    Ok((canonical, key))
}

/// The SHA-256 of a site file's bytes, `None` when it cannot be read as a post.
fn file_hash(root: &Path, rel: &str) -> Option<String> {
    site::read_file(root, rel, MAX_FILE_BYTES).ok().map(|bytes| content_hash(&bytes))
}

/// Compares the whole site folder with the library's records and returns the changes a watcher
/// would have reported: for the app's start (edits made while it was closed) and for
/// [`FsChangeKind::Rescan`]. Reads every post file of the folder.
pub fn scan_changes(library: &Library, root: &Path) -> Result<Vec<FsChange>> {
    Ok(scan_tracked(&tracked_files(library, root)?, &Limits::default()))
}

/// What the library records about the files of one site folder, read once so that the folder
/// can be compared with it ([`scan_tracked`]) without holding the library.
#[derive(Debug, Clone)]
pub struct Tracked {
    root: PathBuf,
    records: HashMap<String, SyncRecord>,
}

/// Reads the records of the site folder `root` (the library part of [`scan_changes`]).
pub fn tracked_files(library: &Library, root: &Path) -> Result<Tracked> {
    let (root, key) = site_key(root)?;
    Ok(Tracked { records: library.sync_records(&key)?, root })
}

/// Compares the site folder with its records (the file part of [`scan_changes`], no library
/// needed) within the given limits: folders too deep or too many are not compared, files too
/// large count as changed (the sync then says why they are skipped). Only hashes are kept,
/// never the files' text.
pub fn scan_tracked(tracked: &Tracked, limits: &Limits) -> Vec<FsChange> {
    let Tracked { root, records } = tracked;
    let layout = Layout::detect(root);
    let walked = site::walk_content(root, layout, limits);
    let mut changes = Vec::new();
    let mut seen = HashSet::new();
    for path in walked.files.iter().filter(|path| is_post_path(layout, path)) {
        let Ok(bytes) = site::read_file(root, path, limits.max_file_bytes) else { continue };
        seen.insert(path.as_str());
        match records.get(path) {
            Some(record) if record.post_deleted => {}
            Some(record) if record.missing_since.is_none() && record.file_hash == content_hash(&bytes) => {}
            _ => changes.push(FsChange::changed(path)),
        }
    }
    let mut tracked: Vec<(&String, &SyncRecord)> =
        records.iter().filter(|(path, r)| !r.post_deleted && !seen.contains(path.as_str())).collect();
    tracked.sort_by(|a, b| a.0.cmp(b.0));
    for (path, record) in tracked {
        match probe(root, path) {
            Probe::File => match file_hash(root, path) {
                Some(hash) if hash == record.file_hash && record.missing_since.is_none() => {}
                _ => changes.push(FsChange::changed(path)),
            },
            _ if record.missing_since.is_none() => changes.push(FsChange::removed(path)),
            _ => {}
        }
    }
    changes.sort();
    changes
}

/// Applies file changes of the site folder `root` to the library (see the module notes for the
/// rule). Each change's path is looked at again now, so its kind is only a hint: a file reported
/// removed that exists again is treated as changed. A [`FsChangeKind::Rescan`] compares the whole
/// folder ([`scan_changes`]).
///
/// `open_post` is the post open in the editor with its current text: if that text is not saved
/// yet it is saved first (a normal "edit" revision), so that unsaved typing counts as a change in
/// Galley and is never overwritten.
///
/// A new file in the site's content folders becomes a new post; a tracked file that is gone is
/// flagged missing (its post stays); a new file with the exact bytes of a file that just went
/// missing is that file moved: its post follows it.
pub fn apply_changes(library: &mut Library, root: &Path, changes: &[FsChange], open_post: Option<OpenPost<'_>>) -> Result<SyncReport> {
    let (root, key) = site_key(root)?;
    let mut report = SyncReport::default();
    let mut changed_posts = HashSet::new();
    if let Some(open) = open_post {
        // A post deleted meanwhile has nothing to flush.
        let stored = library.post(open.post_id).ok().map(|post| post.text());
        if stored.is_some_and(|text| text != open.text) {
            let (block, body) = front_matter::split(open.text);
            library.save_post(open.post_id, block, body)?;
        }
    }
    let mut paths: Vec<String> =
        changes.iter().filter(|c| c.kind != FsChangeKind::Rescan && !c.path.is_empty()).map(|c| c.path.clone()).collect();
    if changes.iter().any(|c| c.kind == FsChangeKind::Rescan) {
        paths.extend(scan_changes(library, &root)?.into_iter().map(|c| c.path));
    }
    paths.sort();
    paths.dedup();
    let (asset_paths, paths): (Vec<String>, Vec<String>) =
        paths.into_iter().partition(|path| !policy::is_markdown(path.rsplit('/').next().unwrap_or(path)));

    let records = library.sync_records(&key)?;
    sync_assets(library, &root, &key, &asset_paths, &records, &mut report, &mut changed_posts)?;
    // What is at each path now.
    let mut present: Vec<(String, String, String)> = Vec::new();
    let mut gone: Vec<&str> = Vec::new();
    for path in &paths {
        if slug::check_relative_path(path).is_err() {
            report.skipped.push(Skipped { path: path.clone(), reason: "not a safe site-relative path".into() });
            continue;
        }
        match probe(&root, path) {
            Probe::File => match read_post_file(&root, path) {
                Ok((text, hash)) => present.push((path.clone(), text, hash)),
                Err(reason) => report.skipped.push(Skipped { path: path.clone(), reason }),
            },
            Probe::Link => {
                if records.contains_key(path) {
                    gone.push(path);
                } else {
                    report.skipped.push(Skipped { path: path.clone(), reason: "symbolic link (not followed)".into() });
                }
            }
            Probe::Dir | Probe::Missing => gone.push(path),
        }
    }

    // Files gone: flag their records missing (posts in the trash are left alone).
    let to_flag: Vec<&str> = gone.iter().copied().filter(|p| records.get(*p).is_some_and(|r| !r.post_deleted)).collect();
    for (path, post_id) in library.sync_mark_missing(&key, &to_flag)? {
        changed_posts.insert(post_id);
        report.missing.push(SyncedFile { path, post_id });
    }
    // Where a new file with the same bytes would have moved from: every missing record.
    let mut moved_from: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (path, record) in &records {
        if !record.post_deleted && (record.missing_since.is_some() || to_flag.contains(&path.as_str())) {
            moved_from.entry(record.file_hash.as_str()).or_default().push(path.as_str());
        }
    }

    let layout = Layout::detect(&root);
    let mut post_texts: HashMap<i64, String> = HashMap::new();
    let mut new_files: Vec<(String, String, String)> = Vec::new();
    for (path, theirs, hash) in present {
        let Some(record) = records.get(&path) else {
            if !is_post_path(layout, &path) {
                report.skipped.push(Skipped { path, reason: "not in the site's content folders, or not a post".into() });
            } else if let Some(reason) = policy::skip_reason(&path, &theirs) {
                report.skipped.push(Skipped { path, reason });
            } else if let Some(from) = moved_from.get_mut(hash.as_str()).and_then(|v| v.pop()) {
                library.sync_move(&key, from, &path)?;
                let post_id = records.get(from).map_or(0, |r| r.post_id);
                changed_posts.insert(post_id);
                report.missing.retain(|m| m.path != from);
                report.moved.push(MovedFile { from: from.to_string(), to: path, post_id });
            } else {
                new_files.push((path, theirs, hash));
            }
            continue;
        };
        let post_id = record.post_id;
        if record.post_deleted {
            report.skipped.push(Skipped { path, reason: format!("its post ({post_id}) is in the trash") });
            continue;
        }
        let restored = record.missing_since.is_some() || to_flag.contains(&path.as_str());
        if record.file_hash == hash {
            if restored {
                library.sync_mark_seen(&key, &path, &hash, None)?;
                changed_posts.insert(post_id);
                report.missing.retain(|m| m.path != path);
                report.restored.push(SyncedFile { path, post_id });
            } else {
                report.unchanged.push(path);
            }
            continue;
        }
        let ours = match post_texts.get(&post_id) {
            Some(text) => text.clone(),
            None => {
                let text = library.post(post_id)?.text();
                post_texts.insert(post_id, text.clone());
                text
            }
        };
        if restored {
            report.missing.retain(|m| m.path != path);
            report.restored.push(SyncedFile { path: path.clone(), post_id });
            changed_posts.insert(post_id);
        }
        if ours == theirs {
            // The same edit on both sides (or Galley's own write recorded late): in step again.
            library.sync_mark_seen(&key, &path, &hash, Some(&hash))?;
            report.unchanged.push(path);
        } else if content_hash(ours.as_bytes()) == record.text_hash {
            let draft = policy::is_draft_text(&path, &theirs);
            library.sync_take_disk(&key, &path, post_id, &theirs, &hash, draft, &format!("changed on disk: {path}"))?;
            post_texts.insert(post_id, theirs);
            changed_posts.insert(post_id);
            report.updated.push(SyncedFile { path, post_id });
        } else {
            let (hunks, inserted, deleted) = diff_texts(&ours, &theirs);
            report.conflicts.push(Conflict { post_id, path, ours, theirs, hunks, inserted, deleted });
        }
    }

    if !new_files.is_empty() {
        let writes: Vec<ImportWrite<'_>> = new_files
            .iter()
            .map(|(path, text, hash)| ImportWrite {
                path,
                text,
                file_hash: hash,
                post_id: None,
                status: Some(if policy::is_draft_text(path, text) { Status::Draft } else { Status::Published }),
            })
            .collect();
        let ids = library.record_import(&key, &writes)?;
        for ((path, _, _), post_id) in new_files.into_iter().zip(ids) {
            changed_posts.insert(post_id);
            report.imported.push(SyncedFile { path, post_id });
        }
    }
    let mut changed: Vec<i64> = changed_posts.into_iter().collect();
    changed.sort_unstable();
    report.changed_posts = changed;
    Ok(report)
}

/// The file's text and hash now, `None` when it is gone.
fn read_theirs(root: &Path, path: &str) -> Result<Option<(String, String)>> {
    match probe(root, path) {
        Probe::File => read_post_file(root, path).map(Some).map_err(|reason| Error::NotAPost { path: root.join(path), reason }),
        Probe::Link => Err(Error::Conflict { path: root.join(path), reason: "is a symbolic link; Galley does not follow it".into() }),
        Probe::Dir | Probe::Missing => Ok(None),
    }
}

/// Settles a conflict reported by [`apply_changes`]. The file is read again now, so the text
/// kept is what is on disk at this moment; save the editor first, as "mine" is the post's text
/// in the library. Nothing is lost with any choice: see [`Resolution`].
pub fn resolve_conflict(library: &mut Library, root: &Path, post_id: i64, path: &str, resolution: Resolution) -> Result<Resolved> {
    let (root, key) = site_key(root)?;
    slug::check_relative_path(path).map_err(Error::Invalid)?;
    let record = library
        .sync_records(&key)?
        .remove(path)
        .filter(|r| r.post_id == post_id)
        .ok_or_else(|| Error::Invalid(format!("{path} is not a file of post {post_id} in {}", root.display())))?;
    let post = library.post(post_id)?;
    let theirs = read_theirs(&root, path)?;
    let gone = || Error::Conflict { path: root.join(path), reason: "the file no longer exists on disk; nothing to take from it".into() };
    let mut resolved = Resolved { post_id, path: path.to_string(), new_post_id: None, written: false };
    match resolution {
        Resolution::KeepMine => {
            let preset = Preset::parse(&record.preset).unwrap_or(Preset::Keep);
            let site_post = library.site_posts(None)?.into_iter().find(|p| p.id == post_id).ok_or(Error::NoSuchPost(post_id))?;
            let mine = render_post(&site_post, preset).map_err(|message| Error::Invalid(format!("post {post_id}: {message}")))?.text;
            let file_hash = content_hash(mine.as_bytes());
            if let Some((theirs, their_hash)) = &theirs {
                if *theirs != mine {
                    library.sync_store_theirs(post_id, theirs, path)?;
                    // The file must still hold what was just saved, or a newer edit would be lost.
                    if read_theirs(&root, path)?.map(|(_, h)| h).as_ref() != Some(their_hash) {
                        return Err(Error::Conflict { path: root.join(path), reason: "changed again while resolving; try again".into() });
                    }
                    site::write_file(&root, path, mine.as_bytes())?;
                    resolved.written = true;
                }
            } else {
                site::write_file(&root, path, mine.as_bytes())?;
                resolved.written = true;
            }
            library.sync_kept_mine(&key, path, post_id, &file_hash, &content_hash(post.text().as_bytes()))?;
        }
        Resolution::TakeTheirs => {
            let (theirs, hash) = theirs.ok_or_else(gone)?;
            library.sync_take_theirs(&key, path, post_id, &theirs, &hash)?;
        }
        Resolution::KeepBoth => {
            let (theirs, hash) = theirs.ok_or_else(gone)?;
            resolved.new_post_id = Some(library.sync_keep_both(&key, path, post_id, &theirs, &hash)?);
        }
    }
    Ok(resolved)
}
