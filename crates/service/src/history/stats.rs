//! Per-program statistics and the restarts-per-day chart.
//!
//! Uptime rule: a run begins at `started`, `restarted` or `adopted` and ends at `exited`,
//! `stopped`, `nothing_left` or `left_running` (`handed_off`, a launcher's hand-over, keeps
//! the run going). The state at the window's start is that of the last such
//! event before it; a program with no event before the window is counted from its first
//! event (so a program added an hour ago is not "99% down" over 7 days). A start while
//! already up (e.g. after the daemon itself was killed) continues the run; a run still
//! open at `now` counts up to `now`.
//!
//! Failure rule (for MTBF): an `exited` event nobody asked for (`requested_by` empty)
//! with a signal or a non-zero exit code, or a `spawn_failed`. MTBF is the up time in the
//! window divided by the failures in it.

use std::time::Duration;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::query::HistoryReader;
use super::record::{kind, HistoryRecord};
use super::{rows, schema};

const DAY_MS: i64 = 86_400_000;

// The chart's three queries: (program_id, day, restarts) for days ?1..=?2, grouped by
// program (the chart builds one series per run of equal ids). ?3 is the program or NULL.
//
// One program: a range of the primary key (program_id, day). Every parameter is
// mentioned so all three queries bind the same list.
const RESTART_DAYS_ONE: &str = "SELECT program_id, day, count FROM restart_days \
     WHERE program_id = ?3 AND day BETWEEN ?1 AND ?2 ORDER BY day";
// All programs: the whole table in key order (programs × retained days, a few thousand
// rows at most), filtered to the range; no sort.
const RESTART_DAYS_ALL: &str = "SELECT program_id, day, count FROM restart_days \
     WHERE day BETWEEN ?1 AND ?2 AND ?3 IS NULL ORDER BY program_id, day";
// Schema before v3: group the `restarted` events themselves, with the same flooring day
// as the triggers (SQLite's `/` truncates toward zero).
const RESTART_EVENTS: &str = "SELECT program_id, \
     (ts_ms - ((ts_ms % 86400000) + 86400000) % 86400000) / 86400000 AS day, COUNT(*) \
     FROM events WHERE kind = 'restarted' AND ts_ms >= ?1 * 86400000 \
     AND ts_ms < (?2 + 1) * 86400000 AND (?3 IS NULL OR program_id = ?3) \
     GROUP BY program_id, day ORDER BY program_id, day";

/// What the UI shows for one program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramStats {
    /// The program.
    pub program_id: String,
    /// `restarted` events in the last 24 hours.
    pub restarts_24h: u64,
    /// `restarted` events in the last 7 days.
    pub restarts_7d: u64,
    /// Percentage of the window the program was up; `None` with no run events at all.
    pub uptime_pct: Option<f64>,
    /// Unrequested failures within the window.
    pub failures: u64,
    /// Mean up time between failures within the window; `None` without failures.
    pub mtbf_ms: Option<u64>,
    /// The last `exited` or `spawn_failed` event, whenever it was.
    pub last_exit: Option<HistoryRecord>,
    /// `last_exit` in words ("killed by SIGKILL", "exit code 1", or its reason).
    pub last_exit_reason: Option<String>,
}

/// Restarts per UTC day, one series per program, for a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestartChart {
    /// Start (UTC ms) of each day, oldest first; every series has one count per day.
    pub day_starts_ms: Vec<i64>,
    /// One series per program that restarted in the range, by program id.
    pub series: Vec<RestartSeries>,
}

/// One program's restarts per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestartSeries {
    /// The program.
    pub program_id: String,
    /// Restarts on each day of [`RestartChart::day_starts_ms`].
    pub counts: Vec<u64>,
}

impl HistoryReader {
    /// Statistics for `program_id` as of `now_ms`, uptime and MTBF over the last `window`.
    pub fn program_stats(
        &self,
        program_id: &str,
        now_ms: i64,
        window: Duration,
    ) -> Result<ProgramStats> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let from = now_ms.saturating_sub(window_ms);
        let (up_ms, span_ms, failures) = self.uptime(program_id, from, now_ms)?;
        let last_exit = self.last_exit(program_id)?;
        Ok(ProgramStats {
            program_id: program_id.to_owned(),
            restarts_24h: self.restarts_since(program_id, now_ms - DAY_MS)?,
            restarts_7d: self.restarts_since(program_id, now_ms - 7 * DAY_MS)?,
            uptime_pct: (span_ms > 0).then(|| up_ms as f64 * 100.0 / span_ms as f64),
            failures,
            mtbf_ms: (failures > 0).then(|| u64::try_from(up_ms).unwrap_or(0) / failures),
            last_exit_reason: last_exit.as_ref().map(HistoryRecord::exit_description),
            last_exit,
        })
    }

    /// Restarts per UTC day over the last `days` days (today included), for one program
    /// or all of them.
    pub fn restarts_per_day(
        &self,
        program_id: Option<&str>,
        days: u32,
        now_ms: i64,
    ) -> Result<RestartChart> {
        let today = now_ms.div_euclid(DAY_MS);
        let first = today - i64::from(days.max(1)) + 1;
        let day_starts_ms: Vec<i64> = (first..=today).map(|d| d * DAY_MS).collect();
        // From `restart_days` (one row per program and day, kept by triggers) rather than
        // grouping `events`: a few hundred rows instead of every restart in the range. A
        // file an older Lifeguard still writes has no such table yet; count `events` then.
        let summarised = schema::user_version(&self.conn)? >= schema::RESTART_DAYS_VERSION;
        let sql = match (summarised, program_id.is_some()) {
            (true, true) => RESTART_DAYS_ONE,
            (true, false) => RESTART_DAYS_ALL,
            (false, _) => RESTART_EVENTS,
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![first, today, program_id])?;
        let mut series: Vec<RestartSeries> = Vec::new();
        while let Some(row) = rows.next()? {
            let (program, day, n): (String, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            if series
                .last()
                .map(|s| s.program_id != program)
                .unwrap_or(true)
            {
                series.push(RestartSeries {
                    program_id: program,
                    counts: vec![0; day_starts_ms.len()],
                });
            }
            let slot = usize::try_from(day - first).ok();
            if let (Some(s), Some(i)) = (series.last_mut(), slot) {
                if let Some(c) = s.counts.get_mut(i) {
                    *c = u64::try_from(n).unwrap_or(0);
                }
            }
        }
        Ok(RestartChart {
            day_starts_ms,
            series,
        })
    }

    fn restarts_since(&self, program_id: &str, since_ms: i64) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM events WHERE program_id = ?1 AND kind = ?2 AND ts_ms >= ?3",
            )?
            .query_row(params![program_id, kind::RESTARTED, since_ms], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn last_exit(&self, program_id: &str) -> Result<Option<HistoryRecord>> {
        let sql = format!(
            "SELECT {} FROM events WHERE program_id = ?1 AND kind IN (?2, ?3) \
             ORDER BY ts_ms DESC, id DESC LIMIT 1",
            rows::COLUMNS
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(
                params![program_id, kind::EXITED, kind::SPAWN_FAILED],
                rows::from_row,
            )
            .optional()?)
    }

    /// (up ms, span ms, failures) over [from, to) following the module's rules.
    fn uptime(&self, program_id: &str, from: i64, to: i64) -> Result<(i64, i64, u64)> {
        let run_kinds = "kind IN ('started', 'restarted', 'adopted', 'exited', 'stopped', \
                         'nothing_left', 'left_running', 'spawn_failed')";
        let before: Option<String> = self
            .conn
            .prepare_cached(&format!(
                "SELECT kind FROM events WHERE program_id = ?1 AND {run_kinds} AND ts_ms < ?2 \
                 ORDER BY ts_ms DESC, id DESC LIMIT 1"
            ))?
            .query_row(params![program_id, from], |r| r.get(0))
            .optional()?;
        let mut up_since = before
            .as_deref()
            .filter(|k| kind::RUN_STARTS.contains(k))
            .map(|_| from);
        let mut start = before.as_ref().map(|_| from);
        let (mut up_ms, mut failures) = (0_i64, 0_u64);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT ts_ms, kind, exit_code, signal, requested_by FROM events \
             WHERE program_id = ?1 AND {run_kinds} AND ts_ms >= ?2 AND ts_ms < ?3 \
             ORDER BY ts_ms, id"
        ))?;
        let mut rows = stmt.query(params![program_id, from, to])?;
        while let Some(row) = rows.next()? {
            let ts: i64 = row.get(0)?;
            let k: String = row.get(1)?;
            start.get_or_insert(ts);
            if kind::RUN_STARTS.contains(&k.as_str()) {
                up_since.get_or_insert(ts);
            } else if kind::RUN_ENDS.contains(&k.as_str()) {
                if let Some(since) = up_since.take() {
                    up_ms += ts - since;
                }
            }
            let (code, signal, by): (Option<i64>, Option<i64>, Option<String>) =
                (row.get(2)?, row.get(3)?, row.get(4)?);
            let unrequested = by.as_deref().unwrap_or_default().is_empty();
            let crashed = k == kind::EXITED && (signal.is_some() || code.is_some_and(|c| c != 0));
            if k == kind::SPAWN_FAILED || (unrequested && crashed) {
                failures += 1;
            }
        }
        if let Some(since) = up_since {
            up_ms += to - since;
        }
        Ok((up_ms, start.map_or(0, |s| to - s), failures))
    }
}
