//! Galley's core: rendering, statistics, front matter and the SQLite draft library.
//! Pure logic with IO only at the edges; no dependency on tauri.
pub mod error;
pub mod export;
pub mod front_matter;
pub mod import;
pub mod slug;
pub mod library;
pub mod non_posts;
pub mod render;
pub mod samples;
pub mod stats;
pub mod watch; pub mod sync;

pub use error::{Error, Result};
