//! The library side of site folder sync: the files flagged missing, and the writes a sync or a
//! conflict resolution makes (each in one transaction).
use rusqlite::{params, OptionalExtension};

use super::{site_id, upsert_file, FileRecord, MissingFile};
use crate::error::{Error, Result};
use crate::front_matter;
use crate::library::{now, record_revision, write_derived, Library, Status, TxResult};
use crate::stats;

/// Replaces a post's text (and derived columns), inside the caller's transaction.
fn set_text(tx: &rusqlite::Transaction, post_id: i64, text: &str, draft: bool, timestamp: &str) -> TxResult<()> {
    let (block, body) = front_matter::split(text);
    let changed = tx.execute(
        "UPDATE posts SET front_matter = ?2, body = ?3, modified_at = ?4, \
         status = CASE WHEN ?5 THEN 'draft' ELSE status END WHERE id = ?1 AND deleted_at IS NULL",
        params![post_id, block, body, timestamp, draft],
    )?;
    if changed == 0 {
        return Err(Error::NoSuchPost(post_id).into());
    }
    write_derived(tx, post_id, block, body)?;
    Ok(())
}

/// Stores a text as a revision of a post without making it the post's text.
fn insert_revision(tx: &rusqlite::Transaction, post_id: i64, text: &str, reason: &str, timestamp: &str) -> rusqlite::Result<i64> {
    let (block, body) = front_matter::split(text);
    tx.execute(
        "INSERT INTO revisions (post_id, reason, started_at, created_at, front_matter, body, words) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)",
        params![post_id, reason, timestamp, block, body, stats::stats(body).words as i64],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Library {
    /// The files of a site folder that Galley tracks but that are gone from disk (deleted or
    /// moved outside Galley), with their posts (which stay in the library), by path.
    pub fn missing_site_files(&self, root: &str) -> Result<Vec<MissingFile>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT f.path, f.post_id, f.missing_at FROM site_files f JOIN sites s ON s.id = f.site_id \
                 JOIN posts p ON p.id = f.post_id \
                 WHERE s.root = ?1 AND f.missing_at IS NOT NULL AND p.deleted_at IS NULL ORDER BY f.path",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![root], |row| Ok(MissingFile { path: row.get(0)?, post_id: row.get(1)?, since: row.get(2)? }))
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// The site files of one post that are missing from their site folder (empty when the post's
    /// files are all present, or it has none). `root` of each is not returned: a library links
    /// one site folder.
    pub fn post_missing_from_site(&self, post_id: i64) -> Result<Vec<MissingFile>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT path, post_id, missing_at FROM site_files WHERE post_id = ?1 AND missing_at IS NOT NULL ORDER BY path")
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![post_id], |row| Ok(MissingFile { path: row.get(0)?, post_id: row.get(1)?, since: row.get(2)? }))
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// Flags these files as missing from the site (those not flagged yet). Returns the paths
    /// newly flagged with their posts.
    pub(crate) fn sync_mark_missing(&mut self, root: &str, paths: &[&str]) -> Result<Vec<(String, i64)>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let timestamp = now();
        self.write(|tx| {
            let mut flagged = Vec::new();
            let mut update = tx.prepare_cached(
                "UPDATE site_files SET missing_at = ?3 WHERE site_id = (SELECT id FROM sites WHERE root = ?1) \
                 AND path = ?2 AND missing_at IS NULL RETURNING post_id",
            )?;
            for path in paths {
                let post: Option<i64> = update.query_row(params![root, path, timestamp], |row| row.get(0)).optional()?;
                if let Some(post) = post {
                    flagged.push((path.to_string(), post));
                }
            }
            Ok(flagged)
        })
    }

    /// Records that the file at `path` holds bytes Galley knows (`file_hash`); with `text_hash`
    /// also that the post's text is in step with it. Clears "missing".
    pub(crate) fn sync_mark_seen(&mut self, root: &str, path: &str, file_hash: &str, text_hash: Option<&str>) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            tx.execute(
                "UPDATE site_files SET file_hash = ?3, text_hash = coalesce(?4, text_hash), synced_at = ?5, missing_at = NULL \
                 WHERE site_id = (SELECT id FROM sites WHERE root = ?1) AND path = ?2",
                params![root, path, file_hash, text_hash, timestamp],
            )?;
            Ok(())
        })
    }

    /// The post of a tracked file takes the file's text: a new revision named `reason`, the
    /// record in step (file and text hashes), "missing" cleared. Drafts (`draft`) become drafts.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn sync_take_disk(
        &mut self,
        root: &str,
        path: &str,
        post_id: i64,
        text: &str,
        hash: &str,
        draft: bool,
        reason: &str,
    ) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            set_text(tx, post_id, text, draft, &timestamp)?;
            record_revision(tx, post_id, reason, &timestamp, false)?;
            let site = site_id(tx, root, &timestamp)?;
            upsert_file(tx, site, &FileRecord { path, post_id, file_hash: hash, text_hash: hash, direction: "import" }, None, &timestamp)?;
            Ok(())
        })
    }

    /// A tracked file moved from `from` to `to` (same bytes): its record follows, and so does
    /// the post's source path.
    pub(crate) fn sync_move(&mut self, root: &str, from: &str, to: &str) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            let site = site_id(tx, root, &timestamp)?;
            tx.execute(
                "INSERT INTO site_files (site_id, path, post_id, file_hash, text_hash, direction, preset, synced_at, missing_at) \
                 SELECT site_id, ?3, post_id, file_hash, text_hash, direction, preset, ?4, NULL FROM site_files \
                 WHERE site_id = ?1 AND path = ?2 \
                 ON CONFLICT (site_id, path) DO UPDATE SET post_id = excluded.post_id, file_hash = excluded.file_hash, \
                 text_hash = excluded.text_hash, direction = excluded.direction, preset = excluded.preset, \
                 synced_at = excluded.synced_at, missing_at = NULL",
                params![site, from, to, timestamp],
            )?;
            // The post's own path follows (for `keep` exports, which write posts back to it).
            tx.execute(
                "UPDATE posts SET source_path = ?3 FROM site_files f \
                 WHERE f.site_id = ?1 AND f.path = ?3 AND posts.id = f.post_id \
                 AND (posts.source_path = ?2 OR (posts.source_path IS NULL AND f.preset = 'keep'))",
                params![site, from, to],
            )?;
            tx.execute("DELETE FROM site_files WHERE site_id = ?1 AND path = ?2", params![site, from])?;
            Ok(())
        })
    }

    /// Keep mine, before the file is rewritten: the disk text (if any) is stored as a revision of
    /// the post, so that nothing is lost when the file is overwritten.
    pub(crate) fn sync_store_theirs(&mut self, post_id: i64, theirs: &str, path: &str) -> Result<i64> {
        self.keep_overwritten_text(post_id, theirs, &format!("disk version of {path} (replaced: kept mine)"))
    }

    /// Keeps the text of a site file that Galley is about to overwrite (keep mine, a forced
    /// export) as a revision of the post, named `reason`, without making it the post's text.
    pub fn keep_overwritten_text(&mut self, post_id: i64, text: &str, reason: &str) -> Result<i64> {
        let timestamp = now();
        self.write(|tx| Ok(insert_revision(tx, post_id, text, reason, &timestamp)?))
    }

    /// Keep mine, after the file was written: the post's current text becomes a revision and the
    /// record holds the hashes of what was written.
    pub(crate) fn sync_kept_mine(&mut self, root: &str, path: &str, post_id: i64, file_hash: &str, text_hash: &str) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            record_revision(tx, post_id, &format!("kept mine: {path}"), &timestamp, false)?;
            let site = site_id(tx, root, &timestamp)?;
            upsert_file(tx, site, &FileRecord { path, post_id, file_hash, text_hash, direction: "export" }, None, &timestamp)?;
            Ok(())
        })
    }

    /// Take theirs: the post's current text is kept as a revision, then the post takes the disk
    /// text (another revision) and the record is in step with it.
    pub(crate) fn sync_take_theirs(&mut self, root: &str, path: &str, post_id: i64, theirs: &str, hash: &str) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            record_revision(tx, post_id, "before taking the disk version", &timestamp, false)?;
            set_text(tx, post_id, theirs, false, &timestamp)?;
            record_revision(tx, post_id, &format!("took disk version of {path}"), &timestamp, false)?;
            let site = site_id(tx, root, &timestamp)?;
            upsert_file(tx, site, &FileRecord { path, post_id, file_hash: hash, text_hash: hash, direction: "import" }, None, &timestamp)?;
            Ok(())
        })
    }

    /// Keep both: the disk text becomes a new draft post; the file stays linked to the original
    /// post, with its current bytes marked as seen (so the next export writes the post over it).
    /// Returns the new post's id.
    pub(crate) fn sync_keep_both(&mut self, root: &str, path: &str, post_id: i64, theirs: &str, hash: &str) -> Result<i64> {
        let timestamp = now();
        self.write(|tx| {
            let exists: Option<i64> =
                tx.query_row("SELECT id FROM posts WHERE id = ?1 AND deleted_at IS NULL", params![post_id], |row| row.get(0)).optional()?;
            if exists.is_none() {
                return Err(Error::NoSuchPost(post_id).into());
            }
            let (block, body) = front_matter::split(theirs);
            tx.execute(
                "INSERT INTO posts (front_matter, body, status, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![block, body, Status::Draft.as_str(), timestamp],
            )?;
            let id = tx.last_insert_rowid();
            write_derived(tx, id, block, body)?;
            record_revision(tx, id, &format!("kept both: disk version of {path}"), &timestamp, false)?;
            let site = site_id(tx, root, &timestamp)?;
            tx.execute(
                "UPDATE site_files SET file_hash = ?3, synced_at = ?4, missing_at = NULL WHERE site_id = ?1 AND path = ?2",
                params![site, path, hash, timestamp],
            )?;
            Ok(id)
        })
    }
}
