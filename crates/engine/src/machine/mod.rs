//! The restart state machine: pure, no I/O, no clock of its own (`now` is passed in). It
//! is the only thing that moves a program's state: [`Machine::step`] is the one way in,
//! and its fields are read through accessors only.
//!
//! This is the engine's one state diagram (`lib.rs` and `docs/architecture.md` point here):
//!
//! ```text
//!            Start            Spawned             Died: exit 0 within LAUNCHER_WINDOW
//!  Stopped ────────▶ Starting ───────▶ Running ──────────────────────────────▶ Seeking
//!     │                 ▲   │           ▲  │  │                                  │
//!     │ Adopt           │   │           │  │  │ Stop, Restart, HealthFailed,     │ Heir, Copy:
//!     └─────────────────┼───┼───────────┘  │  │ Update (launch changed)          │ Running
//!                       │   │ SpawnFailed  │  ▼                                  │ again
//!                       │   │         Died │ Stopping ── Timer: SIGKILL          │
//!                       │   │              │  │ Died                             │ nothing left
//!                       │   ▼              ▼  ▼                                  ▼
//!                       │  down: the policy (done → Exited; nothing left → Exited, never
//!                       │  restarted), the breaker (tripped → GaveUp), then one decision
//!                       │  by what is wanted and the pauses (`settle`):
//!                       │    wanted down ─────────────────────────────────────▶ Stopped
//!                       │    wanted up, an automatic restart, paused ─────────▶ Held
//!                       │    wanted up, an automatic restart, a delay ────────▶ Backoff
//!                       └─── wanted up, a real run, or a start asked for: at once
//!
//!  Backoff ─Timer─▶ Starting      Held ─Resume, or its pause ends─▶ Starting
//!  GaveUp ─Retry, Start─▶ Starting (tallies cleared)      Pause: Backoff ─▶ Held
//!  Start, Restart while down ─▶ Starting      Stop while down ─▶ Stopped
//!  Start, Stop while Stopping: only `wanted` changes; the end decides
//!  Release (any state) ─▶ Stopped, the process left running
//!  Talk (sd_notify) while Running: stays Running; MAINPID= goes on in the named process
//! ```
//!
//! What is *wanted* ([`Wanted`]) is kept apart from what *is* ([`State`]): only controls
//! change it, and whenever the program is down it drives the one decision. A pause never
//! changes the state of a running program; it only holds automatic restarts.
//!
//! Files: `state.rs` and `inputs.rs` (the types), `settle.rs` (the one decision),
//! `death.rs` (an instance's life and death: policy, breaker, backoff), `stop.rs` (stops and
//! the other controls), `pause.rs`, `follow.rs` (launchers, adoption, health checks),
//! `copy.rs` (single-instance apps), `talk.rs` (sd_notify messages); the transition
//! table in `table_tests.rs`.

use std::time::Instant;

use crate::backoff::Backoff;
use crate::breaker::Breaker;
use crate::tally::DeathTally;
use crate::{Exit, ProgramSpec};

mod copy;
mod death;
mod follow;
mod inputs;
mod memory;
mod pause;
mod settle;
mod sleep;
mod state;
mod stop;
mod talk;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod scenario_tests;
#[cfg(test)]
mod table_tests;

pub use follow::LAUNCHER_WINDOW;
pub use inputs::{Action, Input, Note, Scope};
pub use pause::{Pause, Pauses};
use settle::Next;
pub use state::{Cause, State, Wanted};
pub use talk::{Talk, Talked};

/// One program's supervision state: observed state, wishes, and the restart memory.
#[derive(Clone, Debug)]
pub struct Machine {
    state: State,
    wanted: Wanted,
    pause: Pauses,
    restarts: u64,
    last_exit: Option<Exit>,
    /// Only ever set while [`State::Exited`].
    unprotected: Option<String>,
    /// This program has handed off to an heir before: it is a launcher, so its clean exit
    /// with nothing left is its program's death, not a single-instance hand-off.
    launcher: bool,
    spec: ProgramSpec,
    backoff: Backoff,
    breaker: Breaker,
    deaths: DeathTally,
    /// What the current instance said of itself (`talk.rs`).
    talked: Talked,
}

impl Machine {
    /// A stopped program; `seed` feeds the backoff jitter.
    pub fn new(spec: ProgramSpec, seed: u64) -> Self {
        Self {
            state: State::Stopped,
            wanted: Wanted::Down,
            pause: Pauses::default(),
            restarts: 0,
            last_exit: None,
            unprotected: None,
            launcher: false,
            spec,
            backoff: Backoff::new(seed),
            breaker: Breaker::default(),
            deaths: DeathTally::default(),
            talked: Talked::default(),
        }
    }

    /// Reacts to `input` at `now`: updates the state and returns the actions to carry out.
    /// Inputs that make no sense in the current state are ignored (no actions). The arms
    /// are grouped as the table in `table_tests.rs` is.
    pub fn step(&mut self, input: Input, now: Instant) -> Vec<Action> {
        use Input as I;
        use State as S;
        // The last inputs a program gets start nothing on the way out: no pause ends then.
        let mut out = match input {
            I::Release | I::Removed => Vec::new(),
            _ => self.expire_pauses(now),
        };
        let pid_before = self.state.live_pid();
        // A main process named by the program itself goes on with what it said.
        let same_instance = matches!(input, I::Talk(Talk::MainPid(_)));
        let more = match (&self.state, input) {
            // In any state.
            (_, I::Pause { scope, until }) => self.pause(scope, until, now),
            (_, I::Resume { scope }) => self.resume(scope, now),
            (_, I::Slept { asleep }) => self.slept(asleep),
            (_, I::Update { spec }) => self.update(*spec, now),
            (_, I::Release) => self.release(),
            (_, I::Removed) => vec![inputs::emit(Note::new(crate::EventKind::Removed))],
            (S::Stopped, I::Added { paused }) => self.added(paused),
            // Wanted up.
            (S::Stopped | S::Exited { .. }, I::Start | I::Restart) => self.start_fresh(),
            (S::Backoff { attempt, .. } | S::Held { attempt, .. }, I::Start | I::Restart) => {
                let attempt = *attempt;
                self.want(Wanted::Up);
                self.settle(Next::Now { attempt }, now)
            }
            (S::GaveUp { .. }, I::Start | I::Restart | I::Retry) => self.retry(now),
            (S::Running { .. }, I::Restart) => {
                self.want(Wanted::Up);
                self.stopping(Cause::Asked, now)
            }
            (S::Stopping { .. }, I::Start | I::Restart) => self.retarget(Wanted::Up),
            (S::Stopped, I::Adopt { pid }) => self.adopted(pid, now),
            // Wanted down.
            (S::Running { .. }, I::Stop) => {
                self.want(Wanted::Down);
                self.stopping(Cause::Asked, now)
            }
            (S::Stopping { .. }, I::Stop) => self.retarget(Wanted::Down),
            (S::Backoff { .. } | S::Held { .. } | S::Exited { .. } | S::GaveUp { .. }, I::Stop) => {
                self.down(now)
            }
            // The instance.
            (S::Starting { .. }, I::Spawned { pid }) => self.running(pid, now),
            (S::Starting { .. }, I::SpawnFailed { reason }) => self.spawn_failed(reason, now),
            (S::Running { .. }, I::Died { exit }) if self.stops_itself(exit) => {
                self.stopped_itself(exit, now)
            }
            (S::Running { .. }, I::Died { exit }) => self.died(exit, now),
            (S::Running { .. }, I::Talk(talk)) => self.talk(talk, now),
            (S::Running { .. }, I::HealthFailed { reason }) => self.unhealthy(reason, now),
            (S::Running { .. }, I::OverMemory { reason, restart }) => {
                self.over_memory(reason, restart, now)
            }
            (S::Running { .. }, I::NotResponding { reason, restart }) => {
                self.not_responding(reason, restart, now)
            }
            (S::Running { .. }, I::Responding { reason }) => {
                self.failing(crate::EventKind::Responding, reason, None, now)
            }
            (S::Seeking { .. }, I::Heir { pid: Some(pid) }) => self.handed_off(pid, now),
            (S::Seeking { .. }, I::Heir { pid: None }) => self.no_copy(now),
            (S::Seeking { .. }, I::Copy { pid }) => self.handed_to_copy(pid, now),
            (S::Stopping { .. }, I::Died { exit }) => self.stopped(exit, now),
            // Timers.
            (
                S::Stopping {
                    killed: false,
                    deadline,
                    ..
                },
                I::Timer,
            ) if now >= *deadline => self.kill_after_grace(),
            (S::Running { .. }, I::Timer) if self.watchdog_deadline().is_some_and(|d| now >= d) => {
                self.watchdog_bit(now)
            }
            (S::Backoff { until, attempt }, I::Timer) if now >= *until => {
                let attempt = *attempt;
                self.settle(Next::Now { attempt }, now)
            }
            (
                _,
                I::Added { .. }
                | I::Start
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
                | I::OverMemory { .. }
                | I::NotResponding { .. }
                | I::Responding { .. }
                | I::Talk(_),
            ) => Vec::new(),
        };
        if self.state.live_pid() != pid_before && !same_instance {
            self.talked = Talked::default();
        }
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
        state
            .into_iter()
            .chain(self.pause.next_end())
            .chain(self.watchdog_deadline())
            .min()
    }
}

// Read accessors: nothing outside the machine moves its state.
impl Machine {
    /// What it is doing.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// What is wanted.
    pub fn wanted(&self) -> Wanted {
        self.wanted
    }

    /// The pauses holding its restarts.
    pub fn pauses(&self) -> &Pauses {
        &self.pause
    }

    /// Restarts so far (instances started in place of another).
    pub fn restarts(&self) -> u64 {
        self.restarts
    }

    /// How the last instance ended.
    pub fn last_exit(&self) -> Option<Exit> {
        self.last_exit
    }

    /// Why protection is not active although the program was wanted up: it ended in a way
    /// Lifeguard cannot follow (a quick exit 0 that left nothing and no copy to watch).
    /// Only ever set while [`State::Exited`].
    pub fn unprotected(&self) -> Option<&str> {
        self.unprotected.as_deref()
    }

    /// Quick deaths in a row so far.
    pub fn attempt(&self) -> u32 {
        self.backoff.streak()
    }

    /// Deaths of running instances (not stops) in the hour before `now`.
    pub fn deaths_last_hour(&self, now: Instant) -> u32 {
        self.deaths.last_hour(now)
    }

    /// What the current instance said of itself over sd_notify (`talk.rs`).
    pub fn talked(&self) -> &Talked {
        &self.talked
    }

    /// The spec the machine runs with.
    pub fn spec(&self) -> &ProgramSpec {
        &self.spec
    }
}
