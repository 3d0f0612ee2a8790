//! The TypeScript declarations of every type the page exchanges with the app, generated from the
//! Rust types (ts-rs) into `ui/src/ipc-types.ts`; `tests/ipc_types.rs` checks the file is current.
use ts_rs::{Config, TS};

/// Appends `export type …` for each type, in order.
macro_rules! declare {
    ($out:ident, $config:ident, $($ty:ty),+ $(,)?) => {
        $( $out.push_str(&format!("export {}\n\n", <$ty as TS>::decl(&$config))); )+
    };
}

/// The whole generated file: a header, then one declaration per type. Integers are `number` (ids
/// and counts stay far below 2^53).
pub fn typescript() -> String {
    let config = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by `make ipc-types` (src-tauri/src/ipc_types.rs); do not edit.\n\
         // The test `ipc_types` fails when this file and the Rust types disagree.\n\n",
    );
    declare!(
        out,
        config,
        galley::library::Status,
        galley::library::PostSummary,
        galley::library::Post,
        galley::stats::Stats,
        galley::render::RenderedBlock,
        galley::render::RenderOutput,
        galley::preview_link::PreviewLink,
        galley::site::Skipped,
        galley::site::Layout,
        galley::front_matter::FrontMatterError,
        galley::assets::AssetKind,
        galley::import::ImportAction,
        galley::import::AssetItem,
        galley::import::ImportedAsset,
        galley::import::ImportItem,
        galley::import::ImportPlan,
        galley::import::ImportedFile,
        galley::import::ImportWarning,
        galley::import::ImportReport,
        galley::export::Preset,
        galley::export::ExportAction,
        galley::site::config::Generator,
        galley::site::config::DialectSource,
        galley::render::Flavor,
        galley::render::HeadingIds,
        galley::render::Autolinks,
        galley::render::Dialect,
        crate::commands::dialect::DialectInfo,
        galley::export_protect::Protection,
        galley::export_changes::PostChange,
        galley::export_assets::AssetExportItem,
        galley::export::ExportItem,
        galley::export::ExportError,
        galley::export::ExportPlan,
        galley::export::Refused,
        galley::export::ExportReport,
        galley::library::Sort,
        galley::library::ListQuery,
        galley::library::IndexEntry,
        galley::library::TagCount,
        galley::library::RevisionSummary,
        galley::diff::DiffKind,
        galley::diff::DiffLine,
        galley::diff::DiffHunk,
        galley::library::RevisionDiff,
        galley::sync::SyncedFile,
        galley::sync::MovedFile,
        galley::sync::Conflict,
        galley::sync::SyncReport,
        galley::sync::Resolution,
        galley::sync::Resolved,
        crate::error::ErrorKind,
        crate::error::CommandError,
        crate::preview::HighlightedBlock,
        crate::preview::StatsUpdate,
        crate::preview::TextChange,
        crate::commands::library::ListPage,
        crate::commands::library::LibraryInfo,
        crate::commands::site::SiteInfo,
        crate::commands::stylesheet::SiteCss,
        crate::commands::images::ImageSettings,
        crate::commands::images::DroppedImages,
        crate::open_file::OpenRequest,
        crate::commands::desktop::PaneLayout,
    );
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
