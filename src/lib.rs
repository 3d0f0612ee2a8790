//! Galley's core: rendering, statistics, front matter and the SQLite draft library.
//! Pure logic with IO only at the edges; no dependency on tauri.
pub mod asset_links;
pub mod assets;
pub mod dates;
pub mod diff;
pub mod error;
pub mod export;
pub mod export_assets;
pub mod export_changes;
pub mod export_protect;
pub mod front_matter;
pub mod import;
pub mod library;
pub mod open_file;
pub mod preview_link;
pub mod render;
pub mod samples;
pub mod site;
pub mod slug;
pub mod stats;
pub mod stylesheet;
pub mod sync;
pub mod watch;

pub use error::{Error, Result};
/// The site's own configuration, at its old path ([`site::config`]).
pub use site::config as site_config;
