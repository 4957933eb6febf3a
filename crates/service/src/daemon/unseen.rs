//! Deaths no daemon saw: a program that died while the daemon was down, or whose death
//! and restart the previous daemon saw but had not committed when it was SIGKILLed. At
//! start-up the history says which run of each program has no recorded end; when that run
//! is not the instance adopted now, its end is recorded with an unknown status, so the
//! history holds every death.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::state::Daemon;
use crate::config::ProgramEntry;
use crate::history::{kind, HistoryError, HistoryReader, HistoryRecord};

/// Program id → pid of its last run, for the `programs` whose last run has no recorded
/// end. An unreadable history is "nothing known" (a debug log): this only adds records.
pub(super) async fn open_runs(db: &Path, programs: Vec<String>) -> BTreeMap<String, u32> {
    let db: PathBuf = db.to_owned();
    match tokio::task::spawn_blocking(move || read(&db, &programs)).await {
        Ok(Ok(runs)) => runs,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "open runs not read");
            BTreeMap::new()
        }
        Err(e) => {
            tracing::debug!(error = %e, "open runs not read");
            BTreeMap::new()
        }
    }
}

fn read(db: &Path, programs: &[String]) -> Result<BTreeMap<String, u32>, HistoryError> {
    let reader = HistoryReader::open(db)?;
    // The newest event with a pid, walking the (program_id, ts_ms) index backwards: a
    // run's start, or its end.
    let mut stmt = reader.conn.prepare(
        "SELECT kind, pid FROM events WHERE program_id = ? AND pid IS NOT NULL \
         ORDER BY ts_ms DESC, id DESC LIMIT 1",
    )?;
    let mut open = BTreeMap::new();
    for program in programs {
        let last = stmt
            .query_map([program], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
            })?
            .next()
            .transpose()?;
        if let Some((_, pid)) = last.filter(|(k, _)| kind::RUN_PIDS.contains(&k.as_str())) {
            open.insert(program.clone(), pid);
        }
    }
    Ok(open)
}

impl Daemon {
    /// Records the end of run `pid` of `entry`, at `at` (before what replaced it).
    pub(super) fn record_unseen_exit(&self, entry: &ProgramEntry, pid: u32, at: i64) {
        let mut r = HistoryRecord::new(
            at,
            entry.spec.id.as_str(),
            entry.spec.display_name(),
            kind::EXITED,
        );
        r.pid = Some(pid);
        r.reason = Some(
            "ended while the daemon was not running, or just before it was killed: its status \
             is unknown"
                .into(),
        );
        tracing::info!(program = %entry.spec.id, pid, "recording an end no daemon recorded");
        if let Err(e) = self.0.history.record(r) {
            tracing::warn!(error = %e, "unseen exit not recorded");
        }
    }
}
