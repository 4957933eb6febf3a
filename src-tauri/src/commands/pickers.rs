//! Commands that use the desktop itself: file dialogs and Lifeguard's own paths. The
//! dialogs are opened from Rust, so the webview needs no dialog permission of its own.

use lifeguard_service::paths::Paths;
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use super::{CommandError, Reply};

/// Where Lifeguard keeps its files, for the Settings view.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Paths"))]
pub struct PathsView {
    /// The config file.
    pub config: String,
    /// The restart history database.
    pub data: String,
    /// Logs, telemetry and captured program output.
    pub state: String,
}

/// Where the config, history and logs live.
#[tauri::command]
pub fn paths() -> Reply<PathsView> {
    let paths = Paths::from_env().map_err(|e| CommandError {
        kind: "no_home".into(),
        message: e.to_string(),
        field: None,
    })?;
    Ok(PathsView {
        config: paths.config_file().display().to_string(),
        data: paths.history_db().display().to_string(),
        state: paths.state_dir.display().to_string(),
    })
}

/// Opens a file dialog for an executable; `None` when cancelled.
#[tauri::command]
pub async fn pick_executable<R: Runtime>(app: AppHandle<R>) -> Reply<Option<String>> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Choose a program to protect")
            .blocking_pick_file()
    })
    .await
    .map_err(|e| CommandError {
        kind: "internal".into(),
        message: e.to_string(),
        field: None,
    })?;
    Ok(picked.map(|path| path.to_string()))
}

/// The installed applications (freedesktop `.desktop` entries), for the picker, with
/// their icons from the user's icon theme.
#[tauri::command]
pub async fn desktop_apps<R: Runtime>(
    app: AppHandle<R>,
) -> Reply<Vec<crate::discover::choices::AppChoice>> {
    let apps = blocking(crate::discover::installed_apps).await?;
    let names = apps.iter().filter_map(|a| a.icon.clone()).collect();
    let icons = crate::icon_lookup::data_urls(&app, names).await;
    Ok(crate::discover::app_choices(apps, &icons))
}

/// The apps the desktop starts at login (XDG autostart entries), for the picker.
#[tauri::command]
pub async fn login_apps() -> Reply<Vec<crate::discover::LoginApp>> {
    blocking(crate::discover::login_apps).await
}

/// The person's own running programs, grouped by executable, for the picker.
#[tauri::command]
pub async fn running_processes() -> Reply<Vec<crate::discover::processes::RunningProgram>> {
    blocking(crate::discover::processes::running_programs).await
}

/// Runs a scan of the file system off the async runtime's threads.
async fn blocking<T: Send + 'static>(scan: fn() -> T) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(scan)
        .await
        .map_err(|e| CommandError {
            kind: "internal".into(),
            message: e.to_string(),
            field: None,
        })
}
