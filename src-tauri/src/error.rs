//! The error every command returns: serializable, with a `kind` the UI can switch on and a
//! message written for the writer.
use serde::Serialize;

/// What kind of failure a command had, as the page receives it (`"not_found"`, `"resync"`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No post or revision with that id.
    NotFound,
    /// Bad input from the page, or a file that is not a post.
    Invalid,
    /// The library file failed (SQLite, a migration, a damaged file).
    Library,
    /// Reading, writing or watching a file failed.
    Io,
    /// A file in the site folder changed outside Galley.
    Conflict,
    /// Nothing was saved for lack of space or of permission to write; retrying once the cause is
    /// gone succeeds (the page keeps the text).
    Storage,
    /// The preview does not hold the text a change applies to: the page sends the whole text.
    Resync,
    /// A bug or an earlier failure (a lock poisoned by a panic).
    Internal,
}

/// A command failure as the frontend receives it.
#[derive(Debug, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Machine-readable class.
    pub kind: ErrorKind,
    /// What went wrong, in words.
    pub message: String,
}

impl From<galley::Error> for CommandError {
    fn from(error: galley::Error) -> Self {
        use galley::Error;
        let kind = match &error {
            Error::NoSuchPost(_) | Error::NoSuchRevision(_) => ErrorKind::NotFound,
            Error::Invalid(_) | Error::NotAPost { .. } | Error::FrontMatter { .. } => ErrorKind::Invalid,
            Error::BadAssetName { .. } | Error::AssetTooLarge { .. } | Error::NotAnImage { .. } => ErrorKind::Invalid,
            Error::Library { .. } | Error::Migration { .. } | Error::Damaged { .. } => ErrorKind::Library,
            Error::Io { .. } | Error::Watch { .. } => ErrorKind::Io,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::NotSaved { .. } => ErrorKind::Storage,
        };
        CommandError::new(kind, error.to_string())
    }
}

impl CommandError {
    /// A failure of this kind, said in words.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CommandError { kind, message: message.into() }
    }

    /// An error caused by bad input from the page.
    pub fn invalid(message: impl Into<String>) -> Self {
        CommandError::new(ErrorKind::Invalid, message)
    }

    /// A lock was poisoned by a panic elsewhere.
    pub fn poisoned() -> Self {
        CommandError::new(ErrorKind::Internal, "internal state is unavailable after an earlier failure; restart Galley")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page switches on these exact strings (`resync` above all).
    #[test]
    fn kinds_reach_the_page_as_the_same_strings() {
        let kinds = [
            (ErrorKind::NotFound, "not_found"),
            (ErrorKind::Invalid, "invalid"),
            (ErrorKind::Library, "library"),
            (ErrorKind::Io, "io"),
            (ErrorKind::Conflict, "conflict"),
            (ErrorKind::Storage, "storage"),
            (ErrorKind::Resync, "resync"),
            (ErrorKind::Internal, "internal"),
        ];
        for (kind, name) in kinds {
            let json = serde_json::to_value(CommandError::new(kind, "words")).unwrap();
            assert_eq!(json, serde_json::json!({ "kind": name, "message": "words" }));
        }
    }

    #[test]
    fn core_errors_keep_their_words_and_get_a_kind() {
        let path = std::path::PathBuf::from("/blog/library.sqlite3");
        let cases = [
            (galley::Error::NoSuchPost(7), ErrorKind::NotFound),
            (galley::Error::Invalid("unknown status 'gone'".into()), ErrorKind::Invalid),
            (galley::Error::Damaged { path: path.clone(), detail: "page 3".into() }, ErrorKind::Library),
            (galley::Error::Watch { path: path.clone(), message: "too many folders".into() }, ErrorKind::Io),
            (galley::Error::NotSaved { what: "The import".into(), path, cause: "disk full".into() }, ErrorKind::Storage),
        ];
        for (error, kind) in cases {
            let message = error.to_string();
            let command = CommandError::from(error);
            assert_eq!((command.kind, command.message), (kind, message));
        }
    }
}
