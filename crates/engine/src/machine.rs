//! The restart state machine: pure, no I/O, no clock of its own (`now` is passed in).
//!
//! ```text
//!            Start                Spawned                Died (policy: done)
//!  Stopped ───────▶ Starting ─────────────▶ Running ─────────────────────▶ Exited
//!     ▲                ▲  │ SpawnFailed      │  │ Died (policy: restart)
//!     │ Stop           │  ▼                  │  ▼
//!     │            Timer/Resume ◀── Backoff ◀┴──●──▶ GaveUp (breaker tripped; Retry → Starting)
//!     │                          └─ Held (paused) ◀─┘
//!     └── Stopping ◀── Stop/Restart (from Running); Timer → SIGKILL; Died → Stopped/Starting
//! ```
//!
//! What is *wanted* (up/down, paused) is kept apart from what *is* ([`State`]): a pause never
//! changes the state of a running program; it only holds restarts.

use std::time::{Duration, Instant};

use crate::backoff::Backoff;
use crate::breaker::Breaker;
use crate::tally::DeathTally;
use crate::{EventKind, Exit, ProgramSpec, Signal};

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
    },
    /// The stop signal was sent; waiting for it to die.
    Stopping {
        /// The process (and process group) id.
        pid: u32,
        /// When it started, for the uptime.
        since: Instant,
        /// When to SIGKILL the group.
        deadline: Instant,
        /// Whether SIGKILL was already sent.
        killed: bool,
        /// What follows once it is down.
        then: Then,
    },
    /// Transient: the main process exited 0 quickly; the owner looks for a process of its
    /// tree to follow (a launcher's heir) and answers with [`Input::Heir`].
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

/// What follows a stop once the program is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// Stay down (stop control).
    Down,
    /// Start afresh (restart control).
    Start,
    /// Treat the end as a failure and restart by the policy (failed health checks).
    Recover,
    /// Like `Recover`, for a program over its memory limit.
    OverMemory,
}

/// What the user wants, apart from pauses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wanted {
    /// Keep it running.
    Up,
    /// Keep it stopped.
    Down,
}

/// Which pause a pause or resume input is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// This program's own pause.
    Program,
    /// The global pause (resume with this scope clears both).
    Global,
}

/// The two pauses that may hold a program's restarts: `None` = not paused,
/// `Some(None)` = paused until resumed, `Some(Some(t))` = paused until `t`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pause {
    /// The program's own pause.
    pub program: Option<Option<Instant>>,
    /// The global pause, as this program saw it.
    pub global: Option<Option<Instant>>,
}

impl Pause {
    /// Whether restarts are held.
    pub fn active(&self) -> bool {
        self.program.is_some() || self.global.is_some()
    }
}

/// What happened, for the machine to react to.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
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
    /// The deadline from [`Machine::deadline`] passed.
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
    /// The machine slept this long (monotonic time between the sleep announcement and now,
    /// see `machine_sleep.rs`): none of it counts as uptime, backoff or breaker window.
    Slept {
        /// How long.
        asleep: Duration,
    },
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

/// One program's supervision state: observed state, wishes, and the restart memory.
#[derive(Clone, Debug)]
pub struct Machine {
    /// What it is doing.
    pub state: State,
    /// What is wanted.
    pub wanted: Wanted,
    /// Pauses holding its restarts.
    pub pause: Pause,
    /// Restarts so far (instances started in place of another).
    pub restarts: u64,
    /// How the last instance ended.
    pub last_exit: Option<Exit>,
    /// Why protection is not active although the program was wanted up: it ended in a way
    /// Lifeguard cannot follow (a quick exit 0 that left nothing and no copy to watch).
    /// Only ever set while [`State::Exited`].
    pub unprotected: Option<String>,
    pub(crate) spec: ProgramSpec,
    pub(crate) backoff: Backoff,
    pub(crate) breaker: Breaker,
    pub(crate) deaths: DeathTally,
}

impl Machine {
    /// A stopped program; `seed` feeds the backoff jitter.
    pub fn new(spec: ProgramSpec, seed: u64) -> Self {
        Self {
            state: State::Stopped,
            wanted: Wanted::Down,
            pause: Pause::default(),
            restarts: 0,
            last_exit: None,
            unprotected: None,
            spec,
            backoff: Backoff::new(seed),
            breaker: Breaker::default(),
            deaths: DeathTally::default(),
        }
    }

    /// Replaces the rules (restart policy, backoff, breaker, stop signal and grace).
    pub fn set_spec(&mut self, spec: ProgramSpec) {
        self.spec = spec;
    }

    /// Reacts to `input` at `now`: updates the state and returns the actions to carry out.
    /// Inputs that make no sense in the current state are ignored (no actions).
    pub fn step(&mut self, input: Input, now: Instant) -> Vec<Action> {
        use Input as I;
        use State as S;
        let mut out = self.expire_pauses(now);
        let more = match (&self.state, input) {
            (_, I::Pause { scope, until }) => self.pause(scope, until, now),
            (_, I::Resume { scope }) => self.resume(scope, now),
            (_, I::Slept { asleep }) => self.slept(asleep),
            (S::Stopped | S::Exited { .. }, I::Start | I::Restart) => self.start_fresh(),
            (S::Backoff { attempt, .. } | S::Held { attempt, .. }, I::Start | I::Restart) => {
                self.start(*attempt, true)
            }
            (S::GaveUp { .. }, I::Start | I::Restart | I::Retry) => self.retry(),
            (S::Starting { .. }, I::Spawned { pid }) => self.running(pid, now),
            (S::Starting { .. }, I::SpawnFailed { reason }) => self.spawn_failed(reason, now),
            (S::Running { .. }, I::Died { exit }) => self.died(exit, now),
            (S::Running { .. }, I::Stop) => self.stopping(Then::Down, now),
            (S::Running { .. }, I::Restart) => self.stopping(Then::Start, now),
            (S::Seeking { .. }, I::Heir { pid: Some(pid) }) => self.handed_off(pid, now),
            (S::Seeking { .. }, I::Heir { pid: None }) => self.no_copy(now),
            (S::Seeking { .. }, I::Copy { pid }) => self.handed_to_copy(pid, now),
            (S::Stopped, I::Adopt { pid }) => self.adopted(pid, now),
            (S::Running { .. }, I::HealthFailed { reason }) => self.unhealthy(reason, now),
            (S::Running { .. }, I::OverMemory { reason, restart }) => {
                self.over_memory(reason, restart, now)
            }
            (
                S::Stopping {
                    then: Then::Recover | Then::OverMemory,
                    ..
                },
                I::Died { exit },
            ) => self.recovered(exit, now),
            (S::Stopping { .. }, I::Died { exit }) => self.stopped(exit, now),
            (
                S::Stopping {
                    killed: false,
                    deadline,
                    ..
                },
                I::Timer,
            ) if now >= *deadline => self.kill_after_grace(),
            (S::Stopping { .. }, I::Start | I::Restart) => self.retarget(Wanted::Up),
            (S::Stopping { .. }, I::Stop) => self.retarget(Wanted::Down),
            (S::Backoff { until, attempt }, I::Timer) if now >= *until => {
                self.start(*attempt, true)
            }
            (S::Backoff { .. } | S::Held { .. } | S::Exited { .. } | S::GaveUp { .. }, I::Stop) => {
                self.down()
            }
            (
                _,
                I::Start
                | I::Stop
                | I::Restart
                | I::Retry
                | I::Spawned { .. }
                | I::SpawnFailed { .. }
                | I::Died { .. }
                | I::Timer
                | I::Adopt { .. }
                | I::Heir { .. }
                | I::Copy { .. }
                | I::HealthFailed { .. }
                | I::OverMemory { .. },
            ) => Vec::new(),
        };
        if !matches!(self.state, State::Exited { .. }) {
            self.unprotected = None;
        }
        out.extend(more);
        out
    }

    /// The one instant at which the machine wants a [`Input::Timer`], if any.
    pub fn deadline(&self) -> Option<Instant> {
        let state = match self.state {
            State::Backoff { until, .. } => Some(until),
            State::Stopping {
                deadline,
                killed: false,
                ..
            } => Some(deadline),
            _ => None,
        };
        let pauses = [self.pause.program, self.pause.global]
            .into_iter()
            .flatten()
            .flatten();
        state.into_iter().chain(pauses).min()
    }

    /// Quick deaths in a row so far.
    pub fn attempt(&self) -> u32 {
        self.backoff.streak()
    }

    /// Deaths of running instances (not stops) in the hour before `now`.
    pub fn deaths_last_hour(&self, now: Instant) -> u32 {
        self.deaths.last_hour(now)
    }

    /// The spec the machine runs with.
    pub fn spec(&self) -> &ProgramSpec {
        &self.spec
    }
}

// Transitions: each returns the actions of one arm of `step`.
impl Machine {
    fn start_fresh(&mut self) -> Vec<Action> {
        self.backoff.reset();
        self.start(0, false)
    }

    fn start(&mut self, attempt: u32, restart: bool) -> Vec<Action> {
        self.wanted = Wanted::Up;
        self.state = State::Starting { attempt, restart };
        vec![Action::Spawn]
    }

    fn retry(&mut self) -> Vec<Action> {
        self.breaker.reset();
        self.backoff.reset();
        let mut out = vec![emit(Note::new(EventKind::Retried))];
        out.extend(self.start(0, true));
        out
    }

    fn running(&mut self, pid: u32, now: Instant) -> Vec<Action> {
        let State::Starting { attempt, restart } = self.state else {
            return Vec::new();
        };
        self.state = State::Running {
            pid,
            since: now,
            attempt,
            heir: false,
        };
        self.restarts += u64::from(restart);
        let kind = if restart {
            EventKind::Restarted
        } else {
            EventKind::Started
        };
        vec![emit(Note {
            pid: Some(pid),
            attempt,
            ..Note::new(kind)
        })]
    }

    fn spawn_failed(&mut self, reason: String, now: Instant) -> Vec<Action> {
        let attempt = self.backoff.streak();
        let note = Note {
            attempt,
            reason: Some(reason),
            ..Note::new(EventKind::SpawnFailed)
        };
        self.after_death(vec![emit(note)], None, now)
    }

    fn died(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Running {
            pid,
            since,
            attempt,
            heir,
        } = self.state
        else {
            return Vec::new();
        };
        let uptime = now.saturating_duration_since(since);
        // An heir that is not our child ends with an unknown status: a launcher's
        // intermediate process looks just like that.
        let clean = exit == Exit::Code(0) || (heir && exit == Exit::Unknown);
        if clean && uptime < LAUNCHER_WINDOW {
            // Launchers exit 0 at once and leave the program running: look before restarting.
            // Later, a clean exit is the user's quit: what the program leaves is theirs.
            self.state = State::Seeking {
                pid,
                uptime,
                attempt,
                exit,
            };
            return vec![Action::FindHeir];
        }
        self.death(pid, attempt, uptime, exit, now)
    }

    /// The main process is gone for good: recorded, its tree stopped, restarted by the policy.
    pub(super) fn death(
        &mut self,
        pid: u32,
        attempt: u32,
        uptime: Duration,
        exit: Exit,
        now: Instant,
    ) -> Vec<Action> {
        self.last_exit = Some(exit);
        self.deaths.record(now);
        let note = Note {
            pid: Some(pid),
            attempt,
            exit: Some(exit),
            uptime: Some(uptime),
            ..Note::new(EventKind::Exited)
        };
        // Liveness follows the main process: whatever it left behind goes with it.
        let out = vec![
            emit(note),
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
        ];
        if !crate::policy::should_restart(&self.spec.restart, &exit) {
            self.state = State::Exited { exit, at: now };
            return out;
        }
        self.after_death(out, Some(uptime), now)
    }

    /// A death (or failed start, `uptime: None`) that the policy wants answered by a restart.
    fn after_death(
        &mut self,
        out: Vec<Action>,
        uptime: Option<Duration>,
        now: Instant,
    ) -> Vec<Action> {
        let real_run = uptime.is_some_and(|up| up >= self.spec.backoff.min_uptime);
        self.answer_death(out, uptime, real_run, now)
    }

    /// Like [`Machine::after_death`], for an instance stopped because its health check
    /// failed: however long it ran, it was not working, so the breaker counts it (a program
    /// that keeps failing its check is given up on rather than restarted forever).
    pub(super) fn after_unhealthy_death(
        &mut self,
        out: Vec<Action>,
        uptime: Duration,
        now: Instant,
    ) -> Vec<Action> {
        self.answer_death(out, Some(uptime), false, now)
    }

    fn answer_death(
        &mut self,
        mut out: Vec<Action>,
        uptime: Option<Duration>,
        real_run: bool,
        now: Instant,
    ) -> Vec<Action> {
        // Only quick deaths (and failed starts) are a crash loop; a real run clears the
        // tally, so a program that keeps being killed after running is never given up on.
        if real_run {
            self.breaker.reset();
        } else if self.breaker.record(&self.spec.breaker, now) {
            let deaths = self.breaker.count();
            let window = crate::duration::words(self.spec.breaker.window);
            let min = crate::duration::words(self.spec.backoff.min_uptime);
            self.state = State::GaveUp { at: now, deaths };
            let reason = format!(
                "{deaths} deaths within {window}, each within {min} of its start: \
                 gave up until retried"
            );
            let attempt = self.backoff.streak();
            out.push(emit(Note {
                attempt,
                reason: Some(reason),
                ..Note::new(EventKind::GaveUp)
            }));
            return out;
        }
        let delay = self.backoff.on_death(&self.spec.backoff, uptime);
        let attempt = self.backoff.streak();
        if self.pause.active() {
            self.state = State::Held {
                since: now,
                attempt,
            };
            return out;
        }
        let note = Note {
            attempt,
            delay: Some(delay),
            ..Note::new(EventKind::RestartScheduled)
        };
        out.push(emit(note));
        if delay.is_zero() {
            out.extend(self.start(attempt, true));
        } else {
            self.state = State::Backoff {
                until: crate::clock::later(now, delay),
                attempt,
            };
        }
        out
    }

    fn stopping(&mut self, then: Then, now: Instant) -> Vec<Action> {
        let State::Running {
            pid,
            since,
            attempt,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        let signal = self.spec.stop_signal;
        let deadline = crate::clock::later(now, self.spec.stop_grace);
        let killed = signal == Signal::KILL;
        self.wanted = if then == Then::Down {
            Wanted::Down
        } else {
            Wanted::Up
        };
        self.state = State::Stopping {
            pid,
            since,
            deadline,
            killed,
            then,
        };
        let note = Note {
            pid: Some(pid),
            attempt,
            ..Note::new(EventKind::Stopping)
        };
        vec![Action::SignalTree { pid, signal }, emit(note)]
    }

    fn kill_after_grace(&mut self) -> Vec<Action> {
        let State::Stopping {
            pid,
            ref mut killed,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        *killed = true;
        let grace = crate::duration::words(self.spec.stop_grace);
        let reason = format!(
            "still running {grace} after {}: SIGKILL",
            self.spec.stop_signal
        );
        let note = Note {
            pid: Some(pid),
            reason: Some(reason),
            ..Note::new(EventKind::Stopping)
        };
        vec![
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
            emit(note),
        ]
    }

    fn retarget(&mut self, wanted: Wanted) -> Vec<Action> {
        if let State::Stopping { ref mut then, .. } = self.state {
            *then = match (wanted, *then) {
                (Wanted::Down, _) => Then::Down,
                (Wanted::Up, Then::Down) => Then::Start,
                (Wanted::Up, other) => other,
            };
        }
        self.wanted = wanted;
        Vec::new()
    }

    fn stopped(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Stopping {
            pid, since, then, ..
        } = self.state
        else {
            return Vec::new();
        };
        self.last_exit = Some(exit);
        let uptime = Some(now.saturating_duration_since(since));
        let note = Note {
            pid: Some(pid),
            exit: Some(exit),
            uptime,
            ..Note::new(EventKind::Stopped)
        };
        // The leader is gone; whatever it left in its group goes too, so a stop leaves nothing.
        let mut out = vec![
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
            emit(note),
        ];
        if then == Then::Start {
            self.backoff.reset();
            out.extend(self.start(0, true));
        } else {
            self.state = State::Stopped;
        }
        out
    }

    fn down(&mut self) -> Vec<Action> {
        self.wanted = Wanted::Down;
        self.state = State::Stopped;
        vec![emit(Note::new(EventKind::Stopped))]
    }

    fn pause(&mut self, scope: Scope, until: Option<Instant>, now: Instant) -> Vec<Action> {
        match scope {
            Scope::Program => self.pause.program = Some(until),
            Scope::Global => self.pause.global = Some(until),
        }
        if let State::Backoff { attempt, .. } = self.state {
            self.state = State::Held {
                since: now,
                attempt,
            };
        }
        vec![emit(Note {
            until,
            ..Note::new(EventKind::Paused)
        })]
    }

    fn resume(&mut self, scope: Scope, _now: Instant) -> Vec<Action> {
        let was = self.pause.active();
        self.pause.program = None;
        if scope == Scope::Global {
            self.pause.global = None;
        }
        self.after_unpause(was)
    }

    fn expire_pauses(&mut self, now: Instant) -> Vec<Action> {
        let was = self.pause.active();
        for p in [&mut self.pause.program, &mut self.pause.global] {
            if matches!(p, Some(Some(t)) if *t <= now) {
                *p = None;
            }
        }
        self.after_unpause(was)
    }

    fn after_unpause(&mut self, was_paused: bool) -> Vec<Action> {
        if !was_paused || self.pause.active() {
            return Vec::new();
        }
        let mut out = vec![emit(Note::new(EventKind::Resumed))];
        if let State::Held { attempt, .. } = self.state {
            out.extend(self.start(attempt, true));
        }
        out
    }
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

fn emit(note: Note) -> Action {
    Action::Emit(note)
}

#[path = "machine_follow.rs"]
mod follow;
pub use follow::LAUNCHER_WINDOW;

#[path = "machine_copy.rs"]
mod copy;

#[path = "machine_sleep.rs"]
mod sleep;

#[path = "machine_memory.rs"]
mod memory;

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
