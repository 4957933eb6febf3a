//! `usage`: memory and CPU time of the running programs, for the rows' figures. The window
//! asks every 2 s while the program list shows; the daemon reads `/proc` only then.

use lifeguard_service::protocol::usage::UsageReport;
use tauri::State;

use super::Reply;
use crate::daemon_link::DaemonLink;

/// The daemon's `usage`: each running program's tree RSS, CPU time and process count.
#[tauri::command]
pub async fn usage(link: State<'_, DaemonLink>) -> Reply<UsageReport> {
    Ok(link.client().await?.usage().await?)
}
