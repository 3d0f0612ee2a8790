//! The native menu (File, Edit, View, Post, Help) with its shortcuts shown: each item is one of the
//! page's existing actions, sent to the page as one `menu` event carrying the item's id (the page
//! maps it to the same function as the key, `ui/src/menu.ts`). Open File, Quit and About are
//! handled here.
use tauri::menu::{AboutMetadata, Menu, MenuItemBuilder, PredefinedMenuItem, Submenu, SubmenuBuilder};
use tauri::{Emitter, Manager, Runtime};

/// One menu item that is an action: which menu, its id (the `menu` event's payload), its label and
/// its accelerator (the page's own shortcut for the same action, see `ui/src/shortcuts.ts`).
pub struct MenuAction {
    /// The menu it is in.
    pub menu: &'static str,
    /// What the page receives.
    pub id: &'static str,
    /// What the writer reads.
    pub label: &'static str,
    /// The shortcut, shown in the menu.
    pub accelerator: Option<&'static str>,
}

const fn action(menu: &'static str, id: &'static str, label: &'static str, accelerator: Option<&'static str>) -> MenuAction {
    MenuAction { menu, id, label, accelerator }
}

/// Every action item, menu by menu, in order (Edit's clipboard items and About are the platform's).
pub const ACTIONS: &[MenuAction] = &[
    action("File", "new-draft", "New Draft", Some("CmdOrCtrl+N")),
    action("File", "open-file", "Open File…", Some("CmdOrCtrl+O")),
    action("File", "import", "Import Site…", Some("CmdOrCtrl+Shift+I")),
    action("File", "export", "Export Site…", Some("CmdOrCtrl+E")),
    action("File", "save", "Save Now", Some("CmdOrCtrl+S")),
    action("File", "quit", "Quit", Some("CmdOrCtrl+Q")),
    action("Edit", "undo", "Undo", Some("CmdOrCtrl+Z")),
    action("Edit", "redo", "Redo", Some("CmdOrCtrl+Shift+Z")),
    action("Edit", "find", "Search the Library", Some("CmdOrCtrl+K")),
    action("View", "toggle-library", "Library Sidebar", Some("CmdOrCtrl+Shift+L")),
    action("View", "toggle-preview", "Preview", Some("CmdOrCtrl+Backslash")),
    action("View", "index", "Blog Index", Some("CmdOrCtrl+I")),
    action("View", "theme", "Next Theme", Some("CmdOrCtrl+Shift+T")),
    action("Post", "history", "History", Some("CmdOrCtrl+H")),
    action("Post", "next-post", "Next Post", Some("CmdOrCtrl+PageDown")),
    action("Post", "previous-post", "Previous Post", Some("CmdOrCtrl+PageUp")),
    action("Post", "trash", "Move to Trash", None),
    action("Help", "shortcuts", "Keyboard Shortcuts", Some("F1")),
];

/// The menus, in the bar's order.
const MENUS: [&str; 5] = ["File", "Edit", "View", "Post", "Help"];

/// What the About box says.
pub fn about_metadata(package: &tauri::PackageInfo) -> AboutMetadata<'static> {
    AboutMetadata {
        name: Some("Galley".into()),
        version: Some(package.version.to_string()),
        comments: Some("Write long technical blog posts.".into()),
        license: Some("MIT".into()),
        ..AboutMetadata::default()
    }
}

/// Builds the menu bar.
pub fn build<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menus = MENUS.iter().map(|name| submenu(app, name)).collect::<tauri::Result<Vec<_>>>()?;
    let refs: Vec<&dyn tauri::menu::IsMenuItem<R>> = menus.iter().map(|menu| menu as &dyn tauri::menu::IsMenuItem<R>).collect();
    Menu::with_items(app, &refs)
}

fn submenu<R: Runtime>(app: &tauri::AppHandle<R>, name: &str) -> tauri::Result<Submenu<R>> {
    let mut menu = SubmenuBuilder::new(app, name);
    for item in ACTIONS.iter().filter(|item| item.menu == name) {
        if matches!(item.id, "quit" | "find" | "trash") {
            menu = menu.separator();
        }
        let mut built = MenuItemBuilder::with_id(item.id, item.label);
        if let Some(accelerator) = item.accelerator {
            built = built.accelerator(accelerator);
        }
        menu = menu.item(&built.build(app)?);
        if item.id == "redo" {
            // The clipboard items: GTK's own keys (shown, not taken from the editor).
            menu = menu.separator().cut().copy().paste().select_all();
        }
    }
    if name == "Help" {
        let about = about_metadata(app.package_info());
        let about = AboutMetadata { icon: app.default_window_icon().cloned(), ..about };
        menu = menu.separator().item(&PredefinedMenuItem::about(app, Some("About Galley"), Some(about))?);
    }
    menu.build()
}

/// What a menu item does: Quit closes the window (the page saves first), Open File asks for a
/// Markdown file and opens it like a file given on the command line, every other action goes to
/// the page.
pub fn handle<R: Runtime>(app: &tauri::AppHandle<R>, id: &str) {
    match id {
        "quit" => {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.close();
            }
        }
        "open-file" => choose_file(app),
        id if ACTIONS.iter().any(|action| action.id == id) => {
            let _ = app.emit_to("main", "menu", id);
        }
        _ => {}
    }
}

fn choose_file<R: Runtime>(app: &tauri::AppHandle<R>) {
    use tauri_plugin_dialog::DialogExt;
    let handle = app.clone();
    app.dialog().file().set_title("Open a Markdown file").add_filter("Markdown", &["md", "markdown", "mdown"]).pick_file(move |file| {
        let Some(path) = file.and_then(|file| file.into_path().ok()) else { return };
        let state = handle.state::<crate::state::AppState>();
        let args = crate::args::AppArgs { files: vec![path], ..Default::default() };
        crate::open_file::handle_args(&handle, args, state.library_handle().clone());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_a_menu_once_with_a_parseable_shortcut() {
        let mut ids: Vec<&str> = ACTIONS.iter().map(|action| action.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ACTIONS.len(), "ids are unique");
        for action in ACTIONS {
            assert!(MENUS.contains(&action.menu), "{}", action.id);
            if let Some(accelerator) = action.accelerator {
                assert!(accelerator.parse::<muda::accelerator::Accelerator>().is_ok(), "{accelerator}");
            }
        }
    }
}
