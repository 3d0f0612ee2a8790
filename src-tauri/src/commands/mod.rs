//! The commands the frontend may call, one module per feature. Each takes ids and text (never file
//! paths from the page), calls the core or a service, and maps errors to `CommandError`. Every
//! command that touches the library is async: it runs on a worker, so the main thread, which
//! answers the preview's keystroke requests, never waits for the library (a save of a long post
//! holds it for tens of milliseconds).
pub mod desktop;
pub mod dialect;
pub mod history;
pub mod images;
pub mod library;
pub mod post;
pub mod preview;
pub mod site;
pub mod stylesheet;
pub mod sync;
