//! Copies of the library: made with SQLite's online backup API into `<library>.backups/` (files
//! 0600, the last few kept), restored on request (a damaged copy is refused, the library it
//! replaces is kept), and used at start when the library fails its integrity check.
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::Utc;
use rusqlite::{Connection, OpenFlags};

use super::{migrations, Library};
use crate::error::{Error, Result};

/// Routine backups kept next to the library (older ones are deleted after each new one).
pub const KEEP_BACKUPS: usize = 5;

/// Prefix of routine backups; `replaced-` copies (kept by a restore) and `damaged-` files (set
/// aside at start) are never deleted by Galley.
const BACKUP_PREFIX: &str = "backup-";

/// The folder holding the copies of the library at `library`: `<library>.backups` beside it.
pub fn backups_dir(library: &Path) -> PathBuf {
    let mut name = library.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "library".into());
    name.push(".backups");
    library.with_file_name(name)
}

/// Creates `path` readable and writable by its owner only (0600), and its missing folders 0700.
/// Does nothing when the file exists; refuses a folder with words saying what to give instead.
pub fn create_private_file(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::Invalid(format!(
            "library {}: this is a folder, not a library file; name a file in it, e.g. {}",
            path.display(),
            path.join("library.sqlite3").display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(Error::io(path, error)),
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(dir, e))
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::Library { path: path.to_path_buf(), source }
}

fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::Invalid(format!("{}: no such library file", path.display())));
    }
    let connection =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(sql_error(path))?;
    connection.busy_timeout(Duration::from_secs(5)).map_err(sql_error(path))?;
    Ok(connection)
}

/// Checks that `path` is a sound Galley library: SQLite's integrity check passes, it has posts,
/// and no newer Galley wrote it. The error says what is wrong.
pub fn check_file(path: &Path) -> Result<()> {
    let damaged = |detail: String| Error::Damaged { path: path.to_path_buf(), detail };
    let connection = open_read_only(path)?;
    let verdict: Vec<String> = connection
        .prepare("PRAGMA integrity_check(20)")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(|e| damaged(e.to_string()))?;
    if verdict.first().map(String::as_str) != Some("ok") {
        return Err(damaged(verdict.join("; ")));
    }
    let (version, has_posts): (i64, bool) = connection
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'posts')",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(|e| damaged(e.to_string()))?;
    if !has_posts || version < 1 {
        return Err(Error::Invalid(format!("{}: not a Galley library (it has no posts table)", path.display())));
    }
    let known = latest_schema_version();
    if version > known {
        return Err(Error::Invalid(format!(
            "{}: written by a newer Galley (schema {version}, this one knows {known}); update Galley first",
            path.display()
        )));
    }
    Ok(())
}

/// The schema version this Galley writes (the number of its migrations).
fn latest_schema_version() -> i64 {
    static LATEST: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *LATEST.get_or_init(|| {
        let mut memory = match Connection::open_in_memory() {
            Ok(memory) => memory,
            Err(_) => return i64::MAX,
        };
        if migrations().to_latest(&mut memory).is_err() {
            return i64::MAX;
        }
        memory.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap_or(i64::MAX)
    })
}

/// Copies the library at `from` into the new file `to` (0600) with SQLite's online backup API (a
/// consistent snapshot while other connections write), then checks the copy. A copy that fails
/// the check is deleted and the error says the library is damaged.
fn copy_library(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(Error::Invalid(format!("{}: already exists; choose a new file name", to.display())));
    }
    let source = open_read_only(from)?;
    create_private_file(to)?;
    let copied = (|| {
        let mut target = Connection::open(to).map_err(sql_error(to))?;
        rusqlite::backup::Backup::new(&source, &mut target).and_then(|backup| backup.step(-1)).map_err(sql_error(from))?;
        // One self-contained file (no -wal/-shm beside it when it is read later).
        target.pragma_update(None, "journal_mode", "DELETE").map_err(sql_error(to))?;
        drop(target);
        check_file(to)
    })();
    if let Err(error) = copied {
        remove_library_files(to);
        return Err(match error {
            Error::Damaged { detail, .. } => Error::Damaged { path: from.to_path_buf(), detail },
            other => other,
        });
    }
    Ok(())
}

fn remove_library_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// A new file name in the backups folder: `<prefix><UTC time>.sqlite3` (with `-2`, `-3`… when a
/// copy was made within the same second).
fn new_copy_path(library: &Path, prefix: &str) -> Result<PathBuf> {
    let dir = backups_dir(library);
    create_private_dir(&dir)?;
    let stamp = format!("{prefix}{}", Utc::now().format("%Y%m%dT%H%M%SZ"));
    // One more than the highest counter of this second (not the first free one: a pruned name
    // must not come back, or the newest copy would sort as the oldest).
    let highest = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| copy_counter(&name, &stamp))
        .max();
    Ok(match highest {
        None => dir.join(format!("{stamp}.sqlite3")),
        Some(n) => dir.join(format!("{stamp}-{}.sqlite3", n + 1)),
    })
}

/// The counter of a copy named `<stamp>.sqlite3` (1) or `<stamp>-N.sqlite3` (N).
fn copy_counter(name: &str, stamp: &str) -> Option<u32> {
    let rest = name.strip_prefix(stamp)?.strip_suffix(".sqlite3")?;
    match rest.strip_prefix('-') {
        None if rest.is_empty() => Some(1),
        Some(n) => n.parse().ok(),
        None => None,
    }
}

/// The routine backups of the library at `library`, newest first.
pub fn list_backups(library: &Path) -> Result<Vec<PathBuf>> {
    let dir = backups_dir(library);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::io(&dir, error)),
    };
    let mut backups: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(BACKUP_PREFIX) && n.ends_with(".sqlite3")))
        .collect();
    // The names hold the time (and a counter within a second), so name order is age order.
    backups.sort_by_key(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let stem = name.trim_end_matches(".sqlite3");
        let (time, counter) = match stem.rsplit_once('-') {
            Some((time, n)) if n.chars().all(|c| c.is_ascii_digit()) && time.len() > BACKUP_PREFIX.len() => {
                (time.to_string(), n.parse::<u32>().unwrap_or(0))
            }
            _ => (stem.to_string(), 1),
        };
        std::cmp::Reverse((time, counter))
    });
    Ok(backups)
}

/// Copies the library into its backups folder and deletes routine backups beyond
/// [`KEEP_BACKUPS`]. Returns the new copy's path.
pub fn backup(library: &Path) -> Result<PathBuf> {
    let to = new_copy_path(library, BACKUP_PREFIX)?;
    copy_library(library, &to)?;
    for old in list_backups(library)?.into_iter().skip(KEEP_BACKUPS) {
        remove_library_files(&old);
    }
    Ok(to)
}

/// Copies the library into `to`, a new file anywhere (`galley backup FILE`).
pub fn backup_to(library: &Path, to: &Path) -> Result<()> {
    copy_library(library, to)
}

/// What changes when the library is written: posts, revisions, the trash, site records, post files,
/// settings.
fn fingerprint(path: &Path) -> Result<String> {
    open_read_only(path)?
        .query_row(
            "SELECT (SELECT count(*) || ' ' || coalesce(max(modified_at), '') || ' ' || coalesce(max(deleted_at), '') FROM posts) \
             || ' ' || (SELECT count(*) || ' ' || coalesce(max(id), 0) FROM revisions) \
             || ' ' || (SELECT count(*) || ' ' || coalesce(max(synced_at), '') FROM site_files) \
             || ' ' || (SELECT count(*) || ' ' || coalesce(max(added_at), '') FROM post_assets) \
             || ' ' || (SELECT coalesce(group_concat(key || '=' || value, char(10)), '') FROM settings)",
            [],
            |row| row.get(0),
        )
        .map_err(sql_error(path))
}

/// Backs the library up unless the newest backup already holds what it holds now. Returns the
/// new copy, if one was made.
pub fn backup_if_changed(library: &Path) -> Result<Option<PathBuf>> {
    if let Some(newest) = list_backups(library)?.first() {
        if fingerprint(newest).ok() == Some(fingerprint(library)?) {
            return Ok(None);
        }
    }
    backup(library).map(Some)
}

/// True when the newest backup is older than `every` (or there is none).
pub fn backup_due(library: &Path, every: Duration) -> bool {
    let newest = list_backups(library).ok().and_then(|backups| backups.into_iter().next());
    let age = newest
        .and_then(|path| path.metadata().ok())
        .and_then(|meta| meta.modified().ok())
        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
    age.is_none_or(|age| age >= every)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the library that was replaced is kept (none when there was no library).
    pub kept: Option<PathBuf>,
}

/// Replaces the library at `library` with the copy `from`, after checking the copy (a damaged
/// one is refused). The replaced library is kept in the backups folder: a sound one is copied
/// there and overwritten in place with the backup API (an app that has it open sees the change),
/// a damaged one is moved there whole.
pub fn restore(library: &Path, from: &Path) -> Result<Restored> {
    let restored = replace_with(library, from)?;
    // A copy made by an older Galley gets this one's schema now, not at the next start.
    Library::open(library)?;
    Ok(restored)
}

fn replace_with(library: &Path, from: &Path) -> Result<Restored> {
    check_file(from)?;
    if let (Ok(a), Ok(b)) = (library.canonicalize(), from.canonicalize()) {
        if a == b {
            return Err(Error::Invalid(format!("{}: this is the library itself", from.display())));
        }
    }
    if !library.exists() {
        copy_library(from, library)?;
        return Ok(Restored { kept: None });
    }
    match check_file(library) {
        Ok(()) => {
            let kept = new_copy_path(library, "replaced-")?;
            copy_library(library, &kept)?;
            let source = open_read_only(from)?;
            let mut target = Connection::open(library).map_err(sql_error(library))?;
            target.busy_timeout(Duration::from_secs(5)).map_err(sql_error(library))?;
            rusqlite::backup::Backup::new(&source, &mut target).and_then(|backup| backup.step(-1)).map_err(sql_error(library))?;
            Ok(Restored { kept: Some(kept) })
        }
        Err(_) => {
            let kept = set_aside(library)?;
            put_in_place(from, library)?;
            Ok(Restored { kept: Some(kept) })
        }
    }
}

/// Moves a damaged library (with its `-wal`) into the backups folder as `damaged-<time>.sqlite3`.
fn set_aside(library: &Path) -> Result<PathBuf> {
    let to = new_copy_path(library, "damaged-")?;
    for suffix in ["-wal", ""] {
        let mut from = library.as_os_str().to_os_string();
        from.push(suffix);
        let mut target = to.as_os_str().to_os_string();
        target.push(suffix);
        let from = PathBuf::from(from);
        if from.exists() {
            std::fs::rename(&from, PathBuf::from(target)).map_err(|e| Error::io(&from, e))?;
        }
    }
    remove_library_files(library);
    Ok(to)
}

/// Copies `from` to a temporary file beside `library`, then renames it into place.
fn put_in_place(from: &Path, library: &Path) -> Result<()> {
    let mut temporary = library.as_os_str().to_os_string();
    temporary.push(".restoring");
    let temporary = PathBuf::from(temporary);
    remove_library_files(&temporary);
    copy_library(from, &temporary)?;
    std::fs::rename(&temporary, library).map_err(|e| Error::io(library, e))
}

/// A library opened at start, and what the writer must be told about it.
pub struct Opened {
    /// The library.
    pub library: Library,
    /// Created just now.
    pub fresh: bool,
    /// Set when the library failed its integrity check: what Galley did about it, in words.
    pub notice: Option<String>,
}

/// Opens the library at `path` for the app: when an existing library fails SQLite's integrity
/// check, it is moved into the backups folder and the newest good backup is opened in its place
/// (with a notice saying so); with no good backup, the damaged library is opened as it is, if
/// SQLite still can, with a notice saying what to do.
pub fn open_checked(path: &Path) -> Result<Opened> {
    let exists = path.metadata().is_ok_and(|meta| meta.len() > 0);
    let detail = match exists.then(|| check_file(path)) {
        Some(Err(Error::Damaged { detail, .. })) => detail,
        _ => {
            let (library, fresh) = Library::open(path)?;
            return Ok(Opened { library, fresh, notice: None });
        }
    };
    let good = list_backups(path)?.into_iter().find(|backup| check_file(backup).is_ok());
    let Some(good) = good else {
        let (library, fresh) = Library::open(path)?;
        let notice = format!(
            "The library {} failed SQLite's integrity check ({detail}) and there is no good backup in {}. \
             Galley opened it as it is: export your posts or copy the file before writing more.",
            path.display(),
            backups_dir(path).display()
        );
        return Ok(Opened { library, fresh, notice: Some(notice) });
    };
    let damaged = set_aside(path)?;
    put_in_place(&good, path)?;
    let (library, fresh) = Library::open(path)?;
    let notice = format!(
        "The library {} failed SQLite's integrity check ({detail}). Galley moved it to {} and opened the \
         backup {} instead; changes made after that backup are only in the damaged file.",
        path.display(),
        damaged.display(),
        good.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    );
    Ok(Opened { library, fresh, notice: Some(notice) })
}
