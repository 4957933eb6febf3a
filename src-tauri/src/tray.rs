//! The tray icon and its menu.
//!
//! Linux trays (libappindicator) report no clicks on the icon itself, so the menu is
//! the way to the window.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Runtime};

use crate::window;

const OPEN: &str = "open";
const QUIT: &str = "quit";

/// Creates the tray icon with its menu.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, OPEN, "Open Lifeguard…", true, None::<&str>)?,
            &MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?,
        ],
    )?;
    TrayIconBuilder::with_id("lifeguard")
        .icon(Image::from_bytes(include_bytes!(
            "../../icons/tray-ok.png"
        ))?)
        .tooltip("Lifeguard")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => window::show(app),
            QUIT => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}
