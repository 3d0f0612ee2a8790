//! The library's site records: which post each file of a site folder belongs to and the hashes of
//! the bytes Galley last read or wrote there (import/export bookkeeping, one transaction per
//! batch; the sync side, with its "missing" flag, is in [`sync`]).
use std::collections::{HashMap, HashSet};

use rusqlite::params;
use serde::Serialize;

mod sync;

use super::{now, record_revision, write_batch, Library, Status, TxError, TxResult};
use crate::error::{Error, Result};
use crate::front_matter;

/// A post as import and export need it: text, status and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SitePost {
    /// Library id.
    pub id: i64,
    /// Publishing state.
    pub status: Status,
    /// Title from the front matter.
    pub title: String,
    /// The raw front matter block ("" when none).
    pub front_matter: String,
    /// The Markdown body.
    pub body: String,
    /// Site-relative path of the file it was imported from, if any.
    pub source_path: Option<String>,
    /// Creation time, RFC 3339.
    pub created_at: String,
}

impl SitePost {
    /// The file text: front matter block followed by the body, byte for byte.
    pub fn text(&self) -> String {
        format!("{}{}", self.front_matter, self.body)
    }
}

/// The posts an export may write, and those it must report instead ([`Library::export_posts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSelection {
    /// Posts with a status Galley knows (samples left out), oldest first.
    pub posts: Vec<SitePost>,
    /// Posts whose stored status Galley does not know: never exported, never silently skipped.
    pub unreadable: Vec<UnreadableStatus>,
}

/// A post whose stored status is not one Galley knows (a library edited by another tool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadableStatus {
    /// Library id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The status exactly as stored.
    pub stored: String,
}

impl UnreadableStatus {
    /// Why the post is not exported, and what to do.
    pub fn message(&self) -> String {
        format!(
            "its status in the library is '{}', which Galley does not know; choose draft, ready or published for it in Galley, then export again",
            self.stored.escape_debug()
        )
    }
}

/// What Galley knows about one file of a site folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteFile {
    /// The post the file belongs to.
    pub post_id: i64,
    /// SHA-256 (hex) of the file's bytes when Galley last read or wrote it.
    pub file_hash: String,
    /// SHA-256 (hex) of the post's text at that moment.
    pub text_hash: String,
    /// `import` or `export`.
    pub direction: String,
    /// True when the post has been moved to the trash since.
    pub post_deleted: bool,
}

/// One file to record as imported: a new post (`post_id: None`) or an update of an existing one.
#[derive(Debug, Clone)]
pub struct ImportWrite<'a> {
    /// Site-relative path (`/`-separated).
    pub path: &'a str,
    /// The whole file text.
    pub text: &'a str,
    /// SHA-256 of the file's bytes.
    pub file_hash: &'a str,
    /// The post to update, or `None` to create one.
    pub post_id: Option<i64>,
    /// Status to set (always used for new posts; `None` keeps an existing post's status).
    pub status: Option<Status>,
}

/// Which post an imported asset file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetOwner {
    /// The post created or updated by the write at this index of the same import.
    Write(usize),
    /// A post already in the library (its own file did not change).
    Post(i64),
}

/// One asset file to store and record as imported.
#[derive(Debug, Clone)]
pub struct AssetImportWrite<'a> {
    /// The post it belongs to.
    pub owner: AssetOwner,
    /// Its library name for that post (`diagram.png`, `@root/images/a.png`).
    pub name: &'a str,
    /// Its site-relative path.
    pub path: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// What Galley knows about one asset file of a site folder, for one post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteAsset {
    /// The post.
    pub post_id: i64,
    /// Its library name for that post.
    pub name: String,
    /// SHA-256 of the file's bytes when Galley last read or wrote it.
    pub file_hash: String,
    /// `import` or `export`.
    pub direction: String,
}

/// One asset file to record as exported.
#[derive(Debug, Clone)]
pub struct AssetExportWrite<'a> {
    /// Site-relative path.
    pub path: &'a str,
    /// The post whose file it is.
    pub post_id: i64,
    /// Its library name for that post.
    pub name: &'a str,
    /// SHA-256 of the bytes now in the file.
    pub file_hash: &'a str,
}

/// One file to record as exported.
#[derive(Debug, Clone)]
pub struct ExportWrite<'a> {
    /// Site-relative path (`/`-separated).
    pub path: &'a str,
    /// The post written there.
    pub post_id: i64,
    /// SHA-256 of the bytes now in the file.
    pub file_hash: &'a str,
    /// SHA-256 of the post's text that was exported.
    pub text_hash: &'a str,
    /// Preset name.
    pub preset: &'a str,
    /// True when the file was (re)written now (records an `export` revision).
    pub written: bool,
}

/// What the library records about one tracked file of a site folder, with its sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyncRecord {
    pub(crate) post_id: i64,
    pub(crate) file_hash: String,
    pub(crate) text_hash: String,
    pub(crate) direction: String,
    pub(crate) preset: String,
    pub(crate) missing_since: Option<String>,
    pub(crate) post_deleted: bool,
}

/// A tracked file that is gone from the site folder; its post stays in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingFile {
    /// Site-relative path.
    pub path: String,
    /// The post it held.
    pub post_id: i64,
    /// When Galley found it missing (RFC 3339).
    pub since: String,
}

/// The id of a site folder's row, created if needed.
fn site_id(tx: &rusqlite::Transaction, root: &str, timestamp: &str) -> rusqlite::Result<i64> {
    tx.prepare_cached("INSERT INTO sites (root, created_at) VALUES (?1, ?2) ON CONFLICT (root) DO NOTHING")?
        .execute(params![root, timestamp])?;
    tx.prepare_cached("SELECT id FROM sites WHERE root = ?1")?.query_row(params![root], |row| row.get(0))
}

/// One file record to write: the file at `path` holds bytes hashing to `file_hash` while the
/// post's text hashes to `text_hash`.
struct FileRecord<'a> {
    path: &'a str,
    post_id: i64,
    file_hash: &'a str,
    text_hash: &'a str,
    /// `import` or `export`.
    direction: &'a str,
}

/// Creates or updates a file record. With a `preset` (import, export), the record takes it and
/// keeps its "missing" flag; without one (sync saw the file just now), the record keeps its
/// preset (`keep` for a new one) and is no longer missing.
fn upsert_file(
    tx: &rusqlite::Transaction,
    site: i64,
    record: &FileRecord<'_>,
    preset: Option<&str>,
    timestamp: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO site_files (site_id, path, post_id, file_hash, text_hash, direction, preset, synced_at, missing_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 'keep'), ?8, NULL) \
         ON CONFLICT (site_id, path) DO UPDATE SET post_id = excluded.post_id, file_hash = excluded.file_hash, \
         text_hash = excluded.text_hash, direction = excluded.direction, preset = coalesce(?7, site_files.preset), \
         synced_at = excluded.synced_at, missing_at = CASE WHEN ?7 IS NULL THEN NULL ELSE site_files.missing_at END",
    )?
    .execute(params![site, record.path, record.post_id, record.file_hash, record.text_hash, record.direction, preset, timestamp])?;
    Ok(())
}

/// Creates or updates the record of one asset file of a site, for one post.
#[allow(clippy::too_many_arguments)]
fn upsert_asset_record(
    tx: &rusqlite::Transaction,
    site: i64,
    path: &str,
    post_id: i64,
    name: &str,
    file_hash: &str,
    direction: &str,
    timestamp: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO site_assets (site_id, path, post_id, name, file_hash, direction, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (site_id, path, post_id) DO UPDATE SET name = excluded.name, file_hash = excluded.file_hash, \
         direction = excluded.direction, synced_at = excluded.synced_at",
    )?
    .execute(params![site, path, post_id, name, file_hash, direction, timestamp])?;
    Ok(())
}

impl Library {
    /// Every post not in the trash (optionally only one status), oldest first, with its text and
    /// source path, in one query.
    pub fn site_posts(&self, status: Option<Status>) -> Result<Vec<SitePost>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT id, status, title, front_matter, body, source_path, created_at FROM posts \
                 WHERE deleted_at IS NULL AND (?1 IS NULL OR status = ?1) ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![status.map(Status::as_str)], |row| {
                let status: String = row.get(1)?;
                Ok(SitePost {
                    id: row.get(0)?,
                    status: Status::parse(&status).unwrap_or(Status::Draft),
                    title: row.get(2)?,
                    front_matter: row.get(3)?,
                    body: row.get(4)?,
                    source_path: row.get(5)?,
                    created_at: row.get(6)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// The posts an export may write: like [`Library::site_posts`], but without Galley's sample
    /// posts (they never leave the library unless the writer made one theirs) and with the posts
    /// whose stored status Galley cannot read set apart, for the export to report.
    pub fn export_posts(&self, status: Option<Status>) -> Result<ExportSelection> {
        let known = format!("status IN ({})", Status::SQL_NAMES);
        let unreadable = self
            .connection
            .prepare_cached(&format!(
                "SELECT id, title, status FROM posts WHERE deleted_at IS NULL AND sample = 0 AND NOT {known} ORDER BY id"
            ))
            .map_err(self.err())?
            .query_map([], |row| Ok(UnreadableStatus { id: row.get(0)?, title: row.get(1)?, stored: row.get(2)? }))
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        let samples: HashSet<i64> = self
            .connection
            .prepare_cached("SELECT id FROM posts WHERE sample <> 0")
            .map_err(self.err())?
            .query_map([], |row| row.get(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        let unreadable_ids: HashSet<i64> = unreadable.iter().map(|post| post.id).collect();
        let mut posts = self.site_posts(status)?;
        posts.retain(|post| !samples.contains(&post.id) && !unreadable_ids.contains(&post.id));
        Ok(ExportSelection { posts, unreadable })
    }

    /// The records of one site folder (keyed by site-relative path); empty for an unknown folder.
    pub fn site_files(&self, root: &str) -> Result<HashMap<String, SiteFile>> {
        let records = self.sync_records(root)?;
        Ok(records
            .into_iter()
            .map(|(path, r)| {
                let file = SiteFile {
                    post_id: r.post_id,
                    file_hash: r.file_hash,
                    text_hash: r.text_hash,
                    direction: r.direction,
                    post_deleted: r.post_deleted,
                };
                (path, file)
            })
            .collect())
    }

    /// The records of one site folder with their sync state, keyed by site-relative path (empty
    /// for an unknown folder).
    pub(crate) fn sync_records(&self, root: &str) -> Result<HashMap<String, SyncRecord>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT f.path, f.post_id, f.file_hash, f.text_hash, f.direction, f.preset, f.missing_at, p.deleted_at IS NOT NULL \
                 FROM site_files f JOIN sites s ON s.id = f.site_id JOIN posts p ON p.id = f.post_id WHERE s.root = ?1",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![root], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    SyncRecord {
                        post_id: row.get(1)?,
                        file_hash: row.get(2)?,
                        text_hash: row.get(3)?,
                        direction: row.get(4)?,
                        preset: row.get(5)?,
                        missing_since: row.get(6)?,
                        post_deleted: row.get(7)?,
                    },
                ))
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<HashMap<_, _>>>().map_err(self.err())
    }

    /// Creates or updates the posts of imported files, records an `import` revision for each and
    /// the file records, all in one transaction. Returns the post id of each write, in order.
    pub fn record_import(&mut self, root: &str, writes: &[ImportWrite<'_>]) -> Result<Vec<i64>> {
        self.record_import_with_assets(root, writes, &[])
    }

    /// The asset records of one site folder, keyed by (site-relative path, post id).
    pub fn site_assets(&self, root: &str) -> Result<HashMap<(String, i64), SiteAsset>> {
        self.connection
            .prepare_cached(
                "SELECT a.path, a.post_id, a.name, a.file_hash, a.direction FROM site_assets a JOIN sites s ON s.id = a.site_id WHERE s.root = ?1",
            )
            .map_err(self.err())?
            .query_map(params![root], |row| {
                let asset = SiteAsset { post_id: row.get(1)?, name: row.get(2)?, file_hash: row.get(3)?, direction: row.get(4)? };
                Ok(((row.get(0)?, asset.post_id), asset))
            })
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }

    /// Records asset files as exported (path + hash per post), in one transaction.
    pub fn record_asset_export(&mut self, root: &str, writes: &[AssetExportWrite<'_>]) -> Result<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let timestamp = now();
        self.write(|tx| {
            let site = site_id(tx, root, &timestamp)?;
            for write in writes {
                upsert_asset_record(tx, site, write.path, write.post_id, write.name, write.file_hash, "export", &timestamp)?;
            }
            Ok(())
        })
    }

    /// [`Library::record_import`] with the asset files of the posts (bundle resources, static
    /// images they reference), stored and recorded in the same transaction. Names and sizes are
    /// checked before anything is written: one bad file fails the whole import (the planner
    /// leaves such files out with a reason first).
    pub fn record_import_with_assets(
        &mut self,
        root: &str,
        writes: &[ImportWrite<'_>],
        assets: &[AssetImportWrite<'_>],
    ) -> Result<Vec<i64>> {
        let checked = assets
            .iter()
            .map(|asset| super::assets::check_asset(asset.name, asset.bytes).map(|checked| (asset, checked)))
            .collect::<Result<Vec<_>>>()?;
        let timestamp = now();
        let path = self.path.clone();
        let err = move |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        let site = site_id(&tx, root, &timestamp).map_err(&err)?;
        let mut ids = Vec::with_capacity(writes.len());
        let mut start = 0;
        while start < writes.len() {
            // A post recorded under two paths of the site can be updated twice in one import: each
            // batch holds a post once, so that its revisions get each text in turn.
            let mut seen = HashSet::new();
            let end = writes[start..]
                .iter()
                .position(|write| write.post_id.is_some_and(|id| !seen.insert(id)))
                .map_or(writes.len(), |length| start + length);
            match import_batch(&tx, site, &writes[start..end], &timestamp) {
                Ok(batch) => ids.extend(batch),
                Err(TxError::Sql(source)) => return Err(err(source)),
                Err(TxError::Galley(error)) => return Err(error),
            }
            start = end;
        }
        for (asset, checked) in &checked {
            let post_id = match asset.owner {
                AssetOwner::Post(id) => id,
                AssetOwner::Write(index) => match ids.get(index) {
                    Some(&id) => id,
                    None => return Err(Error::Invalid(format!("{}: its post is not part of this import", asset.path))),
                },
            };
            let stored = super::assets::store_asset(&tx, post_id, checked, super::AssetOrigin::Import, Some(asset.path), &timestamp)
                .and_then(|()| {
                    upsert_asset_record(&tx, site, asset.path, post_id, &checked.info.name, &checked.info.hash, "import", &timestamp)
                        .map_err(TxError::from)
                });
            match stored {
                Ok(()) => {}
                Err(TxError::Sql(source)) => return Err(err(source)),
                Err(TxError::Galley(error)) => return Err(error),
            }
        }
        tx.commit().map_err(&err)?;
        Ok(ids)
    }

    /// Records exported files (path + hashes per post) and an `export` revision for each post whose
    /// file was written, in one transaction.
    pub fn record_export(&mut self, root: &str, writes: &[ExportWrite<'_>]) -> Result<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let timestamp = now();
        let path = self.path.clone();
        let err = move |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        let site = site_id(&tx, root, &timestamp).map_err(&err)?;
        for write in writes {
            let record = FileRecord {
                path: write.path,
                post_id: write.post_id,
                file_hash: write.file_hash,
                text_hash: write.text_hash,
                direction: "export",
            };
            upsert_file(&tx, site, &record, Some(write.preset), &timestamp).map_err(&err)?;
            if write.written {
                record_revision(&tx, write.post_id, &format!("export: {}", write.path), &timestamp, false).map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(())
    }
}

impl Library {
    /// Puts a file's record back as it was before an export that failed to write the file:
    /// `previous` as read with [`Library::site_files`], or no record at all.
    pub fn restore_site_file(&mut self, root: &str, path: &str, previous: Option<&SiteFile>, preset: &str) -> Result<()> {
        let timestamp = now();
        let library_path = self.path.clone();
        let err = move |source| Error::Library { path: library_path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        let site = site_id(&tx, root, &timestamp).map_err(&err)?;
        match previous {
            Some(file) => {
                let record = FileRecord {
                    path,
                    post_id: file.post_id,
                    file_hash: &file.file_hash,
                    text_hash: &file.text_hash,
                    direction: &file.direction,
                };
                upsert_file(&tx, site, &record, Some(preset), &timestamp)
            }
            None => tx.execute("DELETE FROM site_files WHERE site_id = ?1 AND path = ?2", params![site, path]).map(|_| ()),
        }
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }
}

/// Writes imported files of which none updates the same post as another (see [`write_batch`]).
fn import_batch(tx: &rusqlite::Transaction, site: i64, writes: &[ImportWrite<'_>], timestamp: &str) -> TxResult<Vec<i64>> {
    let split: Vec<(&str, &str)> = writes.iter().map(|write| front_matter::split(write.text)).collect();
    let insert = || -> TxResult<Vec<i64>> {
        let mut ids = Vec::with_capacity(writes.len());
        for (write, &(block, body)) in writes.iter().zip(&split) {
            let id = match write.post_id {
                None => {
                    let status = write.status.unwrap_or(Status::Published);
                    tx.prepare_cached(
                        "INSERT INTO posts (front_matter, body, status, source_path, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    )?
                    .execute(params![block, body, status.as_str(), write.path, timestamp])?;
                    tx.last_insert_rowid()
                }
                Some(id) => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE posts SET front_matter = ?2, body = ?3, source_path = ?4, modified_at = ?5, \
                             status = coalesce(?6, status) WHERE id = ?1 AND deleted_at IS NULL",
                        )?
                        .execute(params![id, block, body, write.path, timestamp, write.status.map(Status::as_str)])?;
                    if changed == 0 {
                        return Err(Error::NoSuchPost(id).into());
                    }
                    id
                }
            };
            ids.push(id);
        }
        Ok(ids)
    };
    let records = |index: usize, id: i64| -> TxResult<()> {
        let write = &writes[index];
        record_revision(tx, id, "import", timestamp, false)?;
        let record =
            FileRecord { path: write.path, post_id: id, file_hash: write.file_hash, text_hash: write.file_hash, direction: "import" };
        upsert_file(tx, site, &record, Some("keep"), timestamp)?;
        Ok(())
    };
    write_batch(tx, &split, insert, records)
}
