//! [`HistoryReader`]: pages of events with keyset pagination.
//!
//! Keyset rather than OFFSET pagination: the cursor is the (ts_ms, id) of the last row
//! shown, so each page costs the same at any depth and rows inserted meanwhile never
//! shift a page (no duplicates, no gaps).

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::filter::EventFilter;
use super::record::HistoryRecord;
use super::{rows, schema};

/// Where the next page starts: the (time, id) of the last event of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cursor {
    /// `ts_ms` of the last event returned.
    pub ts_ms: i64,
    /// `id` of the last event returned.
    pub id: i64,
}

/// One page of events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page {
    /// The events, newest first.
    pub events: Vec<HistoryRecord>,
    /// Cursor for the following (older) page; `None` when this is the last one.
    pub next: Option<Cursor>,
}

/// A read-only connection to the history for queries, separate from the writer's so
/// queries never wait behind a batch (WAL lets readers and the writer run together).
#[derive(Debug)]
pub struct HistoryReader {
    pub(crate) conn: Connection,
}

impl HistoryReader {
    /// Opens the history at `path` (it must exist: the writer creates it).
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: schema::open_for_reading(path)?,
        })
    }

    /// Up to `limit` events matching `filter`, newest first, starting after `after`
    /// (pass the previous page's `next`, or `None` for the first page).
    pub fn page(&self, filter: &EventFilter, after: Option<Cursor>, limit: usize) -> Result<Page> {
        let (mut clause, mut params) = filter.to_sql();
        if let Some(c) = after {
            // Row-value comparison: SQLite uses the (…, ts_ms) index for it directly.
            clause.push_str(" AND (ts_ms, id) < (?, ?)");
            params.push(Value::Integer(c.ts_ms));
            params.push(Value::Integer(c.id));
        }
        // One extra row tells whether another page exists, without a COUNT.
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        params.push(Value::Integer(fetch));
        let sql = format!(
            "SELECT {} FROM events WHERE {clause} ORDER BY ts_ms DESC, id DESC LIMIT ?",
            rows::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut events = stmt
            .query_map(params_from_iter(params), rows::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next = if events.len() > limit {
            events.truncate(limit);
            events
                .last()
                .and_then(|e| e.id.map(|id| Cursor { ts_ms: e.ts_ms, id }))
        } else {
            None
        };
        Ok(Page { events, next })
    }

    /// Number of events matching `filter`.
    pub fn count(&self, filter: &EventFilter) -> Result<u64> {
        let (clause, params) = filter.to_sql();
        let sql = format!("SELECT COUNT(*) FROM events WHERE {clause}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// `PRAGMA integrity_check`'s verdict: `"ok"` for a healthy file.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}
