//! The window's "Launch at login" switch (Settings): the entry itself is
//! `lifeguard_tray::autostart`'s, shared with the tray's check item, which re-reads it
//! whenever its menu opens.

use lifeguard_tray::autostart;
use tauri::{AppHandle, Runtime};

/// `autostart_get` command: whether Lifeguard starts at login.
#[tauri::command]
pub fn autostart_get<R: Runtime>(_app: AppHandle<R>) -> bool {
    autostart::is_enabled()
}

/// `autostart_set` command: turns launch at login on or off.
#[tauri::command]
pub fn autostart_set<R: Runtime>(_app: AppHandle<R>, enabled: bool) -> bool {
    autostart::set(enabled)
}
