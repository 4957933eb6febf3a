//! The Tauri commands the web UI may call. Each is listed in `build.rs` and granted in
//! `src-tauri/capabilities/`, so the webview can call nothing else.

use serde::Serialize;
use tauri::{AppHandle, Runtime};

/// What the window shows about the app itself.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The product name, "Lifeguard".
    pub name: String,
    /// The app's version, from Cargo.toml.
    pub version: String,
}

/// Returns the app's name and version.
#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
    }
}
