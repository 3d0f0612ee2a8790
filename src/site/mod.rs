//! The site layer: everything about a site folder. Its root and layout ([`layout`]), what its own
//! configuration says ([`config`]), which of its files are posts ([`policy`]), and the one safe
//! way to read, walk and write it ([`fs`]). Import, export, sync and the watcher go through here
//! and never through each other.
pub mod config;
pub mod fs;
pub mod layout;
pub mod policy;

pub use fs::*;
pub use layout::{planned_root, root, Layout};
pub use policy::{is_markdown, is_post_path, is_temporary, is_watched_file, IGNORED_TOP_DIRS};
