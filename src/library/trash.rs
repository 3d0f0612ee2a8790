//! The trash: deleting a post only moves it here (out of lists and search); it can be restored
//! until the trash is emptied, the one place where the library really deletes.
use rusqlite::params;

use super::{now, summary_from_row, Library, PostSummary, SUMMARY_COLUMNS};
use crate::error::{Error, Result};

impl Library {
    /// Moves a post to the trash: it leaves lists, search and the index view, keeps its text and
    /// revisions, and can be brought back with [`Library::restore_post`].
    pub fn trash_post(&mut self, id: i64) -> Result<()> {
        let timestamp = now();
        self.write(|tx| {
            let changed = tx.execute("UPDATE posts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL", params![id, timestamp])?;
            if changed == 0 {
                return Err(Error::NoSuchPost(id).into());
            }
            tx.execute("DELETE FROM posts_fts WHERE rowid = ?1", params![id])?;
            Ok(())
        })
    }

    /// The posts in the trash, most recently trashed first.
    pub fn trashed(&self) -> Result<Vec<PostSummary>> {
        let mut statement = self
            .connection
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM posts p WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC"
            ))
            .map_err(self.err())?;
        let rows = statement.query_map([], summary_from_row).map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// Brings a post back from the trash (into lists and search again) and returns it.
    pub fn restore_post(&mut self, id: i64) -> Result<PostSummary> {
        self.write(|tx| {
            let changed = tx.execute("UPDATE posts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL", params![id])?;
            if changed == 0 {
                return Err(Error::NoSuchPost(id).into());
            }
            tx.execute("DELETE FROM posts_fts WHERE rowid = ?1", params![id])?;
            tx.execute(
                "INSERT INTO posts_fts (rowid, title, summary, body, tags) \
                 SELECT id, title, summary, body, \
                 (SELECT coalesce(group_concat(tag, ' '), '') FROM (SELECT tag FROM tags WHERE post_id = ?1 ORDER BY position)) \
                 FROM posts WHERE id = ?1",
                params![id],
            )?;
            Ok(())
        })?;
        self.summary(id)
    }

    /// Deletes one post in the trash for good, with its revisions (the UI asks first).
    pub fn delete_from_trash(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute("DELETE FROM posts WHERE id = ?1 AND deleted_at IS NOT NULL", params![id])?;
            if changed == 0 {
                return Err(Error::NoSuchPost(id).into());
            }
            tx.execute("DELETE FROM posts_fts WHERE rowid = ?1", params![id])?;
            Ok(())
        })
    }

    /// Deletes every post in the trash for good, with their revisions, tags and site records (the
    /// UI asks first). Returns how many posts were deleted.
    pub fn empty_trash(&mut self) -> Result<usize> {
        self.write(|tx| {
            tx.execute("DELETE FROM posts_fts WHERE rowid IN (SELECT id FROM posts WHERE deleted_at IS NOT NULL)", [])?;
            Ok(tx.execute("DELETE FROM posts WHERE deleted_at IS NOT NULL", [])?)
        })
    }
}
