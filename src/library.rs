//! The draft library: one SQLite file (the only rusqlite user). Schema through migrations, posts,
//! tags and their derived columns, every multi-step write in one transaction.
//!
//! Child modules: `migrations` (schema and backfills), `derived` (columns derived from the text,
//! full-text entries, batch writes), `counting` (the helper threads of batch writes), `revisions`
//! (save points, diffs, restore), `assets` (a post's files: deduplicated blobs and
//! their names per post), `trash` (delete and undelete), `search` (list pages, full-text
//! search, the blog index view), `site` (import/export/sync records), `backup` (copies with
//! SQLite's online backup API, restore, recovery of a damaged library).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::front_matter;

mod assets;
mod site;
pub(crate) use site::SyncRecord;
pub use site::{
    AssetExportWrite, AssetImportWrite, AssetOwner, ExportSelection, ExportWrite, ImportWrite, MissingFile, SiteAsset, SiteFile, SitePost,
    UnreadableStatus,
};

pub use assets::{AssetInfo, AssetOrigin, PostFile};
pub mod backup;
mod counting;
mod derived;
mod migrations;
mod revisions;
mod search;
mod settings;
mod trash;
pub use crate::diff::{diff_texts, DiffHunk, DiffKind, DiffLine};
use derived::{write_batch, write_derived};
use migrations::migrations;
use revisions::record_revision;
pub use revisions::{Revision, RevisionDiff, RevisionSummary, REVISION_COALESCE_SECONDS, REVISION_KEEP_DELETION_BYTES};
pub use search::{fts_query, IndexEntry, ListQuery, Sort, TagCount};

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

    /// The status names the library may hold, as SQL (`'draft', 'ready', 'published'`).
    const SQL_NAMES: &'static str = "'draft', 'ready', 'published'";

    /// Parses a status name.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "draft" => Ok(Status::Draft),
            "ready" => Ok(Status::Ready),
            "published" => Ok(Status::Published),
            other => Err(Error::Invalid(format!("unknown status '{other}' (expected draft, ready or published)"))),
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
    /// Publishing state (`draft` when the library holds a value Galley does not know: see
    /// `unknown_status`).
    pub status: Status,
    /// The status exactly as stored when it is not one Galley knows (a library edited by another
    /// tool): the post is shown with an "unknown status" marker and export reports it.
    pub unknown_status: Option<String>,
    /// One of Galley's sample posts (seeded on the app's first start): never exported until the
    /// writer has edited it and changed its status.
    pub sample: bool,
    /// The name of the file it was imported from (e.g. `README.md`), shown when it has no title.
    pub file_name: Option<String>,
    /// Date as written in the front matter.
    pub date: String,
    /// The date as `YYYY-MM-DD` (in the offset it was written in); "" when missing or not a date.
    pub day: String,
    /// Last update as written in the front matter (`updated`, `lastmod`, `updatedDate`).
    pub updated: String,
    /// Summary paragraph from the front matter.
    pub summary: String,
    /// What the index page shows: the summary, else the body's first paragraph (plain text).
    pub excerpt: String,
    /// Category.
    pub category: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Prose words.
    pub words: i64,
    /// "N min read" under Galley's own profile.
    pub reading_minutes: i64,
    /// Minutes to read under every profile, by name (`galley`, `hugo`, `zola`, `medium`).
    pub minutes_by_profile: BTreeMap<String, i64>,
    /// Last modification, RFC 3339.
    pub modified_at: String,
    /// When the post was moved to the trash (RFC 3339); `None` when it is not in the trash.
    pub deleted_at: Option<String>,
    /// Its file in a site folder was deleted or moved outside Galley (and it has no other file
    /// there): the post is safe in the library, the site no longer has it.
    pub missing_on_site: bool,
}

impl PostSummary {
    /// The title to show: the front matter title, else the file name it came from with a hint
    /// (`README.md (no title)`), else `(no title)`.
    pub fn display_title(&self) -> String {
        match (self.title.trim(), &self.file_name) {
            ("", Some(file)) => format!("{file} (no title)"),
            ("", None) => "(no title)".to_string(),
            (title, _) => title.to_string(),
        }
    }

    /// The status to show: its name, or `unknown ('…')` with the value as stored.
    pub fn display_status(&self) -> String {
        match &self.unknown_status {
            Some(stored) => format!("unknown ('{}')", stored.escape_debug()),
            None => self.status.as_str().to_string(),
        }
    }
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
    let base = dirs::data_dir().ok_or_else(|| Error::Invalid("no data directory for this user (is HOME set?)".into()))?;
    Ok(base.join("galley").join("library.sqlite3"))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A failure inside a write transaction: SQLite's own, or one of the crate's (e.g. no such post).
enum TxError {
    Sql(rusqlite::Error),
    Galley(Error),
}

impl From<rusqlite::Error> for TxError {
    fn from(error: rusqlite::Error) -> Self {
        TxError::Sql(error)
    }
}

impl From<Error> for TxError {
    fn from(error: Error) -> Self {
        TxError::Galley(error)
    }
}

type TxResult<T> = std::result::Result<T, TxError>;

impl Library {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date.
    /// Returns the library and whether it was created just now.
    /// A new library file is created readable by its owner only (0600, as SQLite then creates
    /// its `-wal` and `-shm` files), in folders created 0700.
    pub fn open(path: &Path) -> Result<(Self, bool)> {
        backup::create_private_file(path)?;
        let library_error = |source| Error::Library { path: path.to_path_buf(), source };
        let mut connection = Connection::open(path).map_err(library_error)?;
        connection.busy_timeout(std::time::Duration::from_secs(5)).map_err(library_error)?;
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
            .map_err(library_error)?;
        let fresh = connection.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0)).map_err(library_error)? == 0;
        migrations().to_latest(&mut connection).map_err(|e| Error::Migration { path: path.to_path_buf(), message: e.to_string() })?;
        register_functions(&connection).map_err(library_error)?;
        Ok((Library { connection, path: path.to_path_buf() }, fresh))
    }

    /// Where this library lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |source| Error::Library { path: self.path.clone(), source }
    }

    /// Runs `work` in one immediate transaction (the write lock is taken up front, so two
    /// processes never deadlock upgrading a read) and commits; nothing is written on error.
    fn write<T>(&mut self, work: impl FnOnce(&rusqlite::Transaction) -> TxResult<T>) -> Result<T> {
        let path = &self.path;
        let err = |source| Error::Library { path: path.clone(), source };
        let tx = self.connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        match work(&tx) {
            Ok(value) => {
                tx.commit().map_err(err)?;
                Ok(value)
            }
            Err(TxError::Sql(source)) => Err(err(source)),
            Err(TxError::Galley(error)) => Err(error),
        }
    }

    /// Adds a post from a whole file text (front matter + body). Returns its id.
    pub fn create_post(&mut self, text: &str, status: Status) -> Result<i64> {
        let ids = self.create_posts(&[text], status, "created")?;
        ids.first().copied().ok_or_else(|| Error::Invalid("no post was created".into()))
    }

    /// Adds many posts in one transaction (all or none), each with a first revision named
    /// `reason` ("created", "imported", …). Returns their ids in order.
    pub fn create_posts(&mut self, texts: &[&str], status: Status, reason: &str) -> Result<Vec<i64>> {
        self.insert_posts(texts, status, reason, false)
    }

    /// Adds Galley's sample posts (published, marked as samples: export leaves them out until the
    /// writer has edited one and changed its status). Returns their ids in order.
    pub fn create_sample_posts(&mut self, texts: &[&str]) -> Result<Vec<i64>> {
        self.insert_posts(texts, Status::Published, "created", true)
    }

    fn insert_posts(&mut self, texts: &[&str], status: Status, reason: &str, sample: bool) -> Result<Vec<i64>> {
        let timestamp = now();
        let split: Vec<(&str, &str)> = texts.iter().map(|text| front_matter::split(text)).collect();
        self.write(|tx| {
            let insert = || {
                let mut ids = Vec::with_capacity(split.len());
                for &(block, body) in &split {
                    tx.prepare_cached(
                        "INSERT INTO posts (front_matter, body, status, created_at, modified_at, sample) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                    )?
                    .execute(params![block, body, status.as_str(), timestamp, sample])?;
                    ids.push(tx.last_insert_rowid());
                }
                Ok(ids)
            };
            write_batch(tx, &split, insert, |_, id| Ok(record_revision(tx, id, reason, &timestamp, false)?))
        })
    }

    /// Creates an empty draft with this title.
    pub fn new_draft(&mut self, title: &str) -> Result<i64> {
        let date = Utc::now().format("%Y-%m-%d").to_string();
        let block = front_matter::set_field("", "title", &[title.to_string()], false);
        let block = front_matter::set_field(&block, "date", &[date], false);
        self.create_post(&format!("{block}\n"), Status::Draft)
    }

    /// Replaces a post's body and front matter block and records a revision, coalesced while
    /// typing (see [`REVISION_COALESCE_SECONDS`]). Saving the text already stored changes nothing.
    pub fn save_post(&mut self, id: i64, front_matter: &str, body: &str) -> Result<PostSummary> {
        let timestamp = now();
        self.write(|tx| {
            let stored: Option<(String, String)> = tx
                .prepare_cached("SELECT front_matter, body FROM posts WHERE id = ?1 AND deleted_at IS NULL")?
                .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let Some((stored_block, stored_body)) = stored else {
                return Err(Error::NoSuchPost(id).into());
            };
            if stored_block == front_matter && stored_body == body {
                return Ok(());
            }
            tx.prepare_cached("UPDATE posts SET front_matter = ?2, body = ?3, modified_at = ?4 WHERE id = ?1")?.execute(params![
                id,
                front_matter,
                body,
                timestamp
            ])?;
            write_derived(tx, id, front_matter, body)?;
            record_revision(tx, id, "edit", &timestamp, true)?;
            adopt_sample(tx, id)?;
            Ok(())
        })?;
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
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE posts SET status = ?2, modified_at = ?3 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, status.as_str(), timestamp],
            )?;
            if changed == 0 {
                return Err(Error::NoSuchPost(id).into());
            }
            record_revision(tx, id, &format!("status: {}", status.as_str()), &timestamp, false)?;
            adopt_sample(tx, id)?;
            Ok(())
        })?;
        self.summary(id)
    }

    /// One post's list entry (posts in the trash are not found).
    pub fn summary(&self, id: i64) -> Result<PostSummary> {
        self.connection
            .prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM posts p WHERE id = ?1 AND deleted_at IS NULL"))
            .map_err(self.err())?
            .query_row(params![id], summary_from_row)
            .optional()
            .map_err(self.err())?
            .ok_or(Error::NoSuchPost(id))
    }

    /// One whole post (posts in the trash are not found), in one query.
    pub fn post(&self, id: i64) -> Result<Post> {
        self.connection
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS}, p.front_matter, p.body, p.created_at FROM posts p WHERE id = ?1 AND deleted_at IS NULL"
            ))
            .map_err(self.err())?
            .query_row(params![id], |row| {
                Ok(Post {
                    summary: summary_from_row(row)?,
                    front_matter: row.get(SUMMARY_COLUMN_COUNT)?,
                    body: row.get(SUMMARY_COLUMN_COUNT + 1)?,
                    created_at: row.get(SUMMARY_COLUMN_COUNT + 2)?,
                })
            })
            .optional()
            .map_err(self.err())?
            .ok_or(Error::NoSuchPost(id))
    }

    /// Runs SQLite's own consistency check; `Ok("ok")` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(self.err())
    }

    /// A number that changes whenever another connection (e.g. the CLI) commits a change.
    pub fn data_version(&self) -> Result<i64> {
        self.connection.query_row("PRAGMA data_version", [], |row| row.get(0)).map_err(self.err())
    }
}

/// A sample post the writer has both edited (its text differs from the one it was created with)
/// and given a status (a `status:` revision) is theirs from now on: it loses its sample mark.
fn adopt_sample(tx: &rusqlite::Transaction, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE posts SET sample = 0 WHERE id = ?1 AND sample = 1 \
         AND EXISTS (SELECT 1 FROM revisions r WHERE r.post_id = ?1 AND r.reason LIKE 'status:%') \
         AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.id = (SELECT min(id) FROM revisions WHERE post_id = ?1) \
                         AND r.front_matter = posts.front_matter AND r.body = posts.body)",
    )?
    .execute(params![id])?;
    Ok(())
}

/// SQLite's failure in words, with what to do: a full disk, a read-only or unreadable file, a
/// damaged library, a lock held by another program; other failures as SQLite says them.
pub fn describe_sqlite(error: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, message) = error else {
        return error.to_string();
    };
    if let Some(problem) = storage_problem(error) {
        let advice = match failure.code {
            ErrorCode::DiskFull => "free some space and try again",
            _ => "check the disk and the permissions of the library file and its folder",
        };
        return format!("{problem}; {advice} (nothing was changed)");
    }
    let words = match failure.code {
        ErrorCode::CannotOpen => "cannot open the library file; check that its folder exists and that you may write there",
        ErrorCode::DatabaseCorrupt => "the library file is damaged; restore a backup (galley restore FILE) or run galley check",
        ErrorCode::NotADatabase => "this file is not a Galley library, or it is damaged beyond reading",
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "another program holds the library locked; try again in a moment",
        _ => return message.clone().unwrap_or_else(|| failure.to_string()),
    };
    words.to_string()
}

/// For SQLite failures caused by a lack of space or of permission to write: the problem in a
/// few words ("the disk is full"). SQLite then rolled the transaction back: nothing changed.
pub fn storage_problem(error: &rusqlite::Error) -> Option<&'static str> {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, _) = error else { return None };
    match failure.code {
        ErrorCode::DiskFull => Some("the disk is full"),
        ErrorCode::ReadOnly => Some("the library file is read-only"),
        ErrorCode::PermissionDenied => Some("permission to write the library was denied"),
        ErrorCode::SystemIoFailure => Some("the disk failed to write (full, removed or failing?)"),
        _ => None,
    }
}

/// SQL functions the queries use: `galley_has_phrase(phrase, text…)` (search.rs) checks that a
/// quoted phrase's words stand in order in one of the texts.
fn register_functions(connection: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    connection.create_scalar_function(
        search::PHRASE_FUNCTION,
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |context| {
            let text = |index: usize| match context.get_raw(index) {
                ValueRef::Text(bytes) => std::str::from_utf8(bytes).unwrap_or(""),
                _ => "",
            };
            let texts: Vec<&str> = (1..context.len()).map(text).collect();
            Ok(search::has_phrase(text(0), &texts))
        },
    )
}

/// The columns [`summary_from_row`] reads, from `posts p`.
const SUMMARY_COLUMNS: &str = "p.id, p.title, p.status, p.date, p.day, p.updated, p.summary, p.excerpt, \
     p.category, p.tags_json, p.words, p.reading_minutes, p.modified_at, p.deleted_at, p.minutes_json, \
     p.sample, p.source_path, \
     EXISTS (SELECT 1 FROM site_files f WHERE f.post_id = p.id AND f.missing_at IS NOT NULL \
       AND NOT EXISTS (SELECT 1 FROM site_files g WHERE g.post_id = p.id AND g.site_id = f.site_id AND g.missing_at IS NULL))";
const SUMMARY_COLUMN_COUNT: usize = 18;

fn summary_from_row(row: &rusqlite::Row) -> rusqlite::Result<PostSummary> {
    let (status, unknown_status) = read_status(row.get(2)?);
    let tags: String = row.get(9)?;
    let source_path: Option<String> = row.get(16)?;
    Ok(PostSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        status,
        unknown_status,
        sample: row.get(15)?,
        file_name: source_path.map(|path| path.rsplit('/').next().unwrap_or(&path).to_string()),
        date: row.get(3)?,
        day: row.get(4)?,
        updated: row.get(5)?,
        summary: row.get(6)?,
        excerpt: row.get(7)?,
        category: row.get(8)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        words: row.get(10)?,
        reading_minutes: row.get(11)?,
        modified_at: row.get(12)?,
        deleted_at: row.get(13)?,
        minutes_by_profile: serde_json::from_str(&row.get::<_, String>(14)?).unwrap_or_default(),
        missing_on_site: row.get(17)?,
    })
}

/// A stored status: the known one, or `draft` plus the raw value when Galley does not know it.
fn read_status(stored: String) -> (Status, Option<String>) {
    match Status::parse(&stored) {
        Ok(status) => (status, None),
        Err(_) => (Status::Draft, Some(stored)),
    }
}

#[cfg(test)]
mod tests {
    use rusqlite_migration::{Migrations, M};

    use super::*;
    use crate::stats;

    /// A save that hits a full disk (SQLite's own SQLITE_FULL, through `max_page_count`) fails
    /// with words, leaves the library as it was, and the next save once there is room succeeds.
    #[test]
    fn a_save_on_a_full_disk_changes_nothing_and_succeeds_once_there_is_room() {
        let dir = tempfile::tempdir().unwrap();
        let (mut library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
        let id = library.create_post("---\ntitle: Full\n---\nThe text before.\n", Status::Draft).unwrap();
        let revisions = library.revisions(id).unwrap().len();
        let pages: i64 = library.connection.query_row("PRAGMA page_count", [], |row| row.get(0)).unwrap();
        library.connection.pragma_update(None, "max_page_count", pages).unwrap();
        let long = "New words that do not fit. ".repeat(40_000);
        let error = library.save_body(id, &long).unwrap_err();
        assert_eq!(error.storage_problem(), Some("the disk is full"));
        let message = error.to_string();
        assert!(message.contains("the disk is full") && message.contains("nothing was changed"), "{message}");
        assert_eq!(library.post(id).unwrap().body, "The text before.\n", "the library is as it was");
        assert_eq!(library.revisions(id).unwrap().len(), revisions);
        assert_eq!(library.integrity_check().unwrap(), "ok");
        library.connection.pragma_update(None, "max_page_count", 1_073_741_823i64).unwrap();
        assert_eq!(library.save_body(id, &long).unwrap().id, id);
        assert_eq!(library.post(id).unwrap().body, long);
    }

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// A library written by an older Galley (schema `version`) with one post in it, then opened
    /// by this one: every later migration and its hook runs on real rows.
    fn upgraded_from(version: usize) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        let body = "Prose words here, twelve of them in all to count for the profiles.\n\n```go\nfunc main() {}\nfmt.Println(1)\n```\n";
        {
            let mut connection = Connection::open(&path).unwrap();
            migrations().to_version(&mut connection, version).unwrap();
            connection
                .execute(
                    "INSERT INTO posts (front_matter, body, title, created_at, modified_at) VALUES (?1, ?2, 'Old', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
                    params!["title: Old post\n", body],
                )
                .unwrap();
        }
        let (library, fresh) = Library::open(&path).unwrap();
        assert!(!fresh);
        (dir, library)
    }

    #[test]
    fn saves_keep_the_minutes_of_every_profile() {
        let dir = tempfile::tempdir().unwrap();
        let (mut library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
        let id = library.create_post("---\ntitle: Minutes\n---\nShort.\n", Status::Draft).unwrap();
        // 600 prose words and 60 lines of code: the profiles disagree (code counts for Galley
        // only, Zola leaves code out, Hugo and Medium count its words).
        let body = format!("{}\n\n```go\n{}```\n", "word ".repeat(600), "x := compute(a, b, c, d)\n".repeat(60));
        let summary = library.save_body(id, &body).unwrap();
        for profile in stats::Profile::ALL {
            let expected = stats::stats_with(&body, profile).reading_minutes as i64;
            assert_eq!(summary.minutes_by_profile[profile.name()], expected, "{}", profile.name());
        }
        let distinct: std::collections::BTreeSet<_> = summary.minutes_by_profile.values().collect();
        assert!(distinct.len() > 1, "the profiles should differ here: {:?}", summary.minutes_by_profile);
    }

    #[test]
    fn older_libraries_gain_minutes_under_every_profile() {
        for version in [1, 5] {
            let (_dir, library) = upgraded_from(version);
            let post = library.list(None).unwrap().remove(0);
            let expected = stats::stats(&library.post(post.id).unwrap().body);
            let expected: BTreeMap<String, i64> =
                expected.minutes_by_profile.iter().map(|(name, minutes)| (name.to_string(), *minutes as i64)).collect();
            assert_eq!(post.minutes_by_profile, expected, "upgraded from v{version}");
            assert_eq!(post.minutes_by_profile.len(), 4);
        }
    }

    #[test]
    fn dates_normalize() {
        let day = |text: &str| crate::dates::parse_date(text).map(|d| d.day);
        let key = |text: &str| crate::dates::parse_date(text).map(|d| d.sort_key);
        assert_eq!(day("2024-05-01"), Some("2024-05-01".into()));
        assert_eq!(key("2024-05-01"), Some("2024-05-01T00:00:00".into()));
        assert_eq!(day("2024-05-01T23:30:00-07:00"), Some("2024-05-01".into()));
        assert_eq!(key("2024-05-01T23:30:00-07:00"), Some("2024-05-02T06:30:00".into()));
        assert_eq!(day("2024-05-01T10:00:00Z"), Some("2024-05-01".into()));
        assert_eq!(day("2024-05-01T10:00:00.123+02:00"), Some("2024-05-01".into()));
        assert_eq!(day("2024-05-01 10:00:00 +0200"), Some("2024-05-01".into()));
        assert_eq!(day("2024-05-01 10:00:00"), Some("2024-05-01".into()));
        assert_eq!(day("2024-05-01T10:00"), Some("2024-05-01".into()));
        assert_eq!(day("'2024-05-01'"), Some("2024-05-01".into()));
        assert_eq!(day("Wed, 01 May 2024 10:00:00 +0000"), Some("2024-05-01".into()));
        assert_eq!(day("2024-02-30"), None);
        assert_eq!(day("yesterday"), None);
        assert_eq!(day(""), None);
    }

    #[test]
    fn upgrade_from_v2_fills_derived_columns_and_search() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut connection = Connection::open(&path).unwrap();
            let old = Migrations::new(vec![M::up(include_str!("library/001_initial.sql")), M::up(include_str!("library/002_site.sql"))]);
            old.to_latest(&mut connection).unwrap();
            connection
                .execute(
                    "INSERT INTO posts (id, front_matter, body, title, date, created_at, modified_at) \
                     VALUES (1, ?1, ?2, 'Old post', '2023-04-05T10:00:00+02:00', 'x', 'x')",
                    params![
                        "---\ntitle: Old post\ndate: 2023-04-05T10:00:00+02:00\ntags: [go, gc]\n---\n",
                        "First paragraph of an old post.\n"
                    ],
                )
                .unwrap();
            connection.execute("INSERT INTO tags (post_id, tag, position) VALUES (1, 'go', 0), (1, 'gc', 1)", []).unwrap();
            connection
                .execute(
                    "INSERT INTO revisions (post_id, reason, started_at, created_at, front_matter, body) \
                     VALUES (1, 'created', 'x', 'x', '', 'three words here')",
                    [],
                )
                .unwrap();
        }
        let (library, fresh) = Library::open(&path).unwrap();
        assert!(!fresh);
        let post = library.summary(1).unwrap();
        assert_eq!(post.day, "2023-04-05");
        assert_eq!(post.tags, vec!["go", "gc"]);
        assert_eq!(post.excerpt, "First paragraph of an old post.");
        assert_eq!(library.search("paragraph").unwrap().len(), 1);
        assert_eq!(library.revisions(1).unwrap()[0].words, 3);
        assert_eq!(library.integrity_check().unwrap(), "ok");
    }
}
