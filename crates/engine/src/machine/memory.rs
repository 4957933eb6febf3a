//! A program over its memory limit: an input like a failed health check. Under the
//! restart action it is stopped with its stop signal and grace, then restarted as a
//! failure (`Cause::OverMemory`, counted by the breaker); under notify only the
//! `memory_high` event is emitted and nothing moves. A program whose windows stopped
//! answering pings (`not_responding`) takes the same road.

use std::time::Instant;

use super::{Action, Cause, Machine};
use crate::EventKind;

impl Machine {
    /// Over the limit for enough checks in a row: `memory_high`, and under the restart
    /// action a stop restarted as a failure.
    pub(super) fn over_memory(
        &mut self,
        reason: String,
        restart: bool,
        now: Instant,
    ) -> Vec<Action> {
        let cause = restart.then_some(Cause::OverMemory);
        self.failing(EventKind::MemoryHigh, reason, cause, now)
    }

    /// Its windows did not answer pings: `not_responding`, and with `restart` a stop
    /// (stop signal, grace) restarted as a failure (`Cause::NotResponding`).
    pub(super) fn not_responding(
        &mut self,
        reason: String,
        restart: bool,
        now: Instant,
    ) -> Vec<Action> {
        let cause = restart.then_some(Cause::NotResponding);
        self.failing(EventKind::NotResponding, reason, cause, now)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::super::*;
    use crate::{EventKind, Exit, ProgramSpec};
    use crate::{ProgramId, Signal};

    fn running(t0: Instant) -> Machine {
        let mut s = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
        s.stop_signal = Signal::INT;
        let mut m = Machine::new(s, 1);
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 9 }, t0);
        m
    }

    fn over(restart: bool) -> Input {
        Input::OverMemory {
            reason: "using 812 MB, over its 500 MB limit".into(),
            restart,
        }
    }

    #[test]
    fn over_the_limit_stops_with_the_stop_signal_then_restarts_with_the_cause() {
        let t0 = Instant::now();
        let mut m = running(t0);
        let out = m.step(over(true), t0 + Duration::from_secs(60));
        assert!(
            matches!(
                out.as_slice(),
                [
                    Action::Emit(Note { kind: EventKind::MemoryHigh, reason: Some(r), .. }),
                    Action::SignalTree { signal: Signal::INT, .. },
                    Action::Emit(Note { kind: EventKind::Stopping, .. }),
                ] if r.contains("812 MB")
            ),
            "{out:?}"
        );
        let out = m.step(
            Input::Died {
                exit: Exit::Signal {
                    signal: Signal::INT,
                    core_dumped: false,
                },
            },
            t0 + Duration::from_secs(61),
        );
        let reasons: Vec<_> = out
            .iter()
            .filter_map(|a| match a {
                Action::Emit(n) => Some((n.kind, n.reason.clone().unwrap_or_default())),
                _ => None,
            })
            .collect();
        assert_eq!(reasons[0].0, EventKind::Exited);
        assert!(reasons[0].1.contains("memory limit"), "{reasons:?}");
        assert!(out.contains(&Action::Spawn), "restarted: {out:?}");
    }

    #[test]
    fn notify_only_emits_and_moves_nothing() {
        let t0 = Instant::now();
        let mut m = running(t0);
        let out = m.step(over(false), t0);
        assert!(matches!(
            out.as_slice(),
            [Action::Emit(Note {
                kind: EventKind::MemoryHigh,
                ..
            })]
        ));
        assert!(matches!(m.state, State::Running { pid: 9, .. }));
        let mut stopped = Machine::new(m.spec.clone(), 1);
        assert!(
            stopped.step(over(true), t0).is_empty(),
            "only a running program"
        );
    }
}
