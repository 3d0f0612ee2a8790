//! The Galley desktop app: a thin Tauri 2 shell. Builds the window (blocking every navigation
//! away from the app), registers the commands and tells the page when the library changes.
//!
//! Layers: `commands/` (one module per feature) and `preview_protocol` call the services that
//! [`state::AppState`] holds (`preview`, `site_sync`, `stylesheet_watch`, the shared library in
//! `library_handle`); a service owns its state and hands clones of it to its workers, never
//! reaching back into `AppState`.
pub mod args;
pub mod asset_protocol;
pub mod commands;
pub mod error;
pub mod file_drop;
pub mod ipc_types;
pub mod library_handle;
pub mod menu;
pub mod open_file;
pub mod preview;
pub mod preview_protocol;
pub mod site_sync;
pub mod state;
pub mod stylesheet_watch;
pub mod window_state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::webview::PageLoadEvent;
use tauri::{Emitter, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

use crate::library_handle::LibraryHandle;

/// Registers Galley's commands on a builder (shared by the app and the command tests).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::{desktop, dialect, history, images, library, post, preview, site, stylesheet, sync};
    let builder = builder.manage(open_file::OpenRequests::default());
    asset_protocol::register(preview_protocol::register(builder)).invoke_handler(tauri::generate_handler![
        post::open_post,
        post::create_post,
        post::save_body,
        post::set_field,
        post::set_front_matter,
        post::set_status,
        preview::render_preview,
        preview::render_preview_changes,
        preview::preview_css,
        library::library_info,
        preview::open_external,
        site::site_info,
        site::choose_site_folder,
        site::import_site_plan,
        site::import_site,
        site::export_site_plan,
        site::export_site,
        stylesheet::choose_preview_css,
        stylesheet::preview_site_css,
        sync::sync_site,
        sync::resolve_site_conflict,
        library::list_page,
        library::list_tags,
        library::index_entries,
        history::list_revisions,
        history::revision_diff,
        history::restore_revision,
        library::trash_post,
        library::list_trash,
        library::restore_post,
        library::empty_trash,
        dialect::preview_dialect,
        dialect::set_preview_dialect,
        images::attach_image,
        images::insert_image_dialog,
        images::image_settings,
        images::set_load_remote_images,
        desktop::take_open_requests,
        desktop::pane_layout,
        desktop::set_pane_layout,
    ])
}

/// Whether the window may load `url`. The app's page loads once, when the window opens
/// (`page_loaded` is false until then); afterwards only the preview frame's blank document may
/// load. Every other navigation (a link clicked in the preview, even one to `/` that would load
/// the app itself inside the frame) is refused and handed to [`report_preview_link`].
pub fn may_navigate(url: &Url, page_loaded: bool) -> bool {
    galley::preview_link::is_app_page(url) && (url.scheme() == "about" || !page_loaded)
}

/// Tells the page what a blocked preview link means (`preview-link`): an anchor to scroll to, a
/// page to offer to open (site-relative links resolved against the site's base URL when its config
/// names one), or a link Galley cannot follow. Runs off the main thread (it reads the site config).
fn report_preview_link<R: Runtime>(app: &tauri::AppHandle<R>, library: &LibraryHandle, url: Url) {
    let (app, library) = (app.clone(), library.clone());
    tauri::async_runtime::spawn_blocking(move || {
        let site = library.lock().ok().and_then(|library| library.linked_site().ok().flatten());
        let base = site.and_then(|root| galley::site_config::read_site_config(&root).base_url);
        let link = galley::preview_link::classify(&url, base.as_deref());
        let _ = app.emit_to("main", "preview-link", link);
    });
}

fn create_main_window<R: Runtime>(app: &tauri::App<R>, library: LibraryHandle) -> tauri::Result<()> {
    let handle = app.handle().clone();
    let dropped = library.clone();
    let page_loaded = Arc::new(AtomicBool::new(false));
    let loaded = Arc::clone(&page_loaded);
    let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("Galley")
        .inner_size(1440.0, 900.0)
        .min_inner_size(820.0, 520.0)
        .on_navigation(move |url| {
            let allowed = may_navigate(url, page_loaded.load(Ordering::Acquire));
            if !allowed {
                report_preview_link(&handle, &library, url.clone());
            }
            allowed
        })
        .on_page_load(move |_, payload| {
            if matches!(payload.event(), PageLoadEvent::Finished) {
                loaded.store(true, Ordering::Release);
            }
        })
        .build()?;
    file_drop::listen(&window, dropped);
    window_state::save_when_settled(&window);
    Ok(())
}

/// Emits `library-changed` when another process (the CLI) commits to the library. The starting
/// version is read before the page can load its first list, so no change falls in between.
fn watch_library<R: Runtime>(handle: tauri::AppHandle<R>, library: LibraryHandle) {
    let read_version = move || library.lock().ok()?.data_version().ok();
    let mut last = read_version();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        let version = read_version();
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
    let args = args::AppArgs::from_env().unwrap_or_else(|error| fail(error));
    let path = args.library_path().unwrap_or_else(|error| fail(error));
    let samples = args.wants_samples(&path);
    let (app_state, notice) =
        state::AppState::start(&path, samples).unwrap_or_else(|error| fail(format!("cannot open the library: {error}")));
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
    let (library, site_sync) = (app_state.library_handle().clone(), app_state.site_sync.clone());
    let relaunched = library.clone();
    // The single-instance plugin first: a second launch on the same library hands its arguments to
    // this one and exits.
    let result = builder(tauri::Builder::default())
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(open_file::instance_id(&path))
                .callback(move |app, argv, cwd| open_file::second_launch(app, argv, cwd, relaunched.clone()))
                .build(),
        )
        .plugin(window_state::plugin())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(app_state)
        .menu(menu::build)
        .on_menu_event(|app, event| menu::handle(app, event.id().as_ref()))
        .setup(move |app| {
            create_main_window(app, library.clone())?;
            open_file::handle_args(app.handle(), args, library.clone());
            site_sync.watch_linked_site(app.handle(), library.clone());
            commands::images::listen_for_drops(app.handle());
            watch_library(app.handle().clone(), library);
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
        fail(format!("the app failed: {error}"));
    }
}

/// Ends the app with a failure, saying why on stderr.
fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("galley: {message}");
    std::process::exit(1);
}
