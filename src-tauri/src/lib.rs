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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::webview::PageLoadEvent;
use tauri::{Emitter, Manager, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

/// Registers Galley's commands on a builder (shared by the app and the command tests).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    preview_protocol::register(builder).manage(site::StylesheetWatch::default()).invoke_handler(tauri::generate_handler![
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

/// True for the app's own page (where the main window starts) and the preview frame's blank
/// document. Anything with a query or fragment is a link, never a page load.
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

/// Whether the window may load `url`. The app's page loads once, when the window opens
/// (`page_loaded` is false until then); afterwards only the preview frame's blank document may
/// load. Every other navigation (a link clicked in the preview, even one to `/` that would load
/// the app itself inside the frame) is refused and handed to [`report_preview_link`].
pub fn may_navigate(url: &Url, page_loaded: bool) -> bool {
    if url.scheme() == "about" {
        return is_app_navigation(url);
    }
    !page_loaded && is_app_navigation(url)
}

/// Tells the page what a blocked preview link means (`preview-link`): an anchor to scroll to, a
/// page to offer to open (site-relative links resolved against the site's base URL when its config
/// names one), or a link Galley cannot follow. Runs off the main thread (it reads the site config).
fn report_preview_link<R: Runtime>(app: &tauri::AppHandle<R>, url: Url) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let site = app.state::<state::AppState>().library().ok().and_then(|library| library.linked_site().ok().flatten());
        let base = site.and_then(|root| galley::site_config::read_site_config(&root).base_url);
        let link = galley::preview_link::classify(&url, base.as_deref());
        let _ = app.emit_to("main", "preview-link", link);
    });
}

fn create_main_window<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let handle = app.handle().clone();
    let page_loaded = Arc::new(AtomicBool::new(false));
    let loaded = Arc::clone(&page_loaded);
    WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("Galley")
        .inner_size(1440.0, 900.0)
        .min_inner_size(820.0, 520.0)
        .on_navigation(move |url| {
            let allowed = may_navigate(url, page_loaded.load(Ordering::Acquire));
            if !allowed {
                report_preview_link(&handle, url.clone());
            }
            allowed
        })
        .on_page_load(move |_, payload| {
            if matches!(payload.event(), PageLoadEvent::Finished) {
                loaded.store(true, Ordering::Release);
            }
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
