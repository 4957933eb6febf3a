//! The history methods that read more than a page: the restart chart and exports.

use std::path::Path;

use super::rpc_history::blocking;
use super::state::Daemon;
use crate::history::{EventFilter, HistoryError, HistoryReader, RestartChart};
use crate::protocol::methods::{ChartParams, ExportFormat, ExportParams, Exported};
use crate::protocol::RpcError;

/// Days the chart may span at most.
const MAX_CHART_DAYS: u32 = 366;

impl Daemon {
    /// `chart`: restarts per day per program.
    pub(super) async fn chart(&self, p: ChartParams) -> Result<RestartChart, RpcError> {
        let days = p.days.unwrap_or(30).clamp(1, MAX_CHART_DAYS);
        let db = self.0.options.paths.history_db();
        let _ = self.0.history.flush().await;
        blocking(move || {
            let now = crate::history::now_ms();
            HistoryReader::open(&db)?.restarts_per_day(p.program.as_deref(), days, now)
        })
        .await
    }

    /// `export`: streams the filtered range into the file the client chose. The file is
    /// written beside its final name and renamed, so a failed export leaves no half file
    /// (see [`partial_beside`]).
    pub(super) async fn export(&self, p: ExportParams) -> Result<Exported, RpcError> {
        if !p.path.is_absolute() {
            return Err(RpcError::invalid_params(
                "path: must be absolute — give the full path of the file to write",
            ));
        }
        let filter = EventFilter {
            program_id: p.program,
            kinds: p.kinds,
            since_ms: p.since_ms,
            until_ms: p.until_ms,
        };
        let db = self.0.options.paths.history_db();
        let _ = self.0.history.flush().await;
        let path = p.path.clone();
        let rows = blocking(move || {
            let reader = HistoryReader::open(&db)?;
            let partial = partial_beside(&path).map_err(HistoryError::Export)?;
            let mut out = std::io::BufWriter::new(partial);
            let rows = match p.format {
                ExportFormat::Csv => reader.export_csv(&filter, &mut out)?,
                ExportFormat::Jsonl => reader.export_jsonl(&filter, &mut out)?,
            };
            let partial = out
                .into_inner()
                .map_err(|e| HistoryError::Export(e.into_error()))?;
            partial
                .persist(&path)
                .map_err(|e| HistoryError::Export(e.error))?;
            Ok(rows)
        })
        .await?;
        Ok(Exported { path: p.path, rows })
    }
}

/// A new, uniquely named file in `path`'s directory for an export to be written to before
/// it is renamed to `path`. Created with `O_CREAT | O_EXCL` and mode 0600 (tempfile's
/// `NamedTempFile`): it never opens a file that already exists, so a planted symlink is
/// not followed, an unrelated `x.part` is not clobbered and two exports never share a
/// file; the history is the person's own, so the export is readable by them only. Dropped
/// before `persist` (an error), it is removed.
fn partial_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("/"));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
}
