//! Images of the open post from the editor's side: attach pasted image data, insert images picked
//! in the system file dialog or dropped from the file manager (their own listener), name them, and
//! the "Load remote images" setting. Each stores through the core and answers the names to insert.
use std::path::{Path, PathBuf};

use galley::assets::{AssetKind, MAX_ASSET_BYTES};
use galley::library::Library;
use galley::render::ImageSources;
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::{Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CommandError, ErrorKind};
use crate::state::AppState;

/// Settings key of "Load remote images" ("off" when off; on by default).
pub const LOAD_REMOTE_IMAGES: &str = "load_remote_images";

/// Header of `attach_image` naming the post (the body is the image's bytes).
pub const POST_HEADER: &str = "x-galley-post";
/// Header of `attach_image` with the suggested file name, percent-encoded ("" for clipboard data).
pub const NAME_HEADER: &str = "x-galley-name";

/// The image settings the page shows.
#[derive(Serialize, ts_rs::TS)]
pub struct ImageSettings {
    pub load_remote: bool,
}

/// Whether remote images load in the preview (the library's setting).
pub fn load_remote(library: &Library) -> Result<bool, CommandError> {
    Ok(library.setting(LOAD_REMOTE_IMAGES)?.as_deref() != Some("off"))
}

/// Points the preview's image sources at post `id` (called when a post opens).
pub fn preview_post(state: &AppState, library: &Library, id: i64) -> Result<(), CommandError> {
    state.preview.set_image_sources(ImageSources::for_post(id, load_remote(library)?));
    Ok(())
}

/// The image settings.
#[tauri::command]
pub async fn image_settings(state: State<'_, AppState>) -> Result<ImageSettings, CommandError> {
    Ok(ImageSettings { load_remote: load_remote(&*state.library()?)? })
}

/// Turns "Load remote images" on or off; it applies to the next render (the page renders again).
#[tauri::command]
pub async fn set_load_remote_images(state: State<'_, AppState>, on: bool) -> Result<ImageSettings, CommandError> {
    state.library()?.set_setting(LOAD_REMOTE_IMAGES, if on { None } else { Some("off") })?;
    let mut sources = state.preview.image_sources();
    sources.load_remote = on;
    state.preview.set_image_sources(sources);
    Ok(ImageSettings { load_remote: on })
}

/// Stores image data pasted in the editor with post `x-galley-post` and answers the name to link
/// (`<post-slug>-<n>.<ext>`, or the suggested name made safe). The body is the raw bytes.
#[tauri::command]
pub async fn attach_image(state: State<'_, AppState>, request: Request<'_>) -> Result<String, CommandError> {
    let header = |name: &str| request.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or("");
    let post_id: i64 = header(POST_HEADER).parse().map_err(|_| CommandError::invalid("no post is open to attach the image to"))?;
    let suggested = percent_encoding::percent_decode_str(header(NAME_HEADER)).decode_utf8_lossy().into_owned();
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid("the image data did not arrive as bytes"));
    };
    store_image(&mut *state.library()?, post_id, &suggested, bytes)
}

/// Lets the writer pick image files in the system dialog and stores them with post `post_id`;
/// answers the names to link, in order (empty when the dialog was cancelled).
#[tauri::command]
pub async fn insert_image_dialog<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    post_id: i64,
) -> Result<Vec<String>, CommandError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Insert image")
        .add_filter("Images", &["png", "jpg", "jpeg", "gif", "webp", "avif", "svg"])
        .blocking_pick_files()
        .unwrap_or_default();
    let paths: Vec<PathBuf> = picked.into_iter().filter_map(|file| file.into_path().ok()).collect();
    store_files(&state, post_id, &paths)
}

/// Reads each file (regular files only, size-capped) and stores it with the post under its own
/// name, made safe. One unreadable or non-image file stops with its name and the reason.
pub fn store_files(state: &AppState, post_id: i64, paths: &[PathBuf]) -> Result<Vec<String>, CommandError> {
    let mut names = Vec::new();
    for path in paths {
        let shown = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = galley::site::fs::read_regular(path, MAX_ASSET_BYTES as u64)
            .map_err(|why| CommandError::invalid(format!("{shown} cannot be used: {why}")))?;
        names.push(store_image(&mut *state.library()?, post_id, &shown, &bytes)?);
    }
    Ok(names)
}

/// Stores one image with the post under a free, safe name and returns it.
pub fn store_image(library: &mut Library, post_id: i64, suggested: &str, bytes: &[u8]) -> Result<String, CommandError> {
    let shown = if suggested.is_empty() { "the pasted image" } else { suggested };
    if bytes.len() > MAX_ASSET_BYTES {
        return Err(CommandError::invalid(format!(
            "{shown} is {} MB; Galley keeps images up to {} MB with a post. Make it smaller and try again.",
            bytes.len() / (1024 * 1024),
            MAX_ASSET_BYTES / (1024 * 1024)
        )));
    }
    let kind = AssetKind::detect(bytes);
    let Some(extension) = extension(kind) else {
        return Err(CommandError::invalid(format!(
            "{shown} is not an image Galley can show (PNG, JPEG, GIF, WebP, AVIF or SVG); nothing was added."
        )));
    };
    let post = library.post(post_id)?;
    let stem = Path::new(suggested).file_stem().and_then(|stem| galley::slug::slugify(&stem.to_string_lossy()));
    let name = match stem {
        Some(stem) => library.unique_asset_name(post_id, &format!("{stem}.{extension}"))?,
        None => {
            let slug = galley::slug::slug_for(&[&post.summary.title], post_id);
            let taken: std::collections::HashSet<String> = library.assets(post_id)?.into_iter().map(|asset| asset.name).collect();
            (1..).map(|n| format!("{slug}-{n}.{extension}")).find(|name| !taken.contains(name)).unwrap_or_default()
        }
    };
    library.put_image(post_id, &name, bytes)?;
    Ok(name)
}

/// The extension a stored image gets, from its content; `None` for what is not an image.
fn extension(kind: AssetKind) -> Option<&'static str> {
    Some(match kind {
        AssetKind::Png => "png",
        AssetKind::Jpeg => "jpg",
        AssetKind::Gif => "gif",
        AssetKind::Webp => "webp",
        AssetKind::Avif => "avif",
        AssetKind::Svg => "svg",
        AssetKind::Other => return None,
    })
}

/// What the page gets when image files are dropped on the window: the names to link and where
/// (CSS pixels of the window), or why they could not be added.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct DroppedImages {
    pub names: Vec<String>,
    pub x: f64,
    pub y: f64,
    pub error: Option<String>,
}

/// True for a path whose extension names an image (other drops, such as Markdown files, are
/// another listener's).
fn looks_like_image(path: &Path) -> bool {
    let extension = path.extension().map(|extension| extension.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    matches!(extension.as_str(), "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg")
}

/// Listens for files dropped on the main window: image files are stored with the open post and
/// the page is told (`images-dropped`) which names to insert at the drop position.
pub fn listen_for_drops<R: Runtime>(app: &tauri::AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let (handle, sized) = (app.clone(), window.clone());
    window.on_window_event(move |event| {
        let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, position }) = event else {
            return;
        };
        let images: Vec<PathBuf> = paths.iter().filter(|path| looks_like_image(path)).cloned().collect();
        if images.is_empty() {
            return;
        }
        let scale = sized.scale_factor().unwrap_or(1.0);
        let (handle, x, y) = (handle.clone(), position.x / scale, position.y / scale);
        tauri::async_runtime::spawn_blocking(move || {
            let state = handle.state::<AppState>();
            let stored = match state.preview.image_sources().post_id {
                Some(post_id) => store_files(&state, post_id, &images),
                None => Err(CommandError::new(ErrorKind::Invalid, "open a post before dropping images on it")),
            };
            let dropped = match stored {
                Ok(names) => DroppedImages { names, x, y, error: None },
                Err(error) => DroppedImages { names: Vec::new(), x, y, error: Some(error.message) },
            };
            let _ = handle.emit_to("main", "images-dropped", dropped);
        });
    });
}
