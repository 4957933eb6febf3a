//! `Machine::step` never panics and keeps its invariants, for any spec validation accepts
//! and any sequence of inputs at any (monotonic) times.

use std::time::{Duration, Instant};

use lifeguard_engine::machine::{Action, Input, Machine, Pause, Scope, State};
use lifeguard_engine::{EventKind, Exit, ProgramSpec, RestartPolicy, Signal};
use proptest::prelude::*;

/// Durations from nothing to absurd: the edges are where overflow hides.
fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        (0u64..5_000).prop_map(Duration::from_millis),
        (0u64..100_000).prop_map(Duration::from_secs),
        (0u64..=u64::MAX / 1_000_000_000).prop_map(Duration::from_secs),
        Just(Duration::MAX),
    ]
}

fn any_spec() -> impl Strategy<Value = ProgramSpec> {
    (
        (any_duration(), any_duration(), any_duration(), 0.0f64..=1.0),
        (
            any::<bool>(),
            prop_oneof![1u32..10, any::<u32>()],
            any_duration(),
        ),
        (
            0u8..3,
            prop::collection::vec(prop_oneof![0i32..=255, any::<i32>()], 0..3),
        ),
        any_duration(),
    )
        .prop_map(
            |((initial, max, stable, jitter), (on, deaths, window), (policy, codes), grace)| {
                let mut spec =
                    ProgramSpec::build("p", ["/bin/true"]).unwrap_or_else(|e| panic!("{e}"));
                // Mostly shapes validation accepts (initial > 0, max ≥ initial), so cases
                // are not spent on rejected specs; the rest checks validation itself.
                spec.backoff.initial = initial.max(Duration::from_nanos(1));
                spec.backoff.max = max.max(spec.backoff.initial);
                // Folded into validation's 100 ms–1 h, or nearly every case would be rejected.
                spec.backoff.min_uptime = Duration::from_millis(
                    100 + u64::try_from(stable.as_millis() % 3_600_000).unwrap_or(0),
                );
                spec.backoff.jitter = jitter;
                spec.breaker.enabled = on;
                spec.breaker.max_deaths = deaths;
                spec.breaker.window = window;
                spec.restart = match policy {
                    0 => RestartPolicy::Always,
                    1 => RestartPolicy::Never,
                    _ => RestartPolicy::OnFailure {
                        clean_exit_codes: codes,
                    },
                };
                spec.stop_grace = grace.min(Duration::from_secs(3600));
                spec
            },
        )
}

fn any_exit() -> impl Strategy<Value = Exit> {
    prop_oneof![
        (-1i32..3).prop_map(Exit::Code),
        Just(Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false
        }),
        Just(Exit::Signal {
            signal: Signal::TERM,
            core_dumped: true
        }),
        Just(Exit::Unknown),
    ]
}

fn any_input() -> impl Strategy<Value = (Input, Duration)> {
    let scope = prop_oneof![Just(Scope::Program), Just(Scope::Global)];
    let input = prop_oneof![
        Just(Input::Start),
        Just(Input::Stop),
        Just(Input::Restart),
        Just(Input::Retry),
        (scope.clone(), prop::option::of(any_duration())).prop_map(|(scope, d)| Input::Pause {
            scope,
            // Resolved against `now` when the step runs (see below).
            until: d.map(|_| Instant::now()),
        }),
        scope.prop_map(|scope| Input::Resume { scope }),
        (1u32..6).prop_map(|pid| Input::Spawned { pid }),
        Just(Input::SpawnFailed {
            reason: "ENOENT".into()
        }),
        any_exit().prop_map(|exit| Input::Died { exit }),
        Just(Input::Timer),
        Just(Input::Timer),
        (1u32..6).prop_map(|pid| Input::Adopt { pid }),
        prop::option::of(1u32..6).prop_map(|pid| Input::Heir { pid }),
        Just(Input::HealthFailed {
            reason: "no answer".into()
        }),
        prop::option::of(Just(Pause::UntilResumed)).prop_map(|paused| Input::Added { paused }),
        Just(Input::Release),
        Just(Input::Removed),
        (0u64..600_000).prop_map(|ms| Input::Slept {
            asleep: Duration::from_millis(ms)
        }),
    ];
    (
        input,
        prop_oneof![
            Just(Duration::ZERO),
            (0u64..600_000).prop_map(Duration::from_millis),
            any_duration()
        ],
    )
}

/// The pid of the instance the state is about, if any.
fn instance_pid(state: &State) -> Option<u32> {
    match state {
        State::Running { pid, .. } | State::Stopping { pid, .. } | State::Seeking { pid, .. } => {
            Some(*pid)
        }
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn step_never_panics_and_keeps_its_invariants(
        spec in any_spec(),
        seed in any::<u64>(),
        inputs in prop::collection::vec(any_input(), 0..60),
    ) {
        prop_assume!(spec.validate().is_ok());
        let mut m = Machine::new(spec, seed);
        let mut now = Instant::now();
        for (input, advance, pause_for) in inputs.into_iter().map(|(i, d)| (i, d, d)) {
            // Time only moves forward, and never past what an Instant can hold.
            now = now.checked_add(advance).unwrap_or(now);
            let input = match input {
                Input::Pause { scope, until: Some(_) } => Input::Pause { scope, until: now.checked_add(pause_for) },
                other => other,
            };
            let before_pid = instance_pid(m.state());
            let before_restarts = m.restarts();
            let was_starting = matches!(m.state(), State::Starting { .. });
            let is_timer = input == Input::Timer;
            let actions = m.step(input, now);
            // Counts only grow.
            prop_assert!(m.restarts() >= before_restarts);
            let spawns = actions.iter().filter(|a| **a == Action::Spawn).count();
            prop_assert!(spawns <= 1, "{actions:?}");
            // A spawn is asked for exactly when the machine enters Starting; it may be
            // answered in the same step (a pause expired, then the input was Spawned).
            if let Some(at) = actions.iter().position(|a| *a == Action::Spawn) {
                let answered = actions[at..].iter().any(|a| matches!(a, Action::Emit(n)
                    if matches!(n.kind, EventKind::Started | EventKind::Restarted | EventKind::SpawnFailed)));
                prop_assert!(matches!(m.state(), State::Starting { .. }) || answered,
                    "{:?} after {actions:?}", m.state());
            }
            if matches!(m.state(), State::Starting { .. }) && !was_starting {
                prop_assert_eq!(spawns, 1, "Starting without a Spawn: {:?}", actions);
            }
            // Signals go only to the instance it had or has.
            for a in &actions {
                if let Action::SignalTree { pid, .. } = a {
                    let now_pid = instance_pid(m.state());
                    prop_assert!(Some(*pid) == before_pid || Some(*pid) == now_pid,
                        "signalled {pid}, instance was {before_pid:?}, is {now_pid:?}");
                }
            }
            // A deadline exists exactly when something is waited for.
            let waits = matches!(m.state(), State::Backoff { .. } | State::Stopping { killed: false, .. })
                || m.pauses().own().and_then(|p| p.end()).is_some()
                || m.pauses().global().and_then(|p| p.end()).is_some();
            prop_assert_eq!(m.deadline().is_some(), waits, "{:?} {:?}", m.state(), m.pauses());
            // Wanted down means nothing is started.
            if m.wanted() == lifeguard_engine::Wanted::Down {
                prop_assert_eq!(spawns, 0);
            }
            let _ = is_timer;
        }
    }
}
