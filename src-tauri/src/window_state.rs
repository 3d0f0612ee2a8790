//! The window's size, position and maximized state, remembered across starts
//! (tauri-plugin-window-state): restored when the window opens, and saved half a second after it
//! stops moving or resizing, so a crash or a killed process keeps it too (the plugin alone saves
//! only when the app exits normally).
use std::sync::mpsc;
use std::time::Duration;

use tauri::{Manager, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered: not the visibility or decorations, which the app sets itself.
pub fn flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The plugin, restoring [`flags`] when a window opens.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new().with_state_flags(flags()).build()
}

/// How long the window must stay still before its state is written.
const SETTLE: Duration = Duration::from_millis(500);

/// Saves the window's state once it has settled after a move or resize.
pub fn save_when_settled<R: Runtime>(window: &WebviewWindow<R>) {
    let (changed, changes) = mpsc::channel::<()>();
    let app = window.app_handle().clone();
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            while changes.recv_timeout(SETTLE).is_ok() {}
            if let Err(error) = app.save_window_state(flags()) {
                eprintln!("galley: cannot remember the window's size: {error}");
            }
        }
    });
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            let _ = changed.send(());
        }
    });
}
