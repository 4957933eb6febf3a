//! Sleep accounting: time the machine spent asleep is taken out of every duration the
//! machine measures, so a run that spans a suspend is as long as it was awake, a backoff
//! delay waits awake time, and quick deaths before and after a sleep are as close together
//! for the breaker as they were awake.
//!
//! The engine's clock is tokio's, i.e. `CLOCK_MONOTONIC`, which Linux stops during a
//! suspend (`CLOCK_BOOTTIME` would not): the suspended time itself never reaches the
//! machine. What the clock does count is the time between logind's `PrepareForSleep(true)`
//! and `PrepareForSleep(false)` around the suspend (and all of it when the announcement
//! comes without a real suspend, as under a frozen session); the owner measures that and
//! feeds it here as [`Input::Slept`](super::Input::Slept), shifting the machine's anchors
//! forward by it.

use std::time::Duration;

use super::{Action, Machine, State};

impl Machine {
    /// Shifts every instant the machine measures from by `asleep`. No state changes and
    /// no actions: the owner checks each program at once after a wake-up instead.
    pub(super) fn slept(&mut self, asleep: Duration) -> Vec<Action> {
        let shift = |t: &mut std::time::Instant| *t = crate::clock::later(*t, asleep);
        match &mut self.state {
            State::Running { since, .. } | State::Stopping { since, .. } => shift(since),
            State::Backoff { until, .. } => shift(until),
            State::Stopped
            | State::Starting { .. }
            | State::Seeking { .. }
            | State::Held { .. }
            | State::Exited { .. }
            | State::GaveUp { .. } => {}
        }
        self.breaker.shift(asleep);
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::super::*;
    use crate::{EventKind, Exit, ProgramSpec};
    use crate::{ProgramId, Signal};

    const S: Duration = Duration::from_secs(1);

    fn kill9() -> Exit {
        Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false,
        }
    }

    fn machine() -> Machine {
        let mut s = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
        s.backoff.jitter = 0.0;
        s.breaker.max_deaths = 3;
        s.breaker.window = 4 * S;
        Machine::new(s, 1)
    }

    /// Starts the program at `t` and kills it `after` later; the actions of the death.
    fn run_and_kill(m: &mut Machine, t: Instant, after: Duration) -> Vec<Action> {
        if matches!(m.state, State::Backoff { .. }) {
            m.step(Input::Timer, t);
        } else {
            m.step(Input::Start, t);
        }
        m.step(Input::Spawned { pid: 9 }, t);
        m.step(Input::Died { exit: kill9() }, t + after)
    }

    fn uptime(actions: &[Action]) -> Option<Duration> {
        actions.iter().find_map(|a| match a {
            Action::Emit(n) if n.kind == EventKind::Exited => n.uptime,
            _ => None,
        })
    }

    #[test]
    fn time_asleep_is_no_uptime_so_a_quick_run_across_a_sleep_stays_quick() {
        let t0 = Instant::now();
        let mut m = machine();
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 9 }, t0);
        // 200 ms awake, 60 s asleep, 100 ms awake: a 300 ms run, a quick death.
        m.step(Input::Slept { asleep: 60 * S }, t0 + 60 * S + 200 * MS);
        let out = m.step(Input::Died { exit: kill9() }, t0 + 60 * S + 300 * MS);
        assert_eq!(uptime(&out), Some(300 * MS));
        assert!(matches!(m.state, State::Backoff { .. }), "{:?}", m.state);
        // Without the sleep accounting it was a minute-long real run, restarted at once.
        let mut plain = machine();
        plain.step(Input::Start, t0);
        plain.step(Input::Spawned { pid: 9 }, t0);
        plain.step(Input::Died { exit: kill9() }, t0 + 60 * S + 300 * MS);
        assert!(matches!(plain.state, State::Starting { .. }));
    }

    #[test]
    fn the_breaker_window_ignores_the_sleep() {
        let t0 = Instant::now();
        let mut m = machine();
        run_and_kill(&mut m, t0, 100 * MS);
        let backoff_end = m.deadline().unwrap();
        run_and_kill(&mut m, backoff_end, 100 * MS);
        let backoff_end = m.deadline().unwrap();
        // Restarted, then ten seconds asleep (more than the 4 s window), then killed.
        let restarted = backoff_end;
        m.step(Input::Timer, restarted);
        m.step(Input::Spawned { pid: 9 }, restarted);
        let woke = restarted + 10 * S + 50 * MS;
        m.step(Input::Slept { asleep: 10 * S }, woke);
        m.step(Input::Died { exit: kill9() }, woke + 50 * MS);
        assert!(
            matches!(m.state, State::GaveUp { deaths: 3, .. }),
            "three quick deaths within 4 s of awake time: {:?}",
            m.state
        );
    }

    #[test]
    fn a_backoff_delay_waits_awake_time() {
        let t0 = Instant::now();
        let mut m = machine();
        run_and_kill(&mut m, t0, 100 * MS);
        let until = m.deadline().unwrap();
        m.step(Input::Slept { asleep: 5 * S }, t0 + 5 * S);
        assert_eq!(m.deadline(), Some(until + 5 * S));
        assert!(m.step(Input::Timer, until).is_empty(), "woke early");
        assert_eq!(
            summary_kinds(&m.step(Input::Timer, until + 5 * S)),
            ["spawn"]
        );
    }

    #[test]
    fn a_sleep_changes_no_state_and_asks_for_nothing() {
        let t0 = Instant::now();
        for prepare in [
            vec![],
            vec![Input::Start],
            vec![Input::Start, Input::Spawned { pid: 9 }, Input::Stop],
        ] {
            let mut m = machine();
            for input in prepare {
                m.step(input, t0);
            }
            let before = std::mem::discriminant(&m.state);
            assert!(m.step(Input::Slept { asleep: S }, t0 + S).is_empty());
            assert_eq!(std::mem::discriminant(&m.state), before);
        }
    }

    fn summary_kinds(actions: &[Action]) -> Vec<&'static str> {
        actions
            .iter()
            .map(|a| match a {
                Action::Spawn => "spawn",
                Action::SignalTree { .. } => "signal",
                Action::FindHeir => "find heir",
                Action::Emit(_) => "emit",
            })
            .collect()
    }

    const MS: Duration = Duration::from_millis(1);
}
