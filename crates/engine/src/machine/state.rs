//! What a program is observed to be doing ([`State`]) and what is wanted of it
//! ([`Wanted`]): the two halves of runit's "state vs want", kept apart.

use std::time::{Duration, Instant};

use crate::Exit;

/// What the program is observed to be doing. Each variant carries only its own data.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Down because it is wanted down (or was never started).
    Stopped,
    /// A spawn was asked for; transient: the actor answers with Spawned or SpawnFailed.
    Starting {
        /// Quick deaths in a row before this start.
        attempt: u32,
        /// Whether this start replaces an instance (emits `restarted`, not `started`).
        restart: bool,
    },
    /// Up.
    Running {
        /// The process (and process group) id.
        pid: u32,
        /// When it started.
        since: Instant,
        /// Quick deaths in a row before this start.
        attempt: u32,
        /// Whether it is a process a launcher handed off to (whose own quick exit, with a
        /// status we may not know, can be one more hand-off).
        heir: bool,
        /// Whether it was adopted (re-adopted after a daemon restart, or picked): past any
        /// launcher window, so its clean exit is the user's quit, however soon it comes.
        adopted: bool,
    },
    /// The stop signal was sent; waiting for it to die. What follows is decided by
    /// [`Wanted`] once it is down (and by `cause`, when it is wanted up).
    Stopping {
        /// The process (and process group) id.
        pid: u32,
        /// When it started, for the uptime.
        since: Instant,
        /// When to SIGKILL the group.
        deadline: Instant,
        /// Whether SIGKILL was already sent.
        killed: bool,
        /// Why it is being stopped.
        cause: Cause,
    },
    /// Transient: the main process exited 0 quickly; the owner looks for a process of its
    /// tree to follow (a launcher's heir) and answers with [`Input::Heir`](super::Input::Heir).
    Seeking {
        /// The process that exited.
        pid: u32,
        /// How long it ran.
        uptime: Duration,
        /// Quick deaths in a row before its start.
        attempt: u32,
        /// How it exited.
        exit: Exit,
    },
    /// Waiting to restart after a quick death.
    Backoff {
        /// When to start.
        until: Instant,
        /// Quick deaths in a row.
        attempt: u32,
    },
    /// Down and wanted up, but restarts are held by a pause; started on resume.
    Held {
        /// Since when.
        since: Instant,
        /// Quick deaths in a row.
        attempt: u32,
    },
    /// Ended and the restart policy says not to restart.
    Exited {
        /// How it ended.
        exit: Exit,
        /// When.
        at: Instant,
    },
    /// The crash-loop breaker tripped: down until retried.
    GaveUp {
        /// When.
        at: Instant,
        /// Deaths counted in the window.
        deaths: u32,
    },
}

/// Why a running program is being stopped: what its end counts as if it is still wanted
/// up once it is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A control (stop, restart, an update of its launch, removal): wanted up, it starts
    /// afresh.
    Asked,
    /// Its health check failed: wanted up, the end is a failure, restarted by the policy.
    Unhealthy,
    /// It stayed over its memory limit: like [`Cause::Unhealthy`], with that cause.
    OverMemory,
    /// Its windows stopped answering pings: like [`Cause::Unhealthy`], with that cause.
    NotResponding,
    /// Its watchdog bit (`WATCHDOG=1` not repeated in time): like [`Cause::Unhealthy`].
    Watchdog,
}

/// What the user wants, apart from pauses. Only controls change it; whenever the program
/// is down, it decides what follows (see [`Machine`](super::Machine)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wanted {
    /// Keep it running.
    Up,
    /// Keep it stopped.
    Down,
}

impl State {
    /// The live instance's main process: while it runs or is being stopped.
    pub fn live_pid(&self) -> Option<u32> {
        match self {
            State::Running { pid, .. } | State::Stopping { pid, .. } => Some(*pid),
            _ => None,
        }
    }
}
