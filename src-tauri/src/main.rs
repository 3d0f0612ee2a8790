//! Entry point of the Galley desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    galley_app::run();
}
