//! The draft library: one SQLite file (the only rusqlite user). Schema through migrations, posts,
//! tags, revisions and full-text search, every multi-step write in one transaction.
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::front_matter;
use crate::stats;

mod site;
pub use site::{ExportWrite, ImportWrite, SiteFile, SitePost};

/// Seconds during which consecutive edits of one post are folded into one revision.
pub const REVISION_COALESCE_SECONDS: i64 = 300;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("library/001_initial.sql")),
        M::up(include_str!("library/002_site.sql")),
    ])
}

/// A post's publishing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written.
    Draft,
    /// Finished, waiting to be published.
    Ready,
    /// Live on the site.
    Published,
}

impl Status {
    /// The name stored in the library and used by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Ready => "ready",
            Status::Published => "published",
        }
    }

    /// Parses a status name.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "draft" => Ok(Status::Draft),
            "ready" => Ok(Status::Ready),
            "published" => Ok(Status::Published),
            other => Err(Error::Invalid(format!(
                "unknown status '{other}' (expected draft, ready or published)"
            ))),
        }
    }
}

/// A post as listed in the library sidebar and the index view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostSummary {
    /// Library id.
    pub id: i64,
    /// Title from the front matter ("Untitled" shown by the UI when empty).
    pub title: String,
    /// Publishing state.
    pub status: Status,
    /// Date as written in the front matter.
    pub date: String,
    /// Summary paragraph.
    pub summary: String,
    /// Category.
    pub category: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Prose words.
    pub words: i64,
    /// "N min read".
    pub reading_minutes: i64,
    /// Last modification, RFC 3339.
    pub modified_at: String,
}

/// A whole post as the editor opens it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Post {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: PostSummary,
    /// The front matter block exactly as written, delimiters included ("" when none).
    pub front_matter: String,
    /// The Markdown body after the front matter.
    pub body: String,
    /// Creation time, RFC 3339.
    pub created_at: String,
}

impl Post {
    /// The file text: front matter block followed by the body, byte for byte.
    pub fn text(&self) -> String {
        format!("{}{}", self.front_matter, self.body)
    }
}

/// An open library file.
pub struct Library {
    connection: Connection,
    path: PathBuf,
}

/// The default library location: `<OS data dir>/galley/library.sqlite3`.
pub fn default_library_path() -> Result<PathBuf> {
    let base = dirs::data_dir()
        .ok_or_else(|| Error::Invalid("no data directory for this user (is HOME set?)".into()))?;
    Ok(base.join("galley").join("library.sqlite3"))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Library {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date.
    /// Returns the library and whether it was created just now.
    pub fn open(path: &Path) -> Result<(Self, bool)> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let library_error = |source| Error::Library { path: path.to_path_buf(), source };
        let mut connection = Connection::open(path).map_err(library_error)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(library_error)?;
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(library_error)?;
        let fresh = connection
            .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
            .map_err(library_error)?
            == 0;
        migrations()
            .to_latest(&mut connection)
            .map_err(|e| Error::Migration { path: path.to_path_buf(), message: e.to_string() })?;
        Ok((Library { connection, path: path.to_path_buf() }, fresh))
    }

    /// Where this library lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |source| Error::Library { path: self.path.clone(), source }
    }

    /// Adds a post from a whole file text (front matter + body). Returns its id.
    pub fn create_post(&mut self, text: &str, status: Status) -> Result<i64> {
        let (block, body) = front_matter::split(text);
        let timestamp = now();
        let path = self.path.clone();
        let err = move |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        tx.execute(
            "INSERT INTO posts (front_matter, body, status, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![block, body, status.as_str(), timestamp],
        )
        .map_err(&err)?;
        let id = tx.last_insert_rowid();
        write_derived(&tx, id, block, body).map_err(&err)?;
        record_revision(&tx, id, "created", &timestamp, false).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(id)
    }

    /// Creates an empty draft with this title.
    pub fn new_draft(&mut self, title: &str) -> Result<i64> {
        let date = Utc::now().format("%Y-%m-%d").to_string();
        let block = front_matter::set_field("", "title", &[title.to_string()], false);
        let block = front_matter::set_field(&block, "date", &[date], false);
        self.create_post(&format!("{block}\n"), Status::Draft)
    }

    /// Replaces a post's body and/or front matter block; records a (coalesced) revision.
    pub fn save_post(&mut self, id: i64, front_matter: &str, body: &str) -> Result<PostSummary> {
        let timestamp = now();
        let path = self.path.clone();
        let err = move |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        let changed = tx
            .execute(
                "UPDATE posts SET front_matter = ?2, body = ?3, modified_at = ?4 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, front_matter, body, timestamp],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(Error::NoSuchPost(id));
        }
        write_derived(&tx, id, front_matter, body).map_err(&err)?;
        record_revision(&tx, id, "edit", &timestamp, true).map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.summary(id)
    }

    /// Saves only the body, keeping the stored front matter.
    pub fn save_body(&mut self, id: i64, body: &str) -> Result<PostSummary> {
        let post = self.post(id)?;
        self.save_post(id, &post.front_matter, body)
    }

    /// Changes one front matter field in place and saves.
    pub fn set_field(&mut self, id: i64, key: &str, value: &[String], is_list: bool) -> Result<Post> {
        let post = self.post(id)?;
        let block = front_matter::set_field(&post.front_matter, key, value, is_list);
        self.save_post(id, &block, &post.body)?;
        self.post(id)
    }

    /// Changes a post's status (always recorded as a revision).
    pub fn set_status(&mut self, id: i64, status: Status) -> Result<PostSummary> {
        let timestamp = now();
        let path = self.path.clone();
        let err = move |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction().map_err(&err)?;
        let changed = tx
            .execute(
                "UPDATE posts SET status = ?2, modified_at = ?3 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, status.as_str(), timestamp],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(Error::NoSuchPost(id));
        }
        record_revision(&tx, id, &format!("status: {}", status.as_str()), &timestamp, false)
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.summary(id)
    }

    /// Lists posts (not in the trash), newest modification first, optionally by status.
    pub fn list(&self, status: Option<Status>) -> Result<Vec<PostSummary>> {
        let mut statement = self
            .connection
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM posts p WHERE deleted_at IS NULL AND (?1 IS NULL OR status = ?1) ORDER BY modified_at DESC, id DESC"
            ))
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![status.map(Status::as_str)], summary_from_row)
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// Full-text search over title, summary, body and tags. Any query is safe: every token is
    /// quoted, so odd input gives results or nothing, never an error.
    pub fn search(&self, query: &str) -> Result<Vec<PostSummary>> {
        let fts_query = fts_query(query);
        if fts_query.is_empty() {
            return Ok(Vec::new());
        }
        let mut statement = self
            .connection
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM posts_fts f JOIN posts p ON p.id = f.rowid WHERE posts_fts MATCH ?1 AND p.deleted_at IS NULL ORDER BY bm25(posts_fts)"
            ))
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![fts_query], summary_from_row)
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// One post's list entry.
    pub fn summary(&self, id: i64) -> Result<PostSummary> {
        self.connection
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM posts p WHERE id = ?1 AND deleted_at IS NULL"),
                params![id],
                summary_from_row,
            )
            .optional()
            .map_err(self.err())?
            .ok_or(Error::NoSuchPost(id))
    }

    /// One whole post.
    pub fn post(&self, id: i64) -> Result<Post> {
        let summary = self.summary(id)?;
        let (front_matter, body, created_at) = self
            .connection
            .query_row(
                "SELECT front_matter, body, created_at FROM posts WHERE id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(self.err())?;
        Ok(Post { summary, front_matter, body, created_at })
    }

    /// How many revisions a post has.
    pub fn revision_count(&self, id: i64) -> Result<i64> {
        self.connection
            .query_row("SELECT count(*) FROM revisions WHERE post_id = ?1", params![id], |row| row.get(0))
            .map_err(self.err())
    }

    /// Runs SQLite's own consistency check; `Ok("ok")` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(self.err())
    }

    /// A number that changes whenever another connection (e.g. the CLI) commits a change.
    pub fn data_version(&self) -> Result<i64> {
        self.connection
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(self.err())
    }
}

const SUMMARY_COLUMNS: &str = "p.id, p.title, p.status, p.date, p.summary, p.category, \
     (SELECT coalesce(json_group_array(tag), '[]') FROM (SELECT tag FROM tags t WHERE t.post_id = p.id ORDER BY position)), \
     p.words, p.reading_minutes, p.modified_at";

fn summary_from_row(row: &rusqlite::Row) -> rusqlite::Result<PostSummary> {
    let status: String = row.get(2)?;
    let tags: String = row.get(6)?;
    Ok(PostSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        date: row.get(3)?,
        summary: row.get(4)?,
        category: row.get(5)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        words: row.get(7)?,
        reading_minutes: row.get(8)?,
        modified_at: row.get(9)?,
    })
}

/// Recomputes the columns derived from the text (title, tags, stats, search index).
fn write_derived(tx: &rusqlite::Transaction, id: i64, block: &str, body: &str) -> rusqlite::Result<()> {
    let fields = front_matter::parse_fields(block);
    let counted = stats::stats(body);
    tx.execute(
        "UPDATE posts SET title = ?2, date = ?3, summary = ?4, category = ?5, words = ?6, reading_minutes = ?7 WHERE id = ?1",
        params![id, fields.title, fields.date, fields.summary, fields.category, counted.words as i64, counted.reading_minutes as i64],
    )?;
    tx.execute("DELETE FROM tags WHERE post_id = ?1", params![id])?;
    for (position, tag) in fields.tags.iter().enumerate() {
        tx.execute(
            "INSERT OR IGNORE INTO tags (post_id, tag, position) VALUES (?1, ?2, ?3)",
            params![id, tag, position as i64],
        )?;
    }
    tx.execute("DELETE FROM posts_fts WHERE rowid = ?1", params![id])?;
    tx.execute(
        "INSERT INTO posts_fts (rowid, title, summary, body, tags) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, fields.title, fields.summary, body, fields.tags.join(" ")],
    )?;
    Ok(())
}

/// Stores the post's current text as a revision; with `coalesce`, a recent "edit" revision is
/// updated instead of adding another one.
fn record_revision(tx: &rusqlite::Transaction, id: i64, reason: &str, timestamp: &str, coalesce: bool) -> rusqlite::Result<()> {
    if coalesce {
        let recent: Option<i64> = tx
            .query_row(
                "SELECT id FROM revisions WHERE post_id = ?1 AND reason = ?2 AND id = (SELECT max(id) FROM revisions WHERE post_id = ?1) \
                 AND (julianday(?3) - julianday(started_at)) * 86400 < ?4",
                params![id, reason, timestamp, REVISION_COALESCE_SECONDS],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(revision) = recent {
            tx.execute(
                "UPDATE revisions SET front_matter = p.front_matter, body = p.body, created_at = ?2 FROM posts p WHERE revisions.id = ?1 AND p.id = revisions.post_id",
                params![revision, timestamp],
            )?;
            return Ok(());
        }
    }
    tx.execute(
        "INSERT INTO revisions (post_id, reason, started_at, created_at, front_matter, body) SELECT id, ?2, ?3, ?3, front_matter, body FROM posts WHERE id = ?1",
        params![id, reason, timestamp],
    )?;
    Ok(())
}

/// Turns arbitrary user input into a safe FTS5 query: each whitespace-separated token becomes a
/// quoted string (prefix-matched), so operators, quotes and parentheses are just text.
pub fn fts_query(input: &str) -> String {
    input
        .split_whitespace()
        .map(|token| token.replace('"', "\"\""))
        .filter(|token| token.chars().any(char::is_alphanumeric))
        .map(|token| format!("\"{token}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn fts_query_quotes_everything() {
        assert_eq!(fts_query("title: \"go (x"), "\"title:\"* \"\"\"go\"* \"(x\"*");
        assert_eq!(fts_query("  - ( "), "");
    }
}
