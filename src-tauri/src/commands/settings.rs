//! Commands about settings and where Lifeguard keeps its files.

use lifeguard_service::protocol::methods::ConfigView;
use serde_json::Value;
use tauri::State;

use super::{ui, Reply};
use crate::daemon_link::DaemonLink;

/// The global settings, the config file's path, and the broken file the daemon started
/// on, if any.
#[tauri::command]
pub async fn settings_get(link: State<'_, DaemonLink>) -> Reply<ConfigView> {
    Ok(link.client().await?.config_get().await?)
}

/// Changes global settings: the UI's `Settings`, merged into the current ones and
/// checked by the daemon, which names a bad field.
#[tauri::command]
pub async fn settings_set(link: State<'_, DaemonLink>, settings: Value) -> Reply<ConfigView> {
    Ok(link.client().await?.config_set(settings, ui()).await?)
}
