//! Commands about settings and where Lifeguard keeps its files.

use serde_json::Value;
use tauri::State;

use super::{to_value, ui, Reply};
use crate::daemon_link::DaemonLink;

/// The global settings and the config file's path.
#[tauri::command]
pub async fn settings_get(link: State<'_, DaemonLink>) -> Reply<Value> {
    to_value(link.client().await?.config_get().await?)
}

/// Changes global settings (a partial object merged into the current ones).
#[tauri::command]
pub async fn settings_set(link: State<'_, DaemonLink>, settings: Value) -> Reply<Value> {
    to_value(link.client().await?.config_set(settings, ui()).await?)
}
