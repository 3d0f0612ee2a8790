//! Revisions: the save points of every post (coalesced while typing, always on status change,
//! import, export and restore), their diffs against the current text, and restoring one.
use chrono::DateTime;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{now, write_derived, Library, Post, TxResult};
use crate::diff::{diff_texts, DiffHunk};
use crate::error::{Error, Result};

/// Seconds during which consecutive edits of one post are folded into one "edit" revision (the
/// window starts at the revision's first save).
pub const REVISION_COALESCE_SECONDS: i64 = 300;

/// Bytes of text an "edit" revision may lose to deletions before a save starts a new revision
/// instead: a deleted paragraph (or anything larger) is always kept in the previous revision.
pub const REVISION_KEEP_DELETION_BYTES: i64 = 200;

/// A revision as the history list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RevisionSummary {
    /// Revision id.
    pub id: i64,
    /// The post it belongs to.
    pub post_id: i64,
    /// Why it was recorded: `created`, `edit`, `status: ready`, `import`, `export: <path>`,
    /// `before restore`, `restored from <time>`, …
    pub reason: String,
    /// When its first save happened (RFC 3339); for a coalesced "edit", the start of the window.
    pub started_at: String,
    /// When its text was last written (RFC 3339).
    pub created_at: String,
    /// Prose words of its body.
    pub words: i64,
}

/// A whole revision: its text as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// What the history list shows.
    #[serde(flatten)]
    pub summary: RevisionSummary,
    /// The front matter block as it was.
    pub front_matter: String,
    /// The body as it was.
    pub body: String,
}

impl Revision {
    /// The file text of this revision: front matter block followed by the body.
    pub fn text(&self) -> String {
        format!("{}{}", self.front_matter, self.body)
    }
}

/// The changes from an older text (a revision) to a newer one (the current text, or another
/// revision). Both texts are whole files: front matter block and body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RevisionDiff {
    /// The older side's revision id.
    pub revision_id: i64,
    /// The newer side's revision id; `None` when it is the post's current text.
    pub against_revision_id: Option<i64>,
    /// The post.
    pub post_id: i64,
    /// Lines only in the newer text.
    pub inserted: usize,
    /// Lines only in the older text.
    pub deleted: usize,
    /// The changes; empty when the texts are equal.
    pub hunks: Vec<DiffHunk>,
}

impl RevisionDiff {
    /// The diff as unified diff text (`@@ -a,b +c,d @@` hunks, `+`/`-`/` ` lines).
    pub fn unified(&self) -> String {
        crate::diff::unified(&self.hunks)
    }
}

/// Bytes of `old` that are missing from `new`, measured around the common prefix and suffix
/// (one contiguous edit is exact; several edits are over-counted, which only makes a new
/// revision more likely).
fn removed_bytes(old: &str, new: &str) -> usize {
    let (old, new) = (old.as_bytes(), new.as_bytes());
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    old.len() - prefix - suffix
}

fn seconds_between(earlier: &str, later: &str) -> Option<i64> {
    let earlier = DateTime::parse_from_rfc3339(earlier).ok()?;
    let later = DateTime::parse_from_rfc3339(later).ok()?;
    Some((later - earlier).num_seconds())
}

/// Stores the post's current text as a revision. With `coalesce`, the save is folded into the
/// latest revision when that one has the same reason, started less than
/// [`REVISION_COALESCE_SECONDS`] ago and has lost fewer than [`REVISION_KEEP_DELETION_BYTES`] to
/// deletions so far; a save that changes nothing since the latest revision records nothing.
pub(super) fn record_revision(tx: &rusqlite::Transaction, id: i64, reason: &str, timestamp: &str, coalesce: bool) -> rusqlite::Result<()> {
    record_revision_id(tx, id, reason, timestamp, coalesce).map(|_| ())
}

/// [`record_revision`], returning the id of the revision that now holds the current text.
pub(super) fn record_revision_id(
    tx: &rusqlite::Transaction,
    id: i64,
    reason: &str,
    timestamp: &str,
    coalesce: bool,
) -> rusqlite::Result<i64> {
    if coalesce {
        let latest: Option<(i64, String, String, String, String, i64)> = tx
            .prepare_cached(
                "SELECT id, reason, started_at, front_matter, body, removed FROM revisions \
                 WHERE post_id = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))
            .optional()?;
        let current: (String, String) = tx
            .prepare_cached("SELECT front_matter, body FROM posts WHERE id = ?1")?
            .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        if let Some((revision, latest_reason, started_at, block, body, removed)) = latest {
            if block == current.0 && body == current.1 {
                return Ok(revision);
            }
            let removed = removed + (removed_bytes(&block, &current.0) + removed_bytes(&body, &current.1)) as i64;
            let recent = seconds_between(&started_at, timestamp).is_some_and(|age| (0..REVISION_COALESCE_SECONDS).contains(&age));
            if latest_reason == reason && recent && removed < REVISION_KEEP_DELETION_BYTES {
                tx.prepare_cached(
                    "UPDATE revisions SET front_matter = p.front_matter, body = p.body, words = p.words, \
                     created_at = ?2, removed = ?3 FROM posts p WHERE revisions.id = ?1 AND p.id = revisions.post_id",
                )?
                .execute(params![revision, timestamp, removed])?;
                return Ok(revision);
            }
        }
    }
    tx.prepare_cached(
        "INSERT INTO revisions (post_id, reason, started_at, created_at, front_matter, body, words) \
         SELECT id, ?2, ?3, ?3, front_matter, body, words FROM posts WHERE id = ?1",
    )?
    .execute(params![id, reason, timestamp])?;
    Ok(tx.last_insert_rowid())
}

const REVISION_COLUMNS: &str = "id, post_id, reason, started_at, created_at, words";

fn revision_summary_from_row(row: &rusqlite::Row) -> rusqlite::Result<RevisionSummary> {
    Ok(RevisionSummary {
        id: row.get(0)?,
        post_id: row.get(1)?,
        reason: row.get(2)?,
        started_at: row.get(3)?,
        created_at: row.get(4)?,
        words: row.get(5)?,
    })
}

impl Library {
    /// Records the post's current text as a new revision now (never coalesced): import and export
    /// code calls this with reasons like `import` or `export: content/posts/x.md`. Works for posts
    /// in the trash too. Returns the revision id.
    pub fn record_revision(&mut self, id: i64, reason: &str) -> Result<i64> {
        let timestamp = now();
        self.write(|tx| {
            let exists: Option<i64> = tx.query_row("SELECT id FROM posts WHERE id = ?1", params![id], |row| row.get(0)).optional()?;
            if exists.is_none() {
                return Err(Error::NoSuchPost(id).into());
            }
            Ok(record_revision_id(tx, id, reason, &timestamp, false)?)
        })
    }

    /// A post's revisions, newest first (also for a post in the trash).
    pub fn revisions(&self, post_id: i64) -> Result<Vec<RevisionSummary>> {
        let mut statement = self
            .connection
            .prepare_cached(&format!("SELECT {REVISION_COLUMNS} FROM revisions WHERE post_id = ?1 ORDER BY id DESC"))
            .map_err(self.err())?;
        let rows = statement.query_map(params![post_id], revision_summary_from_row).map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// How many revisions a post has.
    pub fn revision_count(&self, id: i64) -> Result<i64> {
        self.connection.query_row("SELECT count(*) FROM revisions WHERE post_id = ?1", params![id], |row| row.get(0)).map_err(self.err())
    }

    /// One whole revision.
    pub fn revision(&self, revision_id: i64) -> Result<Revision> {
        self.connection
            .prepare_cached(&format!("SELECT {REVISION_COLUMNS}, front_matter, body FROM revisions WHERE id = ?1"))
            .map_err(self.err())?
            .query_row(params![revision_id], |row| {
                Ok(Revision { summary: revision_summary_from_row(row)?, front_matter: row.get(6)?, body: row.get(7)? })
            })
            .optional()
            .map_err(self.err())?
            .ok_or(Error::NoSuchRevision(revision_id))
    }

    /// What changed from a revision to the post's current text (whole file: front matter and
    /// body), as hunks of lines.
    pub fn diff_revision(&self, revision_id: i64) -> Result<RevisionDiff> {
        let revision = self.revision(revision_id)?;
        let post_id = revision.summary.post_id;
        let current: String = self
            .connection
            .query_row("SELECT front_matter || body FROM posts WHERE id = ?1", params![post_id], |row| row.get(0))
            .optional()
            .map_err(self.err())?
            .ok_or(Error::NoSuchPost(post_id))?;
        let (hunks, inserted, deleted) = diff_texts(&revision.text(), &current);
        Ok(RevisionDiff { revision_id, against_revision_id: None, post_id, inserted, deleted, hunks })
    }

    /// What changed from one revision (`older`) to another (`newer`) of the same post.
    pub fn diff_revisions(&self, older: i64, newer: i64) -> Result<RevisionDiff> {
        let old = self.revision(older)?;
        let new = self.revision(newer)?;
        if old.summary.post_id != new.summary.post_id {
            return Err(Error::Invalid(format!("revisions {older} and {newer} belong to different posts")));
        }
        let (hunks, inserted, deleted) = diff_texts(&old.text(), &new.text());
        Ok(RevisionDiff { revision_id: older, against_revision_id: Some(newer), post_id: old.summary.post_id, inserted, deleted, hunks })
    }

    /// Makes a revision's text the post's current text, in one transaction. Nothing is lost: the
    /// text before the restore is kept as a revision ("before restore", unless the latest
    /// revision already holds it) and the restore itself is a new revision
    /// ("restored from <time of the revision>"). The post must not be in the trash.
    pub fn restore_revision(&mut self, revision_id: i64) -> Result<Post> {
        let revision = self.revision(revision_id)?;
        let post_id = revision.summary.post_id;
        let timestamp = now();
        self.write(|tx| restore(tx, &revision, &timestamp))?;
        self.post(post_id)
    }
}

fn restore(tx: &rusqlite::Transaction, revision: &Revision, timestamp: &str) -> TxResult<()> {
    let post_id = revision.summary.post_id;
    let live: Option<i64> =
        tx.query_row("SELECT id FROM posts WHERE id = ?1 AND deleted_at IS NULL", params![post_id], |row| row.get(0)).optional()?;
    if live.is_none() {
        return Err(Error::NoSuchPost(post_id).into());
    }
    // Keep the current text unless the latest revision already holds it exactly.
    let latest_holds_current: bool = tx.query_row(
        "SELECT coalesce((SELECT r.front_matter = p.front_matter AND r.body = p.body FROM revisions r \
         WHERE r.post_id = p.id ORDER BY r.id DESC LIMIT 1), 0) FROM posts p WHERE p.id = ?1",
        params![post_id],
        |row| row.get(0),
    )?;
    if !latest_holds_current {
        record_revision_id(tx, post_id, "before restore", timestamp, false)?;
    }
    tx.execute(
        "UPDATE posts SET front_matter = ?2, body = ?3, modified_at = ?4 WHERE id = ?1",
        params![post_id, revision.front_matter, revision.body, timestamp],
    )?;
    write_derived(tx, post_id, &revision.front_matter, &revision.body)?;
    let when = revision.summary.created_at.get(..19).unwrap_or(&revision.summary.created_at).replace('T', " ");
    record_revision_id(tx, post_id, &format!("restored from {when} UTC"), timestamp, false)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save_at(library: &mut Library, id: i64, body: &str, timestamp: &str) {
        library
            .write(|tx| {
                tx.execute("UPDATE posts SET body = ?2 WHERE id = ?1", params![id, body])?;
                write_derived(tx, id, "", body)?;
                record_revision(tx, id, "edit", timestamp, true)?;
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn edits_coalesce_within_the_window_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut library, _) = Library::open(&dir.path().join("l.sqlite3")).unwrap();
        let id = library.create_post("start", super::super::Status::Draft).unwrap();
        save_at(&mut library, id, "start a", "2024-01-01T10:00:00.000Z");
        save_at(&mut library, id, "start ab", "2024-01-01T10:02:00.000Z");
        save_at(&mut library, id, "start abc", "2024-01-01T10:04:59.000Z");
        assert_eq!(library.revision_count(id).unwrap(), 2, "created + one coalesced edit");
        let latest = &library.revisions(id).unwrap()[0];
        assert_eq!(library.revision(latest.id).unwrap().body, "start abc");
        assert_eq!(latest.started_at, "2024-01-01T10:00:00.000Z");
        save_at(&mut library, id, "start abcd", "2024-01-01T10:05:01.000Z");
        assert_eq!(library.revision_count(id).unwrap(), 3, "the window closed after 300 s");
        // The same text again records nothing.
        save_at(&mut library, id, "start abcd", "2024-01-01T10:05:02.000Z");
        assert_eq!(library.revision_count(id).unwrap(), 3);
        // Deleting a lot inside the window keeps the longer text in its own revision.
        let long = format!("start abcd {}", "paragraph ".repeat(40));
        save_at(&mut library, id, &long, "2024-01-01T10:05:03.000Z");
        assert_eq!(library.revision_count(id).unwrap(), 3);
        save_at(&mut library, id, "start abcd", "2024-01-01T10:05:04.000Z");
        assert_eq!(library.revision_count(id).unwrap(), 4);
        let revisions = library.revisions(id).unwrap();
        assert_eq!(library.revision(revisions[1].id).unwrap().body, long);
        assert_eq!(library.revision(revisions[0].id).unwrap().body, "start abcd");
        // Small deletions add up.
        let mut text = "x".repeat(300);
        for (second, _) in (10..).zip(0..40) {
            text.truncate(text.len() - 6);
            save_at(&mut library, id, &text, &format!("2024-01-01T10:06:{second:02}.000Z"));
        }
        assert_eq!(library.revision_count(id).unwrap(), 5, "one fork after 200 bytes of deletions");
    }

    #[test]
    fn removed_bytes_measures_one_edit() {
        assert_eq!(removed_bytes("hello world", "hello world!"), 0);
        assert_eq!(removed_bytes("hello world", "hello"), 6);
        assert_eq!(removed_bytes("aaaa", "aa"), 2);
        assert_eq!(removed_bytes("abcdef", "abXYef"), 2);
        assert_eq!(removed_bytes("", "new"), 0);
    }
}
