//! Commands about the record: history pages, statistics, captured output.

use lifeguard_service::protocol::methods::{
    Chart, ChartParams, Export, ExportFormat, ExportParams, HistoryParams, StatsParams,
};
use serde_json::Value;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

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

/// Restarts per day per program over the last `days` days, for the chart.
#[tauri::command]
pub async fn restart_chart(link: State<'_, DaemonLink>, days: u32) -> Reply<Value> {
    let params = ChartParams {
        program: None,
        days: Some(days),
    };
    to_value(link.client().await?.call::<Chart>(params).await?)
}

/// The History view's filter, as the UI sends it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct UiFilter {
    program: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
    since: Option<i64>,
    until: Option<i64>,
}

/// Asks where to save, then has the daemon write the filtered history there. Resolves
/// to the saved path, or `None` when the person cancelled the dialog.
#[tauri::command]
pub async fn export_history<R: Runtime>(
    app: AppHandle<R>,
    link: State<'_, DaemonLink>,
    filter: UiFilter,
    format: ExportFormat,
) -> Reply<Option<String>> {
    let (name, extension) = match format {
        ExportFormat::Csv => ("lifeguard-history.csv", "csv"),
        ExportFormat::Jsonl => ("lifeguard-history.jsonl", "jsonl"),
    };
    let dialog = app.dialog().file();
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        dialog
            .set_title("Export the restart history")
            .set_file_name(name)
            .add_filter(extension, &[extension])
            .blocking_save_file()
    })
    .await
    .map_err(|e| CommandError {
        kind: "internal".into(),
        message: e.to_string(),
    })?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let params = ExportParams {
        program: filter.program,
        kinds: filter.kinds,
        since_ms: filter.since,
        until_ms: filter.until,
        format,
        path,
    };
    let exported = link.client().await?.call::<Export>(params).await?;
    Ok(Some(exported.path.display().to_string()))
}
