//! The one decision taken whenever the program is down (runit's want vs state): what is
//! wanted and the pauses say whether it stays down, waits, or starts.

use std::time::{Duration, Instant};

use super::inputs::emit;
use super::{Action, Machine, Note, State, Wanted};
use crate::EventKind;

/// What would start the program, for [`Machine::settle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// A start asked for, or due (a control, a backoff's or a pause's end): never held.
    Now {
        /// Quick deaths in a row.
        attempt: u32,
    },
    /// A start afresh, the backoff forgotten (a restart's stop is over, a retry).
    Fresh,
    /// An automatic restart after a death: held by a pause, else after `delay`.
    After {
        /// Quick deaths in a row.
        attempt: u32,
        /// The backoff's delay.
        delay: Duration,
    },
}

impl Machine {
    /// The program is down (or about to be): wanted down, it stays [`State::Stopped`];
    /// wanted up, it starts, unless an automatic restart is held by a pause
    /// ([`State::Held`]) or delayed by the backoff ([`State::Backoff`]).
    pub(super) fn settle(&mut self, next: Next, now: Instant) -> Vec<Action> {
        match (self.wanted, next) {
            (Wanted::Down, _) => {
                self.state = State::Stopped;
                Vec::new()
            }
            (Wanted::Up, Next::Now { attempt }) => self.start(attempt, true),
            (Wanted::Up, Next::Fresh) => {
                self.backoff.reset();
                self.start(0, true)
            }
            (Wanted::Up, Next::After { attempt, .. }) if self.pause.active() => {
                self.state = State::Held {
                    since: now,
                    attempt,
                };
                Vec::new()
            }
            (Wanted::Up, Next::After { attempt, delay }) => {
                let mut out = vec![emit(Note {
                    attempt,
                    delay: Some(delay),
                    ..Note::new(EventKind::RestartScheduled)
                })];
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
        }
    }

    /// A control says what is wanted; only controls change it.
    pub(super) fn want(&mut self, wanted: Wanted) {
        self.wanted = wanted;
    }

    /// Wanted up from Stopped or Exited: a first start, the backoff forgotten.
    pub(super) fn start_fresh(&mut self) -> Vec<Action> {
        self.want(Wanted::Up);
        self.backoff.reset();
        self.start(0, false)
    }

    /// Wanted up after giving up: the tallies forgotten.
    pub(super) fn retry(&mut self, now: Instant) -> Vec<Action> {
        self.want(Wanted::Up);
        self.breaker.reset();
        let mut out = vec![emit(Note::new(EventKind::Retried))];
        out.extend(self.settle(Next::Fresh, now));
        out
    }

    fn start(&mut self, attempt: u32, restart: bool) -> Vec<Action> {
        self.state = State::Starting { attempt, restart };
        vec![Action::Spawn]
    }
}
