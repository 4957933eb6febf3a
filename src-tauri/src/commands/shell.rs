//! The window's own keyboard shortcuts that need the shell: Ctrl+W and Ctrl+Q.

use tauri::{AppHandle, Manager, Runtime, State};

use crate::daemon_link::DaemonLink;
use crate::window::MAIN;

/// Ctrl+W: closes the window (the app stays in the tray, the daemon keeps protecting).
#[tauri::command]
pub fn close_window<R: Runtime>(app: AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.close();
    }
}

/// Ctrl+Q: quits the app, like the tray's "Quit tray (protection continues)": the
/// daemon is not stopped, so the protected programs stay protected.
#[tauri::command]
pub fn quit_app<R: Runtime>(app: AppHandle<R>, link: State<'_, DaemonLink>) {
    link.quit();
    app.exit(0);
}
