//! Export of a filtered range as CSV or JSON lines, streamed row by row to any `Write`
//! (a million rows never sit in memory), oldest first as files are read top-down.

use std::io::Write;

use rusqlite::params_from_iter;

use super::error::{HistoryError, Result};
use super::filter::EventFilter;
use super::query::HistoryReader;
use super::record::HistoryRecord;
use super::rows;
use crate::telemetry::rfc3339_ms;

/// The CSV header; `ts_utc` is `ts_ms` in RFC 3339 for spreadsheets.
pub const CSV_HEADER: &str = "id,ts_ms,ts_utc,program_id,program_name,kind,pid,exit_code,\
signal,signal_name,uptime_ms,delay_ms,attempt,requested_by,reason,detail";

impl HistoryReader {
    /// Writes the events matching `filter` as CSV (RFC 4180, with a header line); returns
    /// the number of events written.
    pub fn export_csv(&self, filter: &EventFilter, out: &mut dyn Write) -> Result<u64> {
        writeln!(out, "{CSV_HEADER}").map_err(HistoryError::Export)?;
        self.for_each(filter, |r| {
            let detail = r.detail.as_ref().map(|d| d.to_string());
            let fields = [
                opt(r.id),
                r.ts_ms.to_string(),
                rfc3339_ms(r.ts_ms),
                csv_field(&r.program_id),
                csv_field(&r.program_name),
                csv_field(&r.kind),
                opt(r.pid),
                opt(r.exit_code),
                opt(r.signal),
                csv_field(r.signal_name.as_deref().unwrap_or_default()),
                opt(r.uptime_ms),
                opt(r.delay_ms),
                opt(r.attempt),
                csv_field(r.requested_by.as_deref().unwrap_or_default()),
                csv_field(r.reason.as_deref().unwrap_or_default()),
                csv_field(detail.as_deref().unwrap_or_default()),
            ];
            writeln!(out, "{}", fields.join(",")).map_err(HistoryError::Export)
        })
    }

    /// Writes the events matching `filter` as JSON lines (one [`HistoryRecord`] per line);
    /// returns the number of events written.
    pub fn export_jsonl(&self, filter: &EventFilter, out: &mut dyn Write) -> Result<u64> {
        self.for_each(filter, |r| {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n").map_err(HistoryError::Export)
        })
    }

    fn for_each(
        &self,
        filter: &EventFilter,
        mut f: impl FnMut(&HistoryRecord) -> Result<()>,
    ) -> Result<u64> {
        let (clause, params) = filter.to_sql();
        let sql = format!(
            "SELECT {} FROM events WHERE {clause} ORDER BY ts_ms, id",
            rows::COLUMNS
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            f(&rows::from_row(row)?)?;
            n += 1;
        }
        Ok(n)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// First characters that make a spreadsheet read a cell as a formula (CSV injection:
/// `=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`); tab and carriage return start one in some.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field for CSV: a cell a spreadsheet would evaluate as a formula gets a leading
/// `'` (text, not formula, in Excel, LibreOffice and Sheets: the OWASP advice); then it is
/// quoted when it holds a comma, quote or line break (RFC 4180), doubling quotes. Program
/// names, reasons and details are text people and programs chose, so never trusted.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
