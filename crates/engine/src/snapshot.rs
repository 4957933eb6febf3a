//! Point-in-time views of the supervisor, for UIs and status commands.

use serde::{Deserialize, Serialize};

use crate::clock::{ms, to_wall_ms};
use crate::machine::{Machine, Pause, State, Wanted};
use crate::{Exit, Instance, ProgramId, ProgramSpec};

/// Every program, plus the global pause.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Snapshot {
    /// Whether protection is paused for all programs.
    pub paused: bool,
    /// When the global pause ends (ms since the epoch), if it has an end.
    pub paused_until: Option<u64>,
    /// The programs, by id.
    pub programs: Vec<ProgramSnapshot>,
}

/// One program's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramSnapshot {
    /// Its id.
    pub id: ProgramId,
    /// Its display name.
    pub name: String,
    /// Its full spec.
    pub spec: ProgramSpec,
    /// What it is doing.
    pub state: Observed,
    /// What is wanted.
    #[cfg_attr(feature = "ts", ts(type = r#""up" | "down""#))]
    pub wanted: Wanted,
    /// Whether its restarts are held (own or global pause).
    pub paused: bool,
    /// When its own pause ends (ms since the epoch), if paused with an end.
    pub paused_until: Option<u64>,
    /// Instances started in place of another so far.
    pub restarts: u64,
    /// Quick deaths in a row.
    pub attempt: u32,
    /// How the last instance ended.
    pub last_exit: Option<Exit>,
    /// Deaths of running instances (kills, crashes; not stops) in the last hour: a
    /// program that keeps being killed is restarted every time, and this says how often.
    #[serde(default)]
    pub deaths_last_hour: u32,
    /// The running instance (main pid + start time, tree token, group) while one runs:
    /// what a state file keeps to re-adopt it with
    /// [`Supervisor::adopt`](crate::Supervisor::adopt) after a restart of the supervisor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub instance: Option<Instance>,
    /// Why protection is not active although the program was wanted up (it ended in a
    /// way Lifeguard cannot follow), for the window and `status` to say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unprotected: Option<String>,
    /// For a program that notifies (`spec.sd_notify`): whether the running instance said
    /// `READY=1`; until then the window and tray say "starting".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ready: bool,
    /// The running instance's last `STATUS=` line, in its own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk_status: Option<String>,
}

/// The observed state with wall-clock times (ms since the epoch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Observed {
    /// Down on request, or never started.
    Stopped,
    /// Being started.
    Starting,
    /// Up.
    Running {
        /// Its pid.
        pid: u32,
        /// Since when.
        since: u64,
    },
    /// Being stopped.
    Stopping {
        /// Its pid.
        pid: u32,
        /// When SIGKILL follows, unless already sent.
        kill_at: Option<u64>,
    },
    /// Waiting to restart.
    Backoff {
        /// When it restarts.
        next_restart: u64,
        /// How long that is from now, in ms.
        delay_ms: u64,
    },
    /// Down, wanted up, restart held by a pause.
    Held {
        /// Since when.
        since: u64,
    },
    /// Ended; the policy says no restart.
    Exited {
        /// How.
        exit: Exit,
        /// When.
        at: u64,
    },
    /// The crash-loop breaker tripped; down until retried.
    GaveUp {
        /// When.
        at: u64,
        /// Deaths in the window.
        deaths: u32,
    },
}

impl ProgramSnapshot {
    pub(crate) fn of(m: &Machine) -> Self {
        let now = crate::clock::now();
        let state = match *m.state() {
            State::Stopped => Observed::Stopped,
            State::Starting { .. } | State::Seeking { .. } => Observed::Starting,
            State::Running { pid, since, .. } => Observed::Running {
                pid,
                since: to_wall_ms(since),
            },
            State::Stopping {
                pid,
                deadline,
                killed,
                ..
            } => Observed::Stopping {
                pid,
                kill_at: (!killed).then(|| to_wall_ms(deadline)),
            },
            State::Backoff { until, .. } => Observed::Backoff {
                next_restart: to_wall_ms(until),
                delay_ms: ms(until.saturating_duration_since(now)),
            },
            State::Held { since, .. } => Observed::Held {
                since: to_wall_ms(since),
            },
            State::Exited { exit, at } => Observed::Exited {
                exit,
                at: to_wall_ms(at),
            },
            State::GaveUp { at, deaths } => Observed::GaveUp {
                at: to_wall_ms(at),
                deaths,
            },
        };
        let spec = m.spec().clone();
        Self {
            id: spec.id.clone(),
            name: spec.display_name().to_owned(),
            spec,
            state,
            wanted: m.wanted(),
            paused: m.pauses().active(),
            paused_until: m.pauses().own().and_then(Pause::end).map(to_wall_ms),
            restarts: m.restarts(),
            attempt: m.attempt(),
            last_exit: m.last_exit(),
            deaths_last_hour: m.deaths_last_hour(now),
            instance: None,
            unprotected: m.unprotected().map(str::to_owned),
            ready: m.talked().ready,
            talk_status: m.talked().status.clone(),
        }
    }
}

impl ProgramSnapshot {
    /// "killed 40 times in the last hour" ("died" when the last end was not a signal), or
    /// `None` with no death in the hour: a program that keeps being killed after running is
    /// restarted every time, and this is where a person sees how often.
    pub fn deaths_note(&self) -> Option<String> {
        let verb = match self.last_exit {
            Some(Exit::Signal { .. }) => "killed",
            _ => "died",
        };
        match self.deaths_last_hour {
            0 => None,
            1 => Some(format!("{verb} once in the last hour")),
            n => Some(format!("{verb} {n} times in the last hour")),
        }
    }
}

/// How one program ended at shutdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StopReport {
    /// The program.
    pub program: ProgramId,
    /// How its last instance ended; `None` if none was running.
    pub exit: Option<Exit>,
    /// Whether the group had to be SIGKILLed after the grace period.
    pub killed_after_grace: bool,
}
