//! Commands about the record: history pages, statistics, captured output.

use lifeguard_service::protocol::methods::{HistoryParams, StatsParams};
use serde_json::Value;
use tauri::State;

use super::{program_id, to_value, CommandError, Reply};
use crate::daemon_link::DaemonLink;

/// A page of the restart history (filters + keyset cursor).
#[tauri::command]
pub async fn history(link: State<'_, DaemonLink>, query: Value) -> Reply<Value> {
    let params: HistoryParams =
        serde_json::from_value(query).map_err(|e| CommandError::invalid("query", e))?;
    to_value(link.client().await?.history(params).await?)
}

/// Per-program statistics (one program, or all with `program` null).
#[tauri::command]
pub async fn stats(link: State<'_, DaemonLink>, program: Option<String>) -> Reply<Value> {
    let program = program.as_deref().map(program_id).transpose()?;
    to_value(
        link.client()
            .await?
            .stats(StatsParams {
                program,
                window: None,
            })
            .await?,
    )
}

/// The last `lines` lines of a program's captured output.
#[tauri::command]
pub async fn logs(link: State<'_, DaemonLink>, id: String, lines: usize) -> Reply<Value> {
    let id = program_id(&id)?;
    to_value(link.client().await?.logs(&id, lines).await?)
}
