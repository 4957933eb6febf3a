//! What the machine is told ([`Input`]) and what it asks for ([`Action`], [`Note`]).

use std::time::{Duration, Instant};

use super::{Pause, Talk};
use crate::{EventKind, Exit, ProgramSpec, Signal};

/// Which pause a pause or resume input is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// This program's own pause.
    Program,
    /// The global pause (resume with this scope clears both).
    Global,
}

/// What happened, for the machine to react to.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The program was put under supervision (its first input), under the global pause in
    /// force then, if any.
    Added {
        /// The global pause it is born under.
        paused: Option<Pause>,
    },
    /// Want it up (add, start).
    Start,
    /// Want it down.
    Stop,
    /// Stop it if running, then start it.
    Restart,
    /// Start again after giving up, with a clean tally.
    Retry,
    /// Hold restarts, optionally until a time.
    Pause {
        /// Which pause.
        scope: Scope,
        /// When it ends by itself.
        until: Option<Instant>,
    },
    /// Release a pause.
    Resume {
        /// Which pause (Global releases both).
        scope: Scope,
    },
    /// New rules (same id); a running program whose launch (argv, cwd, env, outputs)
    /// changed is restarted.
    Update {
        /// The new spec.
        spec: Box<ProgramSpec>,
    },
    /// Supervision ends but the process is left running ("stop protecting").
    Release,
    /// The program leaves supervision (once down): the `removed` note.
    Removed,
    /// The spawn succeeded.
    Spawned {
        /// The new process's id.
        pid: u32,
    },
    /// The spawn failed.
    SpawnFailed {
        /// Why, for the event.
        reason: String,
    },
    /// The process died.
    Died {
        /// How.
        exit: Exit,
    },
    /// The deadline from [`Machine::deadline`](super::Machine::deadline) passed.
    Timer,
    /// Watch an already running process as this program's instance (adoption).
    Adopt {
        /// The adopted process.
        pid: u32,
    },
    /// The answer to [`Action::FindHeir`]: the process of the tree to follow, if any.
    Heir {
        /// The new main process, or `None` when nothing of the tree is left.
        pid: Option<u32>,
    },
    /// The answer to [`Action::FindHeir`] when nothing of the tree is left but the
    /// embedder's [`FindCopy`](crate::FindCopy) hook found the copy already running that
    /// the start handed its request to (a single-instance app).
    Copy {
        /// The running copy, watched from now on.
        pid: u32,
    },
    /// The health check failed often enough in a row to restart the program.
    HealthFailed {
        /// What the last check saw.
        reason: String,
    },
    /// The program stayed over its memory limit (`memory.rs`): restart it (`restart`) or
    /// only record it.
    OverMemory {
        /// The cause in words ("using 812 MB, over its 500 MB limit …").
        reason: String,
        /// Whether to restart it (else only a `memory_high` event).
        restart: bool,
    },
    /// The program's windows did not answer `_NET_WM_PING` (the embedder's pinger):
    /// restart it (`restart`, with its stop signal and grace) or only record it.
    NotResponding {
        /// The cause in words ("not responding for 30 s").
        reason: String,
        /// Whether to restart it (else only a `not_responding` event).
        restart: bool,
    },
    /// Its windows answer pings again after a `not_responding` event.
    Responding {
        /// In words ("responding again after 42 s").
        reason: String,
    },
    /// The machine slept this long (monotonic time between the sleep announcement and now,
    /// see `sleep.rs`): none of it counts as uptime, backoff or breaker window.
    Slept {
        /// How long.
        asleep: Duration,
    },
    /// A message of the running instance (sd_notify, `talk.rs`), already checked by the
    /// embedder to come from the program's own tree.
    Talk(Talk),
}

/// What the machine asks its owner to do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start a new instance and answer with Spawned or SpawnFailed.
    Spawn,
    /// Send `signal` to every process of the instance's tree (its group, its descendants,
    /// orphans carrying its marker). Sent after the main process died, it clears the rest.
    SignalTree {
        /// The instance's main process.
        pid: u32,
        /// The signal.
        signal: Signal,
    },
    /// Look for a live process of the tree to follow and answer with [`Input::Heir`].
    FindHeir,
    /// Publish an event.
    Emit(Note),
}

/// The machine's part of an event; the owner adds time, program and origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// What happened.
    pub kind: EventKind,
    /// The process concerned.
    pub pid: Option<u32>,
    /// Quick deaths in a row.
    pub attempt: u32,
    /// How the instance ended.
    pub exit: Option<Exit>,
    /// How long it had run.
    pub uptime: Option<Duration>,
    /// Delay before a restart.
    pub delay: Option<Duration>,
    /// End of a pause.
    pub until: Option<Instant>,
    /// The engine's explanation.
    pub reason: Option<String>,
}

impl Note {
    /// A note of `kind` with nothing else filled in.
    pub fn new(kind: EventKind) -> Self {
        Self {
            kind,
            pid: None,
            attempt: 0,
            exit: None,
            uptime: None,
            delay: None,
            until: None,
            reason: None,
        }
    }
}

/// The action that publishes `note`.
pub(super) fn emit(note: Note) -> Action {
    Action::Emit(note)
}
