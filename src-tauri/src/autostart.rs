//! "Launch at login": an XDG autostart entry that starts the app in the tray
//! (`--hidden`), through tauri-plugin-autostart. The tray and the window share it.

use tauri::{AppHandle, Runtime};
use tauri_plugin_autostart::ManagerExt;

/// The plugin, configured to start the app hidden at login.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::init(
        tauri_plugin_autostart::MacosLauncher::LaunchAgent,
        Some(vec![crate::HIDDEN_FLAG]),
    )
}

/// Whether the autostart entry exists.
pub fn is_enabled<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.autolaunch().is_enabled().unwrap_or(false)
}

/// Writes or removes the autostart entry; failures are logged, not fatal.
pub fn set<R: Runtime>(app: &AppHandle<R>, enabled: bool) {
    let outcome = if enabled {
        app.autolaunch().enable()
    } else {
        app.autolaunch().disable()
    };
    if let Err(error) = outcome {
        tracing::warn!("could not change launch at login: {error}");
    }
}

/// `autostart_get` command: whether Lifeguard starts at login.
#[tauri::command]
pub fn autostart_get<R: Runtime>(app: AppHandle<R>) -> bool {
    is_enabled(&app)
}

/// `autostart_set` command: turns launch at login on or off.
#[tauri::command]
pub fn autostart_set<R: Runtime>(app: AppHandle<R>, enabled: bool) -> bool {
    set(&app, enabled);
    is_enabled(&app)
}
