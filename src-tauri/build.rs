//! Builds the Tauri context from the repository-root tauri.conf.json and declares the app's
//! commands, so each must be granted explicitly in capabilities/ (nothing is allowed by default).
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(GALLEY_COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(manifest))
        .expect("tauri build step failed");
}

/// Every command the frontend may call; keep in sync with `commands/` (the handler list in `lib.rs`)
/// and capabilities/main.json.
const GALLEY_COMMANDS: &[&str] = &[
    "open_post",
    "create_post",
    "save_body",
    "set_field",
    "set_front_matter",
    "set_status",
    "render_preview",
    "render_preview_changes",
    "preview_css",
    "library_info",
    "open_external",
    "site_info",
    "choose_site_folder",
    "import_site_plan",
    "import_site",
    "export_site_plan",
    "export_site",
    "choose_preview_css",
    "preview_site_css",
    "sync_site",
    "resolve_site_conflict",
    "list_page",
    "list_tags",
    "index_entries",
    "list_revisions",
    "revision_diff",
    "restore_revision",
    "trash_post",
    "list_trash",
    "restore_post",
    "empty_trash",
    "preview_dialect",
    "set_preview_dialect",
    "attach_image",
    "insert_image_dialog",
    "image_settings",
    "set_load_remote_images",
    "take_open_requests",
    "pane_layout",
    "set_pane_layout",
];
