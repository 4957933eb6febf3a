//! Mapping between [`HistoryRecord`] and rows of the `events` table.

use rusqlite::{params, Row, Statement};

use super::error::Result;
use super::record::HistoryRecord;

/// Column list for `SELECT`s that [`from_row`] reads, in its order.
pub const COLUMNS: &str = "id, ts_ms, program_id, program_name, kind, pid, exit_code, signal, \
     signal_name, uptime_ms, delay_ms, attempt, requested_by, reason, detail";

/// The insert statement [`insert`] expects (prepare it once per batch), for use inside a
/// transaction.
///
/// `OR ROLLBACK`: a failing row ends the whole transaction rather than just its statement.
/// The writer drops a failed batch's transaction anyway, and this way no statement can
/// abort half-way, so SQLite skips the statement journal it would otherwise keep for
/// every row because of the `restart_days` triggers (see `schema.rs`, v3): that journal
/// copies each touched page and halved insert throughput.
pub const INSERT: &str =
    "INSERT OR ROLLBACK INTO events (ts_ms, program_id, program_name, kind, pid, \
     exit_code, signal, signal_name, uptime_ms, delay_ms, attempt, requested_by, reason, detail) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// Inserts one record with a prepared [`INSERT`] statement; returns its new id.
pub fn insert(stmt: &mut Statement<'_>, rec: &HistoryRecord) -> Result<i64> {
    let detail = rec.detail.as_ref().map(serde_json::to_string).transpose()?;
    Ok(stmt.insert(params![
        rec.ts_ms,
        rec.program_id,
        rec.program_name,
        rec.kind,
        rec.pid,
        rec.exit_code,
        rec.signal,
        rec.signal_name,
        rec.uptime_ms.map(saturate),
        rec.delay_ms.map(saturate),
        rec.attempt,
        rec.requested_by,
        rec.reason,
        detail,
    ])?)
}

/// Reads a row selected with [`COLUMNS`]. A `detail` that is not valid JSON (edited by
/// hand) is kept as a JSON string rather than failing the whole page.
pub fn from_row(row: &Row<'_>) -> rusqlite::Result<HistoryRecord> {
    let detail: Option<String> = row.get(14)?;
    Ok(HistoryRecord {
        id: Some(row.get(0)?),
        ts_ms: row.get(1)?,
        program_id: row.get(2)?,
        program_name: row.get(3)?,
        kind: row.get(4)?,
        pid: row.get(5)?,
        exit_code: row.get(6)?,
        signal: row.get(7)?,
        signal_name: row.get(8)?,
        uptime_ms: row.get::<_, Option<i64>>(9)?.map(unsigned),
        delay_ms: row.get::<_, Option<i64>>(10)?.map(unsigned),
        attempt: row.get(11)?,
        requested_by: row.get(12)?,
        reason: row.get(13)?,
        detail: detail
            .map(|text| serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))),
    })
}

/// SQLite integers are signed 64-bit; a duration beyond `i64::MAX` ms is not a real value.
fn saturate(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}
