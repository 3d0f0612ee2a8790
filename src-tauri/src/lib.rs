//! The Galley desktop app: a thin Tauri 2 shell. Builds the window (blocking every navigation
//! away from the app), registers the commands and tells the page when the library changes.
pub mod commands;
pub mod error;
pub mod history;
pub mod preview;
pub mod preview_protocol;
pub mod site;
pub mod site_sync;
pub mod state;

use std::time::Duration;

use tauri::{Emitter, Manager, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

/// Registers Galley's commands on a builder (shared by the app and the command tests).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    preview_protocol::register(builder).invoke_handler(tauri::generate_handler![
        commands::open_post,
        commands::create_post,
        commands::save_body,
        commands::set_field,
        commands::set_front_matter,
        commands::set_status,
        commands::render_preview,
        commands::render_preview_changes,
        commands::preview_css,
        commands::library_info,
        commands::open_external,
        site::site_info,
        site::choose_site_folder,
        site::import_site_plan,
        site::import_site,
        site::export_site_plan,
        site::export_site,
        site::choose_preview_css,
        site::preview_site_css,
        site_sync::sync_site,
        site_sync::resolve_site_conflict,
        history::list_page,
        history::list_tags,
        history::index_entries,
        history::list_revisions,
        history::revision_diff,
        history::restore_revision,
        history::trash_post,
        history::list_trash,
        history::restore_post,
        history::empty_trash,
    ])
}

/// True for the only pages the window may load: the app itself and the preview's blank frame.
/// Everything else (links in the preview, anchors, redirects) is blocked and handed to the page.
pub fn is_app_navigation(url: &Url) -> bool {
    if url.query().is_some() || url.fragment().is_some() {
        return false;
    }
    let app_origin = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => return matches!(url.path(), "blank" | "srcdoc"),
        _ => false,
    };
    app_origin && matches!(url.path(), "" | "/" | "/index.html")
}

fn create_main_window<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let handle = app.handle().clone();
    WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("Galley")
        .inner_size(1440.0, 900.0)
        .min_inner_size(820.0, 520.0)
        .on_navigation(move |url| {
            let allowed = is_app_navigation(url);
            if !allowed {
                let _ = handle.emit_to("main", "preview-link", url.as_str());
            }
            allowed
        })
        .build()?;
    Ok(())
}

/// Emits `library-changed` when another process (the CLI) commits to the library. The starting
/// version is read before the page can load its first list, so no change falls in between.
fn watch_library<R: Runtime>(handle: tauri::AppHandle<R>) {
    let read_version = |handle: &tauri::AppHandle<R>| {
        let state = handle.state::<state::AppState>();
        let version = state.library().ok()?.data_version().ok();
        version
    };
    let mut last = read_version(&handle);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        let version = read_version(&handle);
        if version.is_some() && version != last {
            if last.is_some() {
                let _ = handle.emit_to("main", "library-changed", ());
            }
            last = version;
        }
    });
}

/// Starts the app on the library named by the command line, `$GALLEY_LIBRARY` or the default.
pub fn run() {
    let path = match state::library_path_from_args(std::env::args().skip(1)) {
        Ok(path) => path,
        Err(error) => {
            eprintln!("galley: {error}");
            std::process::exit(1);
        }
    };
    let samples = state::wants_samples(std::env::args().skip(1), &path);
    let (app_state, notice) = match state::AppState::start(&path, samples) {
        Ok(started) => started,
        Err(error) => {
            eprintln!("galley: cannot open the library: {error}");
            std::process::exit(1);
        }
    };
    if let Some(notice) = &notice {
        eprintln!("galley: {notice}");
    }
    // WebKitGTK's accelerated compositing made keystroke-to-painted-preview 2-5x slower at p50 in
    // `make bench-app` (BENCHMARKS.md, "In-app latency"); a user's own setting still wins. Set
    // before any thread starts (set_var is not thread-safe).
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    std::thread::spawn(galley::render::highlight::warm_up);
    let result = builder(tauri::Builder::default())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(app_state)
        .setup(move |app| {
            create_main_window(app)?;
            watch_library(app.handle().clone());
            site_sync::watch_linked_site(app.handle());
            let handle = app.handle().clone();
            state::keep_backing_up(path, move |message| {
                eprintln!("galley: {message}");
                let _ = handle.emit_to("main", "app-error", message);
            });
            if let Some(notice) = notice {
                // A native message box: it is there when the window appears, whatever the page
                // is doing, and the window stays usable behind it.
                use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
                app.dialog().message(notice).title("Galley opened a backup").kind(MessageDialogKind::Warning).show(|_| {});
            }
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("galley: the app failed: {error}");
        std::process::exit(1);
    }
}
