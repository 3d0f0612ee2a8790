//! The error every command returns: serializable, with a `kind` the UI can switch on and a
//! message written for the writer.
use serde::Serialize;

/// A command failure as the frontend receives it.
#[derive(Debug, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Machine-readable class: `not_found`, `invalid`, `library`, `io`, `internal`.
    pub kind: &'static str,
    /// What went wrong, in words.
    pub message: String,
}

impl From<galley::Error> for CommandError {
    fn from(error: galley::Error) -> Self {
        let kind = match &error {
            galley::Error::NoSuchPost(_) | galley::Error::NoSuchRevision(_) => "not_found",
            galley::Error::Invalid(_) | galley::Error::NotAPost { .. } => "invalid",
            galley::Error::Library { .. } | galley::Error::Migration { .. } => "library",
            galley::Error::Io { .. } => "io",
            galley::Error::Conflict { .. } => "conflict",
            galley::Error::Watch { .. } => "io",
            galley::Error::FrontMatter { .. } => "invalid",
            #[allow(unreachable_patterns)]
            _ => "internal",
        };
        CommandError { kind, message: error.to_string() }
    }
}

impl CommandError {
    /// An error caused by bad input from the page.
    pub fn invalid(message: impl Into<String>) -> Self {
        CommandError { kind: "invalid", message: message.into() }
    }

    /// A lock was poisoned by a panic elsewhere.
    pub fn poisoned() -> Self {
        CommandError { kind: "internal", message: "internal state is unavailable after an earlier failure; restart Galley".into() }
    }
}
