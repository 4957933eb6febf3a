//! One row of the history: [`HistoryRecord`], and the names of event kinds.

use serde::{Deserialize, Serialize};

/// Names stored in the `kind` column. Text rather than an integer enum so the database
/// stays readable with the `sqlite3` shell and old rows survive new kinds being added.
pub mod kind {
    /// The program was started (first start, or a start asked for by someone).
    pub const STARTED: &str = "started";
    /// The program's process ended (exit code or signal in the row).
    pub const EXITED: &str = "exited";
    /// A restart was scheduled after a death (`delay_ms` says when).
    pub const RESTART_SCHEDULED: &str = "restart_scheduled";
    /// The program was started again after a death: what "restarts" counts.
    pub const RESTARTED: &str = "restarted";
    /// The crash-loop breaker tripped; the program stays down until retried.
    pub const GAVE_UP: &str = "gave_up";
    /// A health check failed.
    pub const HEALTH_FAILED: &str = "health_failed";
    /// The program's processes stayed over its memory limit (`reason` says how much).
    pub const MEMORY_HIGH: &str = "memory_high";
    /// The program's windows did not answer pings (`reason`: "not responding for N s").
    pub const NOT_RESPONDING: &str = "not_responding";
    /// Its windows answer pings again (`reason`: after how long).
    pub const RESPONDING: &str = "responding";
    /// An `on_restart` or `on_give_up` hook failed or timed out (`reason` says how).
    pub const HOOK_FAILED: &str = "hook_failed";
    /// Protection was paused (program or all).
    pub const PAUSED: &str = "paused";
    /// Protection was resumed.
    pub const RESUMED: &str = "resumed";
    /// The program was stopped on request.
    pub const STOPPED: &str = "stopped";
    /// An already running process was adopted (e.g. after a daemon restart).
    pub const ADOPTED: &str = "adopted";
    /// A launcher exited 0 and left a process running, which is now the program's main
    /// process (the run goes on; `reason` names both pids).
    pub const HANDED_OFF: &str = "handed_off";
    /// A quick exit 0 that left nothing running (a single-instance app, a launcher whose
    /// program did not stay up): the run ended and is not restarted (`reason` says why).
    pub const NOTHING_LEFT: &str = "nothing_left";
    /// The process was left running when the daemon exited (the next daemon adopts it).
    pub const LEFT_RUNNING: &str = "left_running";
    /// The executable could not be started (missing, permission denied…).
    pub const SPAWN_FAILED: &str = "spawn_failed";
    /// The program's configuration changed.
    pub const CONFIG_CHANGED: &str = "config_changed";
    /// A program was put under supervision.
    pub const ADDED: &str = "added";
    /// A program was taken out of supervision.
    pub const REMOVED: &str = "removed";
    /// A program's spec was replaced.
    pub const UPDATED: &str = "updated";
    /// Someone asked to retry a program that gave up.
    pub const RETRIED: &str = "retried";
    /// The stop signal was sent to the program's group.
    pub const STOPPING: &str = "stopping";
    /// The program said it finished starting (sd_notify `READY=1`).
    pub const READY: &str = "ready";
    /// The program said it is shutting down on purpose (sd_notify `STOPPING=1`).
    pub const SHUTTING_DOWN: &str = "shutting_down";
    /// The program named another process of its tree its main process (`MAINPID=`): the
    /// run goes on in `pid`.
    pub const MAIN_CHANGED: &str = "main_changed";

    /// Kinds that begin a run of the program (for uptime).
    pub const RUN_STARTS: [&str; 3] = [STARTED, RESTARTED, ADOPTED];
    /// Kinds whose pid names the process a run goes on in: the run's starts, a launcher's
    /// hand-off to its heir, a main process the program named, and a release that left it
    /// running (what a daemon that was down looks for at start-up).
    pub const RUN_PIDS: [&str; 6] = [
        STARTED,
        RESTARTED,
        HANDED_OFF,
        MAIN_CHANGED,
        ADOPTED,
        LEFT_RUNNING,
    ];
    /// Kinds that end a run of the program (for uptime).
    pub const RUN_ENDS: [&str; 4] = [EXITED, STOPPED, NOTHING_LEFT, LEFT_RUNNING];
}

/// One event as stored in the history: one row of the `events` table.
///
/// Every field but the time, program and kind is optional because most kinds carry only
/// some of them (a `paused` event has no pid, a `started` one no exit code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryRecord {
    /// Row id, assigned by the database; `None` for a record not stored yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// When it happened: UTC milliseconds since the Unix epoch.
    pub ts_ms: i64,
    /// The program's stable id.
    pub program_id: String,
    /// The program's display name at the time of the event.
    pub program_name: String,
    /// What happened: one of the names in [`kind`].
    pub kind: String,
    /// The process id involved, if any.
    pub pid: Option<u32>,
    /// Exit code, when the process exited normally.
    pub exit_code: Option<i32>,
    /// Signal number, when the process was killed by a signal.
    pub signal: Option<i32>,
    /// Signal name (`SIGKILL`), alongside `signal`.
    pub signal_name: Option<String>,
    /// How long the process had been up when it exited.
    pub uptime_ms: Option<u64>,
    /// Delay before a scheduled restart.
    pub delay_ms: Option<u64>,
    /// Start attempt number since the last stable run.
    pub attempt: Option<u32>,
    /// Who asked for it (`ui`, `tray`, `cli`, `api`, `config`), for requested actions.
    pub requested_by: Option<String>,
    /// Free-text reason (the requester's, or the engine's explanation).
    pub reason: Option<String>,
    /// Anything else, as JSON (stored as JSON text).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub detail: Option<serde_json::Value>,
}

impl HistoryRecord {
    /// A record with only the required fields set; fill the rest with struct update syntax.
    pub fn new(ts_ms: i64, program_id: &str, program_name: &str, kind: &str) -> Self {
        Self {
            ts_ms,
            program_id: program_id.to_owned(),
            program_name: program_name.to_owned(),
            kind: kind.to_owned(),
            ..Self::default()
        }
    }

    /// A one-line human description of how a run ended ("killed by SIGKILL", "exit code 1"),
    /// preferring the recorded reason.
    pub fn exit_description(&self) -> String {
        if let Some(reason) = self.reason.as_deref().filter(|r| !r.is_empty()) {
            return reason.to_owned();
        }
        match (&self.signal_name, self.signal, self.exit_code) {
            (Some(name), _, _) => format!("killed by {name}"),
            (None, Some(sig), _) => format!("killed by signal {sig}"),
            (None, None, Some(code)) => format!("exit code {code}"),
            // A process that was not our child (adopted): its status cannot be known.
            (None, None, None) if self.kind == kind::EXITED => {
                "ended with an unknown status (adopted, not our child)".to_owned()
            }
            (None, None, None) => self.kind.replace('_', " "),
        }
    }
}

/// Milliseconds since the Unix epoch, now (UTC). Saturates rather than failing on a
/// clock set before 1970.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
