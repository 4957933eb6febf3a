//! Scenarios: sequences of inputs through the machine (the one-step table is in
//! `table_tests.rs`).

use std::time::Duration;

use super::fixtures::{kill9, machine_in, name, spec, summary, MS};
use super::*;
use crate::{EventKind, RestartPolicy};

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
            heir: true,
            adopted: false,
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
fn a_launcher_seen_handing_off_whose_next_start_leaves_nothing_is_restarted() {
    // The roulette's 39 s outage: a launcher's program killed before the heir search saw it.
    let t0 = Instant::now();
    let mut m = machine_in("Seeking", t0);
    m.step(Input::Heir { pid: Some(321) }, t0 + MS);
    m.step(
        Input::Died {
            exit: Exit::Unknown,
        },
        t0 + 5000 * MS,
    );
    m.step(Input::Spawned { pid: 400 }, t0 + 5000 * MS);
    let out = m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + 5001 * MS,
    );
    assert_eq!(summary(&out), ["find heir"]);
    let out = m.step(Input::Heir { pid: None }, t0 + 5001 * MS);
    assert_eq!(summary(&out)[0], "Exited");
    assert!(
        !summary(&out).contains(&"NothingLeft".to_owned()),
        "{out:?}"
    );
    assert_ne!(name(&m.state), "Exited");
    // Another command line is a program to learn afresh: nothing left is recorded again.
    let mut fresh = machine_in("Seeking", t0);
    fresh.step(Input::Heir { pid: Some(321) }, t0 + MS);
    let mut other = fresh.spec.clone();
    other.argv.push("--other".into());
    fresh.step(
        Input::Update {
            spec: Box::new(other),
        },
        t0 + 2 * MS,
    );
    assert!(!fresh.launcher);
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
fn an_adopted_programs_clean_exit_right_after_adoption_is_the_users_quit() {
    // Re-adopted after a daemon restart: past its launcher window whatever the new
    // daemon's clock says, so a quit (the keeper's recorded exit 0) is not a hand-off.
    let t0 = Instant::now();
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Adopt { pid: 42 }, t0);
    let out = m.step(
        Input::Died {
            exit: Exit::Code(0),
        },
        t0 + 100 * MS,
    );
    assert!(
        !out.iter().any(|a| matches!(a, Action::FindHeir)),
        "looked for a launcher's heir: {:?}",
        summary(&out)
    );
    assert_eq!(name(&m.state), "Exited", "{:?}", summary(&out));
    // A crash as soon is still a crash.
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Adopt { pid: 42 }, t0);
    let out = m.step(
        Input::Died {
            exit: Exit::Code(3),
        },
        t0 + 100 * MS,
    );
    assert!(
        summary(&out).contains(&"RestartScheduled".to_string()),
        "{:?}",
        summary(&out)
    );
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
    // The first quick death after a real run is answered at once, then the backoff
    // starts over.
    assert_eq!(delays, [0, 250, 500, 1000], "the backoff starts over");
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

#[test]
fn a_release_starts_nothing_on_the_way_out_even_when_a_pause_just_ended() {
    // Held by a pause whose end has come but whose timer has not fired yet: releasing the
    // program must not start an instance that nobody watches any more.
    let t0 = Instant::now();
    let mut m = machine_in("Running", t0);
    m.step(
        Input::Pause {
            scope: Scope::Program,
            until: Some(t0 + 10 * MS),
        },
        t0,
    );
    m.step(Input::Died { exit: kill9() }, t0 + MS);
    assert_eq!(name(&m.state), "Held");
    let out = m.step(Input::Release, t0 + 20 * MS);
    assert_eq!(summary(&out), ["Removed"]);
    assert_eq!(name(&m.state), "Stopped");
}

#[test]
fn the_global_pause_a_program_is_added_under_holds_its_restarts_until_it_ends() {
    let t0 = Instant::now();
    let mut m = Machine::new(spec(), 1);
    let paused = Some(Pause::Until(t0 + Duration::from_secs(5)));
    assert_eq!(summary(&m.step(Input::Added { paused }, t0)), ["Added"]);
    assert_eq!(m.deadline(), Some(t0 + Duration::from_secs(5)));
    m.step(Input::Start, t0);
    m.step(Input::Spawned { pid: 3 }, t0);
    m.step(Input::Died { exit: kill9() }, t0 + Duration::from_secs(2));
    assert_eq!(name(&m.state), "Held");
    let out = m.step(Input::Timer, t0 + Duration::from_secs(5));
    assert_eq!(summary(&out), ["Resumed", "spawn"]);
}

/// The delay of each restart (`None`: gave up) for a program whose instances run the
/// given uptimes one after another, each ended by a SIGKILL, from a fresh start.
fn delays_for(uptimes_ms: &[u64]) -> Vec<Option<u128>> {
    let mut now = Instant::now();
    let mut m = Machine::new(spec(), 1);
    m.step(Input::Start, now);
    uptimes_ms
        .iter()
        .map(|up| kill_after(&mut m, &mut now, Duration::from_millis(*up)).map(|d| d.as_millis()))
        .collect()
}

#[test]
fn the_first_quick_death_after_a_real_run_is_restarted_at_once() {
    // Process roulette: a kill that lands within `min_uptime` of a restart that followed
    // a real run is one more kill, not a crash loop. Only a second quick death in a row
    // backs off; the breaker still counts every quick death.
    const Q: u64 = 10;
    const REAL: u64 = 2000;
    let rows: [(&[u64], &[Option<u128>]); 5] = [
        // A program that never ran for real gets no grace.
        (&[Q, Q], &[Some(250), Some(500)]),
        // Killed soon after a restart that followed a real run: at once.
        (&[REAL, Q], &[Some(0), Some(0)]),
        (&[REAL, Q, REAL, Q], &[Some(0), Some(0), Some(0), Some(0)]),
        // A second quick death in a row backs off from `initial`.
        (&[REAL, Q, Q, Q], &[Some(0), Some(0), Some(250), Some(500)]),
        // A crash loop after a real run: given up on at the fifth quick death.
        (
            &[REAL, Q, Q, Q, Q, Q],
            &[Some(0), Some(0), Some(250), Some(500), Some(1000), None],
        ),
    ];
    for (uptimes, want) in rows {
        assert_eq!(delays_for(uptimes), want, "uptimes {uptimes:?}");
    }
}
