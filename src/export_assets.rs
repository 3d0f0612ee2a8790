//! Export of a post's files: where each preset puts them (keep: back where they came from; hugo,
//! zola, astro: a folder `<slug>/index.md` with the files beside it; jekyll: `assets/<slug>/`),
//! the link destinations that must change for that (only those), the plan against the disk and
//! the library's records, and the atomic writes (stage, fsync, record, re-check, rename).
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::asset_links::{encode_destination, rewrite_destinations};
use crate::assets;
use crate::error::{Error, Result};
use crate::export::{ExportAction, ExportError, ExportLedger, ExportReport, Preset, Refused};
use crate::front_matter;
use crate::library::{AssetExportWrite, PostFile, SiteAsset};
use crate::site::{self, Staged};
use crate::slug;

/// Files staged per batch (bounds the number of open file handles).
const BATCH: usize = 256;

/// Where a post and its files go for a preset, and its text with the links that had to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The post's site-relative path.
    pub path: String,
    /// The post's file text.
    pub text: String,
    /// Each file: site-relative path and library name.
    pub files: Vec<(String, String)>,
}

/// The folder form of a flat post path: `content/posts/<slug>.md` → `content/posts/<slug>`.
fn bundle_folder(path: &str) -> String {
    path.rsplit_once('.').map_or(path, |(stem, _)| stem).to_string()
}

/// Places a post's files for a preset (pure): `path` and `text` are the post as rendered for the
/// preset, `names` the library names of its files, `source_paths` where they were imported
/// from. With no files, the post stays as rendered. Only destinations naming one of the files
/// and needing a new value are rewritten, in the body only.
pub fn place(preset: Preset, path: &str, text: &str, names: &[(&str, Option<&str>)]) -> Placed {
    if names.is_empty() {
        return Placed { path: path.to_string(), text: text.to_string(), files: Vec::new() };
    }
    let folder_of_post = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let already_bundle = path.rsplit('/').next().is_some_and(|file| file.starts_with("index."));
    let (post_path, base, link_prefix): (String, String, String) = match preset {
        Preset::Keep => (path.to_string(), folder_of_post.to_string(), String::new()),
        Preset::Hugo | Preset::Zola | Preset::Astro if already_bundle => {
            (path.to_string(), folder_of_post.to_string(), if preset == Preset::Astro { "./".into() } else { String::new() })
        }
        Preset::Hugo | Preset::Zola | Preset::Astro => {
            let folder = bundle_folder(path);
            (format!("{folder}/index.md"), folder, if preset == Preset::Astro { "./".into() } else { String::new() })
        }
        Preset::Jekyll => {
            let file = path.rsplit('/').next().unwrap_or(path);
            let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
            let slug = if stem.len() > 11 && stem.as_bytes()[10] == b'-' { &stem[11..] } else { stem };
            (path.to_string(), format!("assets/{slug}"), format!("/assets/{slug}/"))
        }
    };
    let mut files = Vec::new();
    let mut new_links: HashMap<&str, String> = HashMap::new();
    for &(name, source) in names {
        if preset == Preset::Keep {
            let target = source.map(str::to_string).or_else(|| assets::site_path(name, folder_of_post, ""));
            if let Some(target) = target {
                files.push((target, name.to_string()));
            }
            continue;
        }
        let plain = assets::plain_name(name);
        files.push((if base.is_empty() { plain.to_string() } else { format!("{base}/{plain}") }, name.to_string()));
        new_links.insert(name, format!("{link_prefix}{plain}"));
    }
    let (block, body) = front_matter::split(text);
    let (body, _) = rewrite_destinations(body, |destination| {
        let name = assets::link_name(&destination.url)?;
        let new = new_links.get(name.as_str())?;
        // Left as written when it already names the right file in the right form.
        let same_file = assets::link_name(new) == assets::link_name(&destination.url);
        let right_form = !link_prefix.starts_with("./") || destination.url.starts_with("./");
        (!(same_file && right_form)).then(|| encode_destination(new))
    });
    Placed { path: post_path, text: format!("{block}{body}"), files }
}

/// One file of a post in an export plan.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AssetExportItem {
    /// The post.
    pub post_id: i64,
    /// Site-relative path.
    pub path: String,
    /// Its library name for that post.
    pub name: String,
    /// What will happen.
    pub action: ExportAction,
    /// Why (for conflicts).
    pub reason: Option<String>,
    #[serde(skip)]
    pub(crate) bytes: Vec<u8>,
    #[serde(skip)]
    pub(crate) hash: String,
    #[serde(skip)]
    pub(crate) disk_hash: Option<String>,
}

/// Plans the files of one post (after [`place`]): compares each with the disk and the records.
/// A path another post of this export already writes with the same bytes is written once; with
/// other bytes it is an error for this post.
pub(crate) fn plan_files(
    root: &Path,
    post_id: i64,
    placed: &Placed,
    files: &[PostFile],
    records: &HashMap<(String, i64), SiteAsset>,
    claimed: &mut HashMap<String, String>,
    items: &mut Vec<AssetExportItem>,
) -> std::result::Result<(), String> {
    let by_name: HashMap<&str, &PostFile> = files.iter().map(|file| (file.info.name.as_str(), file)).collect();
    let mut planned = Vec::new();
    for (path, name) in &placed.files {
        let Some(file) = by_name.get(name.as_str()) else { continue };
        slug::check_relative_path(path).map_err(|reason| format!("{name}: {reason}"))?;
        match claimed.get(path) {
            Some(hash) if *hash == file.info.hash => continue,
            Some(_) => {
                return Err(format!("{path}: another post of this export writes a different file there; rename {name} in one of them"))
            }
            None => {}
        }
        let disk = disk_hash(root, path)?;
        let record = records.get(&(path.clone(), post_id));
        let (action, reason) = match &disk {
            None => (ExportAction::Create, None),
            Some(on_disk) if *on_disk == file.info.hash => (ExportAction::Unchanged, None),
            Some(on_disk) if record.is_some_and(|r| r.file_hash == *on_disk) => (ExportAction::Update, None),
            Some(_) if record.is_some() => {
                (ExportAction::Conflict, Some("changed outside Galley since Galley last wrote or read it".to_string()))
            }
            Some(_) => (ExportAction::Conflict, Some("exists and was not written by Galley".to_string())),
        };
        planned.push(AssetExportItem {
            post_id,
            path: path.clone(),
            name: name.clone(),
            action,
            reason,
            bytes: file.bytes.clone(),
            hash: file.info.hash.clone(),
            disk_hash: disk,
        });
    }
    for item in planned {
        claimed.insert(item.path.clone(), item.hash.clone());
        items.push(item);
    }
    Ok(())
}

/// What is at a site-relative path now (see [`crate::export::disk_hash`]), with the asset size cap.
fn disk_hash(root: &Path, path: &str) -> std::result::Result<Option<String>, String> {
    crate::export::disk_hash(root, path, assets::MAX_ASSET_BYTES as u64 + 1)
}

/// Writes the planned files of posts before the posts themselves (so that no exported link points
/// at a file not yet there): staged next to their targets, fsynced, recorded, checked again
/// right before the rename (a file changed since the plan is never overwritten unless `force`),
/// renamed, folders synced. Returns false when the export must stop (a file could not be
/// written: nothing of the files was renamed, the reason is in the report).
pub(crate) fn execute(
    ledger: &mut dyn ExportLedger,
    root: &Path,
    root_key: &str,
    all_items: &[AssetExportItem],
    force: bool,
    report: &mut ExportReport,
) -> Result<bool> {
    // In batches, to bound the number of open files (a bundle may hold thousands).
    for items in all_items.chunks(BATCH) {
        let mut staged: Vec<(&AssetExportItem, Staged)> = Vec::new();
        for item in items {
            match item.action {
                ExportAction::Unchanged => report.assets_unchanged.push(item.path.clone()),
                ExportAction::Conflict if !force => report.conflicts.push(Refused {
                    path: item.path.clone(),
                    reason: item.reason.clone().unwrap_or_else(|| "changed outside Galley".into()),
                }),
                _ => {
                    let staging = current_matches(root, item, force).and_then(|()| {
                        let (dir, name) = site::ensure_parents(root, &item.path)?;
                        Staged::write(&dir, name, &item.bytes)
                    });
                    match staging {
                        Ok(file) => staged.push((item, file)),
                        Err(Error::Conflict { reason, .. }) => report.conflicts.push(Refused { path: item.path.clone(), reason }),
                        Err(error) => {
                            report.errors.push(stopped(item, &error));
                            return Ok(false); // dropping `staged` removes the temporary files
                        }
                    }
                }
            }
        }
        // Flushed on a few threads at once (the file system batches concurrent syncs).
        let synced = crate::export::sync_all(&staged.iter().map(|(_, file)| file).collect::<Vec<_>>());
        if let Some((index, error)) = synced.into_iter().enumerate().find_map(|(i, r)| r.err().map(|e| (i, e))) {
            let item = staged[index].0;
            report.errors.push(stopped(item, &Error::io(root.join(&item.path), error)));
            return Ok(false); // dropping `staged` removes the temporary files
        }
        let writes: Vec<AssetExportWrite> = staged
            .iter()
            .map(|(item, _)| AssetExportWrite { path: &item.path, post_id: item.post_id, name: &item.name, file_hash: &item.hash })
            .collect();
        let unchanged: Vec<AssetExportWrite> = items
            .iter()
            .filter(|item| item.action == ExportAction::Unchanged)
            .map(|item| AssetExportWrite { path: &item.path, post_id: item.post_id, name: &item.name, file_hash: &item.hash })
            .collect();
        ledger.record_asset_export(root_key, &writes)?;
        ledger.record_asset_export(root_key, &unchanged)?;
        let mut dirs = BTreeSet::new();
        for (item, file) in staged {
            let result = current_matches(root, item, force).and_then(|()| {
                dirs.insert(file.target().parent().map(Path::to_path_buf));
                file.commit()
            });
            match result {
                Ok(()) => report.assets_written.push(item.path.clone()),
                Err(Error::Conflict { reason, .. }) => report.conflicts.push(Refused { path: item.path.clone(), reason }),
                Err(error) => report.errors.push(ExportError {
                    post_id: item.post_id,
                    title: String::new(),
                    path: Some(item.path.clone()),
                    message: error.to_string(),
                }),
            }
        }
        for dir in dirs.into_iter().flatten() {
            site::sync_folder(&dir);
        }
    }
    Ok(true)
}

/// The error row of a file the export could not write (worded as for posts).
fn stopped(item: &AssetExportItem, error: &Error) -> ExportError {
    ExportError {
        post_id: item.post_id,
        title: String::new(),
        path: Some(item.path.clone()),
        message: crate::export::stopped_message(&item.path, error),
    }
}

/// The file at an item's path holds what the plan saw there (or already the bytes to write);
/// otherwise a conflict, unless `force`.
fn current_matches(root: &Path, item: &AssetExportItem, force: bool) -> Result<()> {
    let now = disk_hash(root, &item.path).map_err(|reason| Error::Conflict { path: root.join(&item.path), reason })?;
    if force || now == item.disk_hash || now.as_deref() == Some(item.hash.as_str()) {
        Ok(())
    } else {
        Err(Error::Conflict {
            path: root.join(&item.path),
            reason: "changed outside Galley during the export; nothing was overwritten (export again to see it)".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "---\ntitle: T\n---\n![a](diagram.png) ![b](./img/a%20b.svg) ![c](/images/abs.png) ![d](https://x.org/y.png) [e](other.md)\n";
    const NAMES: &[(&str, Option<&str>)] = &[
        ("diagram.png", Some("content/posts/t/diagram.png")),
        ("img/a b.svg", Some("content/posts/t/img/a b.svg")),
        ("@root/images/abs.png", Some("static/images/abs.png")),
    ];

    #[test]
    fn keep_puts_files_back_and_changes_no_link() {
        let placed = place(Preset::Keep, "content/posts/t/index.md", TEXT, NAMES);
        assert_eq!(placed.text, TEXT);
        assert_eq!(placed.path, "content/posts/t/index.md");
        let paths: Vec<&str> = placed.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["content/posts/t/diagram.png", "content/posts/t/img/a b.svg", "static/images/abs.png"]);
    }

    #[test]
    fn hugo_makes_a_leaf_bundle_and_rewrites_only_the_static_link() {
        let placed = place(Preset::Hugo, "content/posts/t.md", TEXT, NAMES);
        assert_eq!(placed.path, "content/posts/t/index.md");
        assert_eq!(
            placed.text,
            "---\ntitle: T\n---\n![a](diagram.png) ![b](./img/a%20b.svg) ![c](images/abs.png) ![d](https://x.org/y.png) [e](other.md)\n"
        );
        let paths: Vec<&str> = placed.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["content/posts/t/diagram.png", "content/posts/t/img/a b.svg", "content/posts/t/images/abs.png"]);
        let flat = place(Preset::Hugo, "content/posts/t.md", TEXT, &[]);
        assert_eq!((flat.path.as_str(), flat.text.as_str()), ("content/posts/t.md", TEXT), "no files: exported as today");
    }

    #[test]
    fn jekyll_and_astro_rewrite_to_their_places() {
        let jekyll = place(Preset::Jekyll, "_posts/2024-01-02-t.md", TEXT, NAMES);
        assert_eq!(jekyll.path, "_posts/2024-01-02-t.md");
        assert!(
            jekyll.text.contains("![a](/assets/t/diagram.png) ![b](/assets/t/img/a%20b.svg) ![c](/assets/t/images/abs.png)"),
            "{}",
            jekyll.text
        );
        assert!(jekyll.text.contains("[e](other.md)"));
        assert_eq!(jekyll.files[0].0, "assets/t/diagram.png");
        let astro = place(Preset::Astro, "src/content/blog/t.md", TEXT, NAMES);
        assert_eq!(astro.path, "src/content/blog/t/index.md");
        assert!(astro.text.contains("![a](./diagram.png) ![b](./img/a%20b.svg) ![c](./images/abs.png)"), "{}", astro.text);
        let zola = place(Preset::Zola, "content/blog/t.md", TEXT, NAMES);
        assert_eq!(zola.path, "content/blog/t/index.md");
        assert_eq!(zola.files[2].0, "content/blog/t/images/abs.png");
    }
}
