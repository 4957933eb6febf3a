//! The history methods that read more than a page: the restart chart and exports.

use std::io::Write;

use super::handler::blocking;
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
    /// written beside its final name and renamed, so a failed export leaves no half file.
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
            let partial = path.with_extension("part");
            let file = std::fs::File::create(&partial).map_err(HistoryError::Export)?;
            let mut out = std::io::BufWriter::new(file);
            let rows = match p.format {
                ExportFormat::Csv => reader.export_csv(&filter, &mut out)?,
                ExportFormat::Jsonl => reader.export_jsonl(&filter, &mut out)?,
            };
            out.flush().map_err(HistoryError::Export)?;
            std::fs::rename(&partial, &path).map_err(HistoryError::Export)?;
            Ok(rows)
        })
        .await?;
        Ok(Exported { path: p.path, rows })
    }
}
