//! The crate's one error type: every failure says which file or which post it is about.
use std::path::PathBuf;

/// Everything that can go wrong in the Galley core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {}", path.display(), describe_io(source))]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The SQLite library failed. Said in words with what to do ([`crate::library::describe_sqlite`]); the
    /// SQLite error stays reachable as the source, and printers of error chains stop here.
    #[error("library {}: {}", path.display(), crate::library::describe_sqlite(source))]
    Library {
        /// The library file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A library file fails SQLite's integrity check (or cannot be read as a database).
    #[error("{}: the library file is damaged ({detail}); restore a backup with galley restore FILE", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite's check reported.
        detail: String,
    },
    /// The library schema could not be brought up to date.
    #[error("library {}: migration failed: {message}", path.display())]
    Migration {
        /// The library file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// No post with this id exists.
    #[error("no post with id {0}")]
    NoSuchPost(i64),
    /// No revision with this id exists (or its post was deleted for good).
    #[error("no revision with id {0}")]
    NoSuchRevision(i64),
    /// A file is not something Galley can treat as a Markdown post.
    #[error("{path}: {reason}")]
    NotAPost {
        /// The file.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// Input given by the user is invalid.
    #[error("{0}")]
    Invalid(String),
    /// A post's front matter is malformed (the post itself is kept with its raw text).
    #[error("{}: front matter line {line}, column {column}: {message}", path.display())]
    FrontMatter {
        /// The file (or a description of the post).
        path: PathBuf,
        /// Line in the file, 1-based (the opening delimiter is line 1).
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A file in a site folder changed outside Galley since Galley last wrote or read it.
    #[error("{}: {reason}", path.display())]
    Conflict {
        /// The file.
        path: PathBuf,
        /// Why Galley refuses to overwrite it.
        reason: String,
    },
    /// Watching a site folder for changes failed.
    #[error("{}: cannot watch for changes: {message}", path.display())]
    Watch {
        /// The folder.
        path: PathBuf,
        /// What the file-system watcher said.
        message: String,
    },
    /// A file of a post (an image, a bundle resource) has a name Galley refuses to store or write.
    #[error("'{}': {reason}; rename the file and try again", name.escape_debug())]
    BadAssetName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file of a post is larger than Galley keeps in its library.
    #[error("{name}: the file is {}, more than the {} a post's file may have; make it smaller (resize or compress the image) and try again", crate::site::size_words(*size), crate::site::size_words(*limit))]
    AssetTooLarge {
        /// The file's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file offered as an image (pasted, dropped, inserted) is not one the preview can show.
    #[error("{name}: not an image Galley can show (PNG, JPEG, GIF, WebP, AVIF or SVG, recognised by its content); save it in one of these formats and try again")]
    NotAnImage {
        /// The file's name.
        name: String,
    },
    /// Writing to the library failed (a full disk, a read-only file): the operation's transaction
    /// was rolled back, nothing of it was saved.
    #[error("{what} was not saved: the library {} could not be written ({cause}). Nothing changed; free some disk space or make the file writable, then try again", path.display())]
    NotSaved {
        /// What was not saved ("the import of 12 files").
        what: String,
        /// The library file.
        path: PathBuf,
        /// What SQLite said.
        cause: String,
    },
}

/// Result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an IO error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// An operating-system failure in words (the same as [`std::io::Error`] says, with what to do
/// for a full disk, a read-only file system or a missing permission).
pub fn describe_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match (storage_problem_io(error), error.kind()) {
        (Some(problem), ErrorKind::StorageFull) => format!("{problem}; free some space and try again"),
        (Some(problem), _) => format!("{problem}; check the permissions of the file and its folder"),
        (None, _) => error.to_string(),
    }
}

fn storage_problem_io(error: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::StorageFull => Some("the disk is full"),
        ErrorKind::ReadOnlyFilesystem => Some("the file system is read-only"),
        ErrorKind::PermissionDenied => Some("permission denied"),
        _ => None,
    }
}

impl Error {
    /// For a lack of space or of permission to write (disk full, read-only file or file system,
    /// an IO failure of the disk): the problem in a few words, e.g. "the disk is full". Nothing
    /// was changed and retrying once the cause is gone succeeds.
    pub fn storage_problem(&self) -> Option<&'static str> {
        match self {
            Error::Library { source, .. } => crate::library::storage_problem(source),
            Error::Io { source, .. } => storage_problem_io(source),
            _ => None,
        }
    }
}
