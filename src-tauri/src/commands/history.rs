//! Commands about the record: history pages, statistics, captured output.

use lifeguard_service::history::{Page, ProgramStats, RestartChart};
use lifeguard_service::protocol::methods::{
    Chart, ChartParams, Export, ExportFormat, ExportParams, HistoryParams, LogLines, StatsParams,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::{program_id, CommandError, Reply};
use crate::daemon_link::DaemonLink;

/// A page of the restart history: the daemon's `history` params (filters and keyset
/// cursor) and its page.
#[tauri::command]
pub async fn history(link: State<'_, DaemonLink>, params: HistoryParams) -> Reply<Page> {
    Ok(link.client().await?.history(params).await?)
}

/// One program's statistics.
#[tauri::command]
pub async fn stats(link: State<'_, DaemonLink>, program: String) -> Reply<ProgramStats> {
    let program = program_id(&program)?;
    let all = link
        .client()
        .await?
        .stats(StatsParams {
            program: Some(program.clone()),
            window: None,
        })
        .await?;
    all.into_iter()
        .find(|s| s.program_id == program.as_str())
        .ok_or_else(|| CommandError {
            kind: "unknown_program".into(),
            message: format!("no statistics for {program}"),
            field: None,
        })
}

/// The last `lines` lines of a program's captured output.
#[tauri::command]
pub async fn logs(link: State<'_, DaemonLink>, id: String, lines: usize) -> Reply<LogLines> {
    let id = program_id(&id)?;
    Ok(link.client().await?.logs(&id, lines).await?)
}

/// Restarts per day per program over the last `days` days, for the chart.
#[tauri::command]
pub async fn restart_chart(link: State<'_, DaemonLink>, days: u32) -> Reply<RestartChart> {
    let params = ChartParams {
        program: None,
        days: Some(days),
    };
    Ok(link.client().await?.call::<Chart>(params).await?)
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
        field: None,
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
