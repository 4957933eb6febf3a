//! Table-driven tests: one row per transition, illegal inputs included.

use super::*;
use crate::{ProgramId, RestartPolicy};

const MS: Duration = Duration::from_millis(1);

fn spec() -> ProgramSpec {
    let mut s = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
    s.backoff.jitter = 0.0;
    s
}

/// Compact view of an action list: kinds of emitted events and OS actions, in order.
fn summary(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .map(|a| match a {
            Action::Spawn => "spawn".to_owned(),
            Action::SignalTree { signal, .. } => format!("signal {signal}"),
            Action::FindHeir => "find heir".to_owned(),
            Action::Emit(n) => format!("{:?}", n.kind),
        })
        .collect()
}

/// Short names of states, for table rows.
fn name(s: &State) -> &'static str {
    match s {
        State::Stopped => "Stopped",
        State::Starting { .. } => "Starting",
        State::Running { .. } => "Running",
        State::Stopping { .. } => "Stopping",
        State::Backoff { .. } => "Backoff",
        State::Held { .. } => "Held",
        State::Exited { .. } => "Exited",
        State::GaveUp { .. } => "GaveUp",
        State::Seeking { .. } => "Seeking",
    }
}

/// Builds a machine in the named state at `t0`.
fn machine_in(state: &str, t0: Instant) -> Machine {
    let mut m = Machine::new(spec(), 1);
    let run = |m: &mut Machine| {
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 100 }, t0);
    };
    match state {
        "Stopped" => {}
        "Starting" => {
            m.step(Input::Start, t0);
        }
        "Running" => run(&mut m),
        "Stopping" => {
            run(&mut m);
            m.step(Input::Stop, t0);
        }
        "Backoff" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        "Held" => {
            run(&mut m);
            m.step(
                Input::Pause {
                    scope: Scope::Program,
                    until: None,
                },
                t0,
            );
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        "Exited" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(0),
                },
                t0 + Duration::from_secs(60),
            );
        }
        "Seeking" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(0),
                },
                t0,
            );
        }
        "GaveUp" => {
            m.spec.breaker.max_deaths = 1;
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        other => panic!("no such state {other}"),
    }
    assert_eq!(name(&m.state), state, "setting up {state}");
    m
}

fn kill9() -> Exit {
    Exit::Signal {
        signal: Signal::KILL,
        core_dumped: false,
    }
}

#[test]
fn transition_table() {
    let t0 = Instant::now();
    let later = t0 + Duration::from_secs(60);
    let pause = Input::Pause {
        scope: Scope::Program,
        until: None,
    };
    let resume = Input::Resume {
        scope: Scope::Program,
    };
    // (from, input, at, to, actions)
    let rows: Vec<(&str, Input, Instant, &str, &[&str])> = vec![
        ("Stopped", Input::Start, t0, "Starting", &["spawn"]),
        ("Stopped", Input::Restart, t0, "Starting", &["spawn"]),
        ("Stopped", Input::Stop, t0, "Stopped", &[]),
        ("Stopped", Input::Retry, t0, "Stopped", &[]),
        ("Stopped", Input::Died { exit: kill9() }, t0, "Stopped", &[]),
        ("Stopped", Input::Spawned { pid: 1 }, t0, "Stopped", &[]),
        ("Stopped", Input::Timer, t0, "Stopped", &[]),
        ("Stopped", pause.clone(), t0, "Stopped", &["Paused"]),
        (
            "Starting",
            Input::Spawned { pid: 7 },
            t0,
            "Running",
            &["Started"],
        ),
        (
            "Starting",
            Input::SpawnFailed {
                reason: "ENOENT".into(),
            },
            t0,
            "Backoff",
            &["SpawnFailed", "RestartScheduled"],
        ),
        (
            "Starting",
            Input::Died { exit: kill9() },
            t0,
            "Starting",
            &[],
        ),
        (
            "Running",
            Input::Died { exit: kill9() },
            later,
            "Starting",
            &["Exited", "signal SIGKILL", "RestartScheduled", "spawn"],
        ),
        (
            "Running",
            Input::Died { exit: kill9() },
            t0,
            "Backoff",
            &["Exited", "signal SIGKILL", "RestartScheduled"],
        ),
        (
            "Running",
            Input::Died {
                exit: Exit::Code(0),
            },
            later,
            "Exited",
            &["Exited", "signal SIGKILL"],
        ),
        (
            "Running",
            Input::Died {
                exit: Exit::Code(0),
            },
            t0,
            "Seeking",
            &["find heir"],
        ),
        (
            "Running",
            Input::Died {
                exit: Exit::Code(1),
            },
            t0,
            "Backoff",
            &["Exited", "signal SIGKILL", "RestartScheduled"],
        ),
        (
            "Running",
            Input::HealthFailed {
                reason: "HTTP 500".into(),
            },
            t0,
            "Stopping",
            &["HealthFailed", "signal SIGTERM", "Stopping"],
        ),
        ("Running", Input::Adopt { pid: 5 }, t0, "Running", &[]),
        ("Running", Input::Heir { pid: Some(5) }, t0, "Running", &[]),
        (
            "Seeking",
            Input::Heir { pid: Some(77) },
            t0,
            "Running",
            &["HandedOff"],
        ),
        (
            "Seeking",
            Input::Heir { pid: None },
            t0,
            "Exited",
            &["NothingLeft"],
        ),
        ("Seeking", Input::Stop, t0, "Seeking", &[]),
        ("Seeking", Input::Timer, later, "Seeking", &[]),
        ("Seeking", Input::Died { exit: kill9() }, t0, "Seeking", &[]),
        (
            "Stopped",
            Input::Adopt { pid: 5 },
            t0,
            "Running",
            &["Adopted"],
        ),
        ("Stopped", Input::Heir { pid: Some(5) }, t0, "Stopped", &[]),
        (
            "Stopped",
            Input::HealthFailed { reason: "x".into() },
            t0,
            "Stopped",
            &[],
        ),
        ("Stopped", Input::Slept { asleep: MS }, t0, "Stopped", &[]),
        ("Running", Input::Slept { asleep: MS }, t0, "Running", &[]),
        ("Stopping", Input::Slept { asleep: MS }, t0, "Stopping", &[]),
        ("Backoff", Input::Slept { asleep: MS }, t0, "Backoff", &[]),
        ("Held", Input::Slept { asleep: MS }, t0, "Held", &[]),
        ("Exited", Input::Slept { asleep: MS }, t0, "Exited", &[]),
        ("GaveUp", Input::Slept { asleep: MS }, t0, "GaveUp", &[]),
        ("Seeking", Input::Slept { asleep: MS }, t0, "Seeking", &[]),
        ("Exited", Input::Adopt { pid: 5 }, t0, "Exited", &[]),
        ("Stopping", Input::Adopt { pid: 5 }, t0, "Stopping", &[]),
        (
            "Stopping",
            Input::HealthFailed { reason: "x".into() },
            t0,
            "Stopping",
            &[],
        ),
        (
            "Running",
            Input::Stop,
            t0,
            "Stopping",
            &["signal SIGTERM", "Stopping"],
        ),
        (
            "Running",
            Input::Restart,
            t0,
            "Stopping",
            &["signal SIGTERM", "Stopping"],
        ),
        ("Running", Input::Start, t0, "Running", &[]),
        ("Running", Input::Retry, t0, "Running", &[]),
        ("Running", Input::Spawned { pid: 8 }, t0, "Running", &[]),
        ("Running", Input::Timer, t0, "Running", &[]),
        ("Running", pause.clone(), t0, "Running", &["Paused"]),
        (
            "Stopping",
            Input::Died {
                exit: Exit::Code(0),
            },
            t0,
            "Stopped",
            &["signal SIGKILL", "Stopped"],
        ),
        (
            "Stopping",
            Input::Timer,
            t0 + 4 * Duration::from_secs(1),
            "Stopping",
            &[],
        ),
        (
            "Stopping",
            Input::Timer,
            later,
            "Stopping",
            &["signal SIGKILL", "Stopping"],
        ),
        ("Stopping", Input::Start, t0, "Stopping", &[]),
        ("Stopping", Input::Stop, t0, "Stopping", &[]),
        ("Stopping", Input::Spawned { pid: 9 }, t0, "Stopping", &[]),
        ("Backoff", Input::Timer, t0 + 100 * MS, "Backoff", &[]),
        (
            "Backoff",
            Input::Timer,
            t0 + 250 * MS,
            "Starting",
            &["spawn"],
        ),
        ("Backoff", Input::Start, t0, "Starting", &["spawn"]),
        ("Backoff", Input::Stop, t0, "Stopped", &["Stopped"]),
        ("Backoff", pause.clone(), t0, "Held", &["Paused"]),
        ("Backoff", Input::Died { exit: kill9() }, t0, "Backoff", &[]),
        ("Backoff", Input::Retry, t0, "Backoff", &[]),
        (
            "Held",
            resume.clone(),
            t0,
            "Starting",
            &["Resumed", "spawn"],
        ),
        ("Held", Input::Timer, later, "Held", &[]),
        ("Held", Input::Start, t0, "Starting", &["spawn"]),
        ("Held", Input::Stop, t0, "Stopped", &["Stopped"]),
        ("Exited", Input::Start, t0, "Starting", &["spawn"]),
        ("Exited", Input::Timer, later, "Exited", &[]),
        ("Exited", resume.clone(), t0, "Exited", &[]),
        ("Exited", Input::Stop, t0, "Stopped", &["Stopped"]),
        (
            "GaveUp",
            Input::Retry,
            t0,
            "Starting",
            &["Retried", "spawn"],
        ),
        (
            "GaveUp",
            Input::Start,
            t0,
            "Starting",
            &["Retried", "spawn"],
        ),
        ("GaveUp", Input::Timer, later, "GaveUp", &[]),
        ("GaveUp", Input::Stop, t0, "Stopped", &["Stopped"]),
        ("GaveUp", Input::Died { exit: kill9() }, t0, "GaveUp", &[]),
    ];
    for (from, input, at, to, actions) in rows {
        let mut m = machine_in(from, t0);
        let row = format!("{from} + {input:?}");
        let got = m.step(input, at);
        assert_eq!(name(&m.state), to, "{row}");
        assert_eq!(summary(&got), actions, "{row}");
    }
}

#[test]
fn started_after_death_is_a_restart_with_the_streak_as_attempt() {
    let t0 = Instant::now();
    let mut m = machine_in("Backoff", t0);
    m.step(Input::Timer, t0 + 250 * MS);
    let out = m.step(Input::Spawned { pid: 5 }, t0 + 250 * MS);
    let Action::Emit(note) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(
        (note.kind, note.attempt, note.pid),
        (EventKind::Restarted, 1, Some(5))
    );
    assert_eq!(m.restarts, 1);
}

#[test]
fn quick_deaths_double_the_delay_until_the_breaker_gives_up() {
    let t0 = Instant::now();
    let mut m = Machine::new(spec(), 1);
    let mut now = t0;
    m.step(Input::Start, now);
    let mut delays = Vec::new();
    for pid in 1.. {
        m.step(Input::Spawned { pid }, now);
        let out = m.step(
            Input::Died {
                exit: Exit::Code(1),
            },
            now + MS,
        );
        if let State::GaveUp { deaths, .. } = m.state {
            assert_eq!(deaths, 5);
            assert!(summary(&out).contains(&"GaveUp".to_owned()));
            break;
        }
        let State::Backoff { until, .. } = m.state else {
            panic!("{:?}", m.state)
        };
        delays.push((until - (now + MS)).as_millis());
        now = until;
        m.step(Input::Timer, now);
    }
    assert_eq!(delays, [250, 500, 1000, 2000]);
    assert_eq!(m.deadline(), None, "gave up: nothing scheduled");
}

#[test]
fn death_while_paused_is_held_and_pause_end_starts_it() {
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    m.step(
        Input::Pause {
            scope: Scope::Global,
            until: Some(t0 + 10 * MS),
        },
        t0,
    );
    let out = m.step(Input::Died { exit: kill9() }, t0 + MS);
    assert_eq!(summary(&out), ["Exited", "signal SIGKILL"]);
    assert_eq!(name(&m.state), "Held");
    assert_eq!(m.deadline(), Some(t0 + 10 * MS));
    let out = m.step(Input::Timer, t0 + 10 * MS);
    assert_eq!(summary(&out), ["Resumed", "spawn"]);
}

#[test]
fn resume_of_own_pause_keeps_global_pause() {
    let t0 = Instant::now();
    let mut m = machine_in("Held", t0);
    m.step(
        Input::Pause {
            scope: Scope::Global,
            until: None,
        },
        t0,
    );
    assert!(m
        .step(
            Input::Resume {
                scope: Scope::Program
            },
            t0
        )
        .is_empty());
    assert_eq!(name(&m.state), "Held");
    let out = m.step(
        Input::Resume {
            scope: Scope::Global,
        },
        t0,
    );
    assert_eq!(summary(&out), ["Resumed", "spawn"]);
}

#[test]
fn restart_control_stops_then_starts_fresh() {
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    m.step(Input::Restart, t0);
    let out = m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + MS,
    );
    assert_eq!(summary(&out), ["signal SIGKILL", "Stopped", "spawn"]);
    let out = m.step(Input::Spawned { pid: 2 }, t0 + MS);
    assert_eq!(summary(&out), ["Restarted"]);
}

#[test]
fn never_policy_and_always_policy() {
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    m.spec.restart = RestartPolicy::Never;
    m.step(Input::Died { exit: kill9() }, t0);
    assert_eq!(name(&m.state), "Exited");
    let mut m = machine_in("Running", t0);
    m.spec.restart = RestartPolicy::Always;
    m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + Duration::from_secs(60),
    );
    assert_eq!(name(&m.state), "Starting", "a stable run restarts at once");
}

#[test]
fn launcher_hand_off_keeps_it_running_and_tells_the_new_pid() {
    let t0 = Instant::now();
    let mut m = machine_in("Seeking", t0);
    let out = m.step(Input::Heir { pid: Some(321) }, t0 + MS);
    let Action::Emit(note) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!((note.kind, note.pid), (EventKind::HandedOff, Some(321)));
    assert!(note
        .reason
        .as_deref()
        .unwrap()
        .contains("handed off to PID 321"));
    assert_eq!(
        m.state,
        State::Running {
            pid: 321,
            since: t0 + MS,
            attempt: 0,
            heir: true
        }
    );
    assert_eq!(m.restarts, 0, "a hand-off is not a restart");
    // An heir's quick end with an unknown status (not our child) may be one more hand-off.
    let out = m.step(
        Input::Died {
            exit: Exit::Unknown,
        },
        t0 + 2 * MS,
    );
    assert_eq!(summary(&out), ["find heir"]);
    m.step(Input::Heir { pid: Some(321) }, t0 + 2 * MS);
    // After a long run, the heir's death is an ordinary death of the program.
    let out = m.step(Input::Died { exit: kill9() }, t0 + Duration::from_secs(60));
    assert_eq!(
        summary(&out),
        ["Exited", "signal SIGKILL", "RestartScheduled", "spawn"]
    );
}

#[test]
fn nothing_left_is_recorded_once_and_never_restarted_even_under_always() {
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    m.spec.restart = RestartPolicy::Always;
    m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + MS,
    );
    let out = m.step(Input::Heir { pid: None }, t0 + MS);
    let Action::Emit(note) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(note.kind, EventKind::NothingLeft);
    assert!(note.reason.as_deref().unwrap().contains("not restarted"));
    assert_eq!(name(&m.state), "Exited");
    assert_eq!(m.deadline(), None);
}

#[test]
fn heir_killed_soon_after_the_hand_off_is_a_death_not_nothing_left() {
    // Found by the roulette: a launcher hands off, its heir (not our child) is SIGKILLed
    // within the hand-off window. The unknown status first looks like one more hand-off; with
    // nothing left to follow, it must be restarted, not recorded as "nothing left".
    let t0 = Instant::now();
    let mut m = machine_in("Seeking", t0);
    m.step(Input::Heir { pid: Some(321) }, t0 + MS);
    let out = m.step(
        Input::Died {
            exit: Exit::Unknown,
        },
        t0 + 2 * MS,
    );
    assert_eq!(summary(&out), ["find heir"]);
    let out = m.step(Input::Heir { pid: None }, t0 + 2 * MS);
    assert_eq!(
        summary(&out),
        ["Exited", "signal SIGKILL", "RestartScheduled"]
    );
    let Action::Emit(note) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(note.pid, Some(321));
    assert_eq!(note.exit, Some(Exit::Unknown));
    assert_eq!(name(&m.state), "Backoff");
    // The backoff ends in a restart under Lifeguard, as a normal child.
    let out = m.step(Input::Timer, m.deadline().unwrap());
    assert_eq!(summary(&out), ["spawn"]);
    let out = m.step(Input::Spawned { pid: 400 }, m.deadline().unwrap_or(t0));
    assert_eq!(summary(&out), ["Restarted"]);
}

#[test]
fn adopted_unknown_exit_is_a_failure_and_relaunches() {
    let t0 = Instant::now();
    let mut m = Machine::new(spec(), 1);
    let out = m.step(Input::Adopt { pid: 42 }, t0);
    assert_eq!(summary(&out), ["Adopted"]);
    assert_eq!(m.wanted, Wanted::Up);
    let out = m.step(
        Input::Died {
            exit: Exit::Unknown,
        },
        t0 + Duration::from_secs(60),
    );
    assert_eq!(
        summary(&out),
        ["Exited", "signal SIGKILL", "RestartScheduled", "spawn"]
    );
    let out = m.step(Input::Spawned { pid: 43 }, t0 + Duration::from_secs(60));
    assert_eq!(summary(&out), ["Restarted"]);
}

#[test]
fn failed_health_check_stops_then_restarts_with_the_cause() {
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    let later = t0 + Duration::from_secs(60);
    m.step(
        Input::HealthFailed {
            reason: "HTTP 500".into(),
        },
        later,
    );
    // A stop control meanwhile wins: down, no restart.
    let mut stopped = m.clone();
    stopped.step(Input::Stop, later);
    let out = stopped.step(Input::Died { exit: kill9() }, later);
    assert_eq!(summary(&out), ["signal SIGKILL", "Stopped"]);
    // Otherwise, once down: a failure, restarted, the cause in the events.
    let out = m.step(Input::Died { exit: kill9() }, later);
    assert_eq!(
        summary(&out),
        ["signal SIGKILL", "Exited", "RestartScheduled", "spawn"]
    );
    for action in &out {
        if let Action::Emit(n) = action {
            assert!(
                n.reason.as_deref().unwrap().contains("health check"),
                "{n:?}"
            );
        }
    }
    assert_eq!(m.breaker.count(), 1, "counted by the breaker");
}

#[test]
fn spawn_failures_count_for_the_breaker() {
    let t0 = Instant::now();
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Start, t0);
    for _ in 0..4 {
        m.step(
            Input::SpawnFailed {
                reason: "ENOENT".into(),
            },
            t0,
        );
        assert_eq!(name(&m.state), "Backoff");
        m.step(Input::Start, t0);
    }
    m.step(
        Input::SpawnFailed {
            reason: "ENOENT".into(),
        },
        t0,
    );
    assert_eq!(name(&m.state), "GaveUp");
}

/// Runs the machine through one instance that lives `uptime` and is SIGKILLed; returns
/// the delay of the restart scheduled, or `None` when it gave up.
fn kill_after(m: &mut Machine, now: &mut Instant, uptime: Duration) -> Option<Duration> {
    if let State::Backoff { until, .. } = m.state {
        *now = until;
        m.step(Input::Timer, *now);
    }
    m.step(Input::Spawned { pid: 7 }, *now);
    *now += uptime;
    let out = m.step(Input::Died { exit: kill9() }, *now);
    if name(&m.state) == "GaveUp" {
        return None;
    }
    out.iter().find_map(|a| match a {
        Action::Emit(n) if n.kind == EventKind::RestartScheduled => n.delay,
        _ => None,
    })
}

#[test]
fn killed_after_every_real_run_is_restarted_at_once_and_never_given_up() {
    let mut now = Instant::now();
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Start, now);
    // Process roulette at the defaults: a kill every 2 s for ten minutes, and at exactly
    // the minimum uptime too.
    for i in 0..300 {
        let up = if i % 2 == 0 { 2000 * MS } else { 1000 * MS };
        assert_eq!(
            kill_after(&mut m, &mut now, up),
            Some(Duration::ZERO),
            "kill {i}"
        );
    }
    assert_eq!(m.attempt(), 0);
    assert_eq!(m.breaker.count(), 0);
    m.step(Input::Spawned { pid: 9 }, now);
    assert_eq!(m.restarts, 300);
}

#[test]
fn a_real_run_forgets_earlier_quick_deaths() {
    let mut now = Instant::now();
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Start, now);
    let quick = 10 * MS;
    let delays: Vec<_> = (0..4)
        .map(|_| kill_after(&mut m, &mut now, quick).unwrap().as_millis())
        .collect();
    assert_eq!(delays, [250, 500, 1000, 2000]);
    // One real run after four quick deaths: restarted at once, and the slate is clean.
    assert_eq!(
        kill_after(&mut m, &mut now, Duration::from_secs(1)),
        Some(Duration::ZERO)
    );
    assert_eq!((m.attempt(), m.breaker.count()), (0, 0));
    let delays: Vec<_> = (0..4)
        .map(|_| kill_after(&mut m, &mut now, quick).unwrap().as_millis())
        .collect();
    assert_eq!(delays, [250, 500, 1000, 2000], "the backoff starts over");
    // The fifth quick death in a row is the crash loop.
    assert_eq!(kill_after(&mut m, &mut now, quick), None);
    let State::GaveUp { deaths, .. } = m.state else {
        panic!("{:?}", m.state)
    };
    assert_eq!(deaths, 5);
}

#[test]
fn deaths_in_the_last_hour_are_counted_not_stops() {
    let t0 = Instant::now();
    let mut now = t0;
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Start, now);
    for _ in 0..40 {
        kill_after(&mut m, &mut now, Duration::from_secs(30));
    }
    m.step(Input::Spawned { pid: 8 }, now);
    m.step(Input::Stop, now);
    m.step(Input::Died { exit: kill9() }, now);
    assert_eq!(name(&m.state), "Stopped");
    assert_eq!(m.deaths_last_hour(now), 40);
    assert_eq!(m.deaths_last_hour(now + Duration::from_secs(7200)), 0);
}

#[test]
fn a_clean_exit_within_the_hand_off_window_looks_for_an_heir_past_min_uptime() {
    // The hand-off search follows `LAUNCHER_WINDOW` (2 s), not `min_uptime` (1 s).
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    let out = m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + Duration::from_millis(1500),
    );
    assert_eq!(summary(&out), ["find heir"]);
}
