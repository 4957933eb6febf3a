//! Typed events: what happened to which program, when, and who asked.

use serde::{Deserialize, Serialize};

use crate::{Exit, ProgramId, RequestedBy, Signal};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EventKind {
    /// A program was put under supervision.
    Added,
    /// A program was taken out of supervision (after being stopped).
    Removed,
    /// A program's spec was replaced.
    Updated,
    /// A fresh instance started: first start, or a start control on a program that was down.
    Started,
    /// An instance started in place of one that died or was restarted on request:
    /// policy restarts, the restart control, a resume or retry after deaths.
    Restarted,
    /// An instance died without being asked to (`exit_*`, `signal`, `uptime_ms` say how).
    Exited,
    /// A restart will happen after `delay_ms`.
    RestartScheduled,
    /// Starting failed (missing executable, permission denied…); `reason` says why.
    /// Counts as a quick death for the backoff and the breaker.
    SpawnFailed,
    /// The crash-loop breaker tripped; the program stays down until retried.
    GaveUp,
    /// Restarts are held (program or global pause); `until` says until when, if set.
    Paused,
    /// A pause ended.
    Resumed,
    /// Someone asked to retry a program that gave up.
    Retried,
    /// The stop signal was sent to the program's group (or SIGKILL, after the grace).
    Stopping,
    /// The program is down on request; `exit_*` say how the last instance ended, if one ran.
    Stopped,
    /// The main process (a launcher) exited 0 and left a process of its tree running, which
    /// is followed from now on: `pid` is the new main process; no restart.
    HandedOff,
    /// The main process exited 0 quickly and nothing of its tree was left (e.g. a
    /// single-instance app that passed its request on); not restarted, `reason` says why.
    NothingLeft,
    /// A process that was already running became the program's instance (`pid`).
    Adopted,
    /// The health check failed too often in a row; the program is restarted (`reason`).
    HealthFailed,
    /// The program's processes stayed over its memory limit (`reason` says how much); it
    /// is restarted, or only reported when its limit's action is `notify`.
    MemoryHigh,
    /// The program's windows did not answer `_NET_WM_PING` for a while (`reason` says how
    /// long); it is restarted too once that is past its `restart_after`.
    NotResponding,
    /// Its windows answer pings again after a `not_responding` (`reason` says after how long).
    Responding,
    /// An `on_restart` or `on_give_up` hook failed, timed out or could not run (`reason`).
    HookFailed,
    /// The program said it finished starting (sd_notify `READY=1`); once per instance.
    Ready,
    /// The program said a new status line (sd_notify `STATUS=…`, in `reason`); a line
    /// repeated unchanged is not an event.
    Status,
    /// The program said it is shutting down on purpose (sd_notify `STOPPING=1`): its clean
    /// exit that follows is a deliberate stop, not a crash.
    ShuttingDown,
    /// The program named another process of its tree its main process (sd_notify
    /// `MAINPID=`): `pid` is the new main process, watched from now on; the old one's
    /// exit is no longer the program's death. No restart.
    MainChanged,
}

/// One event. Serializes to one flat JSON object (see [`Event::to_json_line`]) with the keys
/// `ts, event, program, name, pid, attempt, exit, exit_code, signal, signal_number,
/// core_dumped, uptime_ms, delay_ms, until, requested_by, reason` — absent values are `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "EventLine", from = "EventLine")]
pub struct Event {
    /// Wall-clock time, milliseconds since the Unix epoch (UTC).
    pub ts: u64,
    /// What happened.
    pub kind: EventKind,
    /// The program's id.
    pub program: ProgramId,
    /// The program's display name.
    pub name: String,
    /// The process concerned, when there is one.
    pub pid: Option<u32>,
    /// Failed starts in a row before this one (0 after a stable run or a manual start).
    pub attempt: u32,
    /// How the instance ended (exited, stopped).
    pub exit: Option<Exit>,
    /// How long the instance had run (exited, stopped).
    pub uptime_ms: Option<u64>,
    /// Delay before the scheduled restart (restart_scheduled).
    pub delay_ms: Option<u64>,
    /// End of a pause, ms since the epoch (paused with an end time).
    pub until: Option<u64>,
    /// Who asked, for events caused by a control; `None` for the engine's own decisions.
    pub requested_by: Option<RequestedBy>,
    /// The control's reason, or the engine's explanation (spawn error, breaker numbers).
    pub reason: Option<String>,
}

impl Event {
    /// The event as one line of JSON, without the newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(&EventLine::from(self.clone()))
            .unwrap_or_else(|e| format!("{{\"event\":\"error\",\"reason\":\"{e}\"}}"))
    }
}

/// The TypeScript declaration of the flat event line (`EngineEvent`), for the desktop
/// contract (`ui/src/contract.ts`).
#[cfg(feature = "ts")]
pub fn event_line_decl(cfg: &ts_rs::Config) -> String {
    <EventLine as ts_rs::TS>::decl(cfg)
}

/// The flat wire form of [`Event`].
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "EngineEvent"))]
struct EventLine {
    ts: u64,
    event: EventKind,
    program: ProgramId,
    name: String,
    pid: Option<u32>,
    attempt: u32,
    exit: Option<String>,
    exit_code: Option<i32>,
    signal: Option<Signal>,
    signal_number: Option<i32>,
    core_dumped: Option<bool>,
    uptime_ms: Option<u64>,
    delay_ms: Option<u64>,
    until: Option<u64>,
    requested_by: Option<RequestedBy>,
    reason: Option<String>,
}

impl From<Event> for EventLine {
    fn from(e: Event) -> Self {
        let (exit, exit_code, signal, core_dumped) = match e.exit {
            None => (None, None, None, None),
            Some(Exit::Code(c)) => (Some("code"), Some(c), None, None),
            Some(Exit::Signal {
                signal,
                core_dumped,
            }) => (Some("signal"), None, Some(signal), Some(core_dumped)),
            Some(Exit::Unknown) => (Some("unknown"), None, None, None),
        };
        EventLine {
            ts: e.ts,
            event: e.kind,
            program: e.program,
            name: e.name,
            pid: e.pid,
            attempt: e.attempt,
            exit: exit.map(str::to_owned),
            exit_code,
            signal,
            signal_number: signal.map(Signal::number),
            core_dumped,
            uptime_ms: e.uptime_ms,
            delay_ms: e.delay_ms,
            until: e.until,
            requested_by: e.requested_by,
            reason: e.reason,
        }
    }
}

impl From<EventLine> for Event {
    fn from(l: EventLine) -> Self {
        let exit = match (l.exit.as_deref(), l.exit_code, l.signal) {
            (_, Some(code), _) => Some(Exit::Code(code)),
            (_, None, Some(signal)) => Some(Exit::Signal {
                signal,
                core_dumped: l.core_dumped.unwrap_or(false),
            }),
            (Some(_), None, None) => Some(Exit::Unknown),
            (None, None, None) => None,
        };
        Event {
            ts: l.ts,
            kind: l.event,
            program: l.program,
            name: l.name,
            pid: l.pid,
            attempt: l.attempt,
            exit,
            uptime_ms: l.uptime_ms,
            delay_ms: l.delay_ms,
            until: l.until,
            requested_by: l.requested_by,
            reason: l.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_flat_with_run_fields() {
        let e = Event {
            ts: 1,
            kind: EventKind::Exited,
            program: ProgramId::new("a").unwrap(),
            name: "A".into(),
            pid: Some(42),
            attempt: 0,
            exit: Some(Exit::Signal {
                signal: Signal::KILL,
                core_dumped: false,
            }),
            uptime_ms: Some(1500),
            delay_ms: None,
            until: None,
            requested_by: None,
            reason: None,
        };
        let v: serde_json::Value = serde_json::from_str(&e.to_json_line()).unwrap();
        for key in [
            "ts",
            "event",
            "program",
            "pid",
            "attempt",
            "exit_code",
            "signal",
            "uptime_ms",
            "delay_ms",
            "reason",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["event"], "exited");
        assert_eq!(v["signal"], "SIGKILL");
        assert_eq!(v["signal_number"], 9);
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }
}
