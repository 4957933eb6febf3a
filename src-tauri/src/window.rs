//! The main window: created on demand and destroyed when closed, so a closed window gives
//! its web view's memory back; the tray brings it back.

use tauri::{AppHandle, Manager, Runtime, WebviewWindowBuilder};

/// Label of the main window in `tauri.conf.json`.
pub const MAIN: &str = "main";

/// Shows and focuses the main window, creating it if it does not exist.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        tracing::error!("tauri.conf.json has no window labelled {MAIN:?}");
        return;
    };
    if let Err(error) = WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build()) {
        tracing::error!("could not open the Lifeguard window: {error}");
    }
}
