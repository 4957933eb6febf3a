//! Pauses: what holds a program's automatic restarts. One representation ([`Pause`]) for a
//! program's own pause and the global one, on the machine's clock; a pause never changes
//! the state of a running program, it only holds restarts.

use std::time::Instant;

use super::inputs::emit;
use super::{Action, Machine, Next, Note, Scope, State};
use crate::EventKind;

/// One pause: until resumed, or until an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pause {
    /// Until resumed.
    UntilResumed,
    /// Until this instant (or resumed before).
    Until(Instant),
}

impl Pause {
    /// A pause ending at `until`, or only when resumed.
    pub fn new(until: Option<Instant>) -> Self {
        until.map_or(Pause::UntilResumed, Pause::Until)
    }

    /// When it ends by itself.
    pub fn end(self) -> Option<Instant> {
        match self {
            Pause::UntilResumed => None,
            Pause::Until(t) => Some(t),
        }
    }

    /// Whether it has ended by itself at `now`: the one expiry rule, for the machine and
    /// for the supervisor's record of the global pause.
    pub fn over(self, now: Instant) -> bool {
        self.end().is_some_and(|t| t <= now)
    }
}

/// The pauses that may hold one program's restarts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pauses {
    own: Option<Pause>,
    global: Option<Pause>,
}

impl Pauses {
    /// Whether restarts are held.
    pub fn active(&self) -> bool {
        self.own.is_some() || self.global.is_some()
    }

    /// The program's own pause.
    pub fn own(&self) -> Option<Pause> {
        self.own
    }

    /// The global pause, as this program was told of it.
    pub fn global(&self) -> Option<Pause> {
        self.global
    }

    /// The first instant at which a pause ends by itself.
    pub fn next_end(&self) -> Option<Instant> {
        [self.own, self.global]
            .into_iter()
            .flatten()
            .filter_map(Pause::end)
            .min()
    }
}

impl Machine {
    /// The program is put under supervision, under the global pause then in force.
    pub(super) fn added(&mut self, paused: Option<Pause>) -> Vec<Action> {
        self.pause.global = paused;
        vec![emit(Note::new(EventKind::Added))]
    }

    pub(super) fn pause(
        &mut self,
        scope: Scope,
        until: Option<Instant>,
        now: Instant,
    ) -> Vec<Action> {
        let pause = Some(Pause::new(until));
        match scope {
            Scope::Program => self.pause.own = pause,
            Scope::Global => self.pause.global = pause,
        }
        let mut out = vec![];
        if let State::Backoff { until, attempt } = self.state {
            // A restart waited for is held from now on.
            let delay = until.saturating_duration_since(now);
            out = self.settle(Next::After { attempt, delay }, now);
        }
        out.push(emit(Note {
            until,
            ..Note::new(EventKind::Paused)
        }));
        out
    }

    pub(super) fn resume(&mut self, scope: Scope, now: Instant) -> Vec<Action> {
        let was = self.pause.active();
        self.pause.own = None;
        if scope == Scope::Global {
            self.pause.global = None;
        }
        self.after_unpause(was, now)
    }

    /// Drops the pauses whose end has come; run before every input.
    pub(super) fn expire_pauses(&mut self, now: Instant) -> Vec<Action> {
        let was = self.pause.active();
        for p in [&mut self.pause.own, &mut self.pause.global] {
            if p.is_some_and(|p| p.over(now)) {
                *p = None;
            }
        }
        self.after_unpause(was, now)
    }

    fn after_unpause(&mut self, was_paused: bool, now: Instant) -> Vec<Action> {
        if !was_paused || self.pause.active() {
            return Vec::new();
        }
        let mut out = vec![emit(Note::new(EventKind::Resumed))];
        if let State::Held { attempt, .. } = self.state {
            out.extend(self.settle(Next::Now { attempt }, now));
        }
        out
    }
}
