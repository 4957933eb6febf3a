//! Retention: how much history to keep, and pruning to it.
//!
//! Pruning runs when the writer opens the database and after every few commits — never
//! from a periodic timer, so an idle daemon stays asleep.

use std::time::Duration;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::error::Result;

/// How much history to keep. Both limits apply when both are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Drop events older than this (default 90 days); `None` keeps them forever.
    pub max_age: Option<Duration>,
    /// Keep at most this many events, dropping the oldest; `None` for no limit.
    pub max_rows: Option<u64>,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            max_age: Some(Duration::from_secs(90 * 24 * 60 * 60)),
            max_rows: None,
        }
    }
}

impl Retention {
    /// Keep everything.
    pub const UNLIMITED: Retention = Retention {
        max_age: None,
        max_rows: None,
    };
}

/// Deletes what `retention` says to drop, as of `now_ms`; returns how many rows went.
pub fn prune(conn: &Connection, retention: &Retention, now_ms: i64) -> Result<u64> {
    let mut deleted = 0_u64;
    if let Some(age) = retention.max_age {
        let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms.saturating_sub(age_ms);
        deleted += conn.execute("DELETE FROM events WHERE ts_ms < ?1", params![cutoff])? as u64;
    }
    if let Some(max) = retention.max_rows {
        // Ids grow with insertion order, so "the oldest" is "the lowest ids"; this finds the
        // newest id to drop through the primary key without counting the table.
        let offset = i64::try_from(max).unwrap_or(i64::MAX);
        deleted += conn.execute(
            "DELETE FROM events WHERE id <= \
             (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?1)",
            params![offset],
        )? as u64;
    }
    if deleted > 0 {
        tracing::debug!(deleted, "history pruned");
    }
    Ok(deleted)
}
