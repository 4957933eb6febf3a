//! The transition table: every state × every input, exhaustively. A pair is either a row
//! of [`TABLE`] or asserted to leave the machine (state, wishes, memory) unchanged with no
//! actions. Rows are grouped as the arms of `Machine::step` are.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::fixtures::{kill9, machine_in, name, spec, summary, MS};
use super::*;

/// `from | inputs | to | wanted after | actions`. `from` lists states, or `*` for every
/// state without a row of its own for that input; `to` and `wanted` may be `=` (unchanged).
/// Inputs are the names of [`cases`]. The machines come from `fixtures::machine_in`.
const TABLE: &str = "
# In any state.
*              | pause pause-all                  | =        | =    | Paused
Backoff        | pause pause-all                  | Held     | up   | Paused
Held           | resume resume-all                | Starting | up   | Resumed, spawn
*              | update relaunch                  | =        | =    | Updated
Running        | relaunch                         | Stopping | up   | Updated, signal SIGTERM, Stopping
*              | release                          | Stopped  | =    | Removed
*              | removed                          | =        | =    | Removed
Stopped        | added                            | Stopped  | down | Added
*              | slept                            | =        | =    |
# Wanted up.
Stopped Exited | start restart                    | Starting | up   | spawn
Backoff Held   | start restart                    | Starting | up   | spawn
GaveUp         | start restart retry              | Starting | up   | Retried, spawn
Running        | restart                          | Stopping | up   | signal SIGTERM, Stopping
Stopping       | start restart                    | Stopping | up   |
Stopped        | adopt                            | Running  | up   | Adopted
# Wanted down.
Running        | stop                             | Stopping | down | signal SIGTERM, Stopping
Stopping       | stop                             | Stopping | down |
Backoff Held   | stop                             | Stopped  | down | Stopped
Exited GaveUp  | stop                             | Stopped  | down | Stopped
# The instance.
Starting       | spawned                          | Running  | up   | Started
Starting       | spawn-failed                     | Backoff  | up   | SpawnFailed, RestartScheduled
Running        | died-kill-late                   | Starting | up   | Exited, signal SIGKILL, RestartScheduled, spawn
Running        | died-kill died-1                 | Backoff  | up   | Exited, signal SIGKILL, RestartScheduled
Running        | died-0-late                      | Exited   | up   | Exited, signal SIGKILL
Running        | died-0                           | Seeking  | up   | find heir
Running        | health-failed                    | Stopping | up   | HealthFailed, signal SIGTERM, Stopping
Running        | over-memory                      | Stopping | up   | MemoryHigh, signal SIGTERM, Stopping
Running        | over-memory-notify               | Running  | up   | MemoryHigh
Running        | not-responding                   | Stopping | up   | NotResponding, signal SIGTERM, Stopping
Running        | not-responding-notify            | Running  | up   | NotResponding
Running        | responding                       | Running  | up   | Responding
Running        | talk-ready                       | Running  | up   | Ready
Running        | talk-status                      | Running  | up   | Status
Running        | talk-stopping                    | Running  | up   | ShuttingDown
Running        | talk-mainpid                     | Running  | up   | MainChanged
Running        | talk-watchdog                    | Running  | up   |
Seeking        | heir                             | Running  | up   | HandedOff
Seeking        | heir-none                        | Exited   | up   | NothingLeft
Seeking        | copy                             | Running  | up   | Adopted
Stopping       | died-kill died-kill-late died-0  | Stopped  | down | signal SIGKILL, Stopped
Stopping       | died-0-late died-1               | Stopped  | down | signal SIGKILL, Stopped
# Timers.
Stopping       | timer-late                       | Stopping | down | signal SIGKILL, Stopping
Backoff        | timer-250ms timer-4s timer-late  | Starting | up   | spawn
";

/// Every input by name, at its time after `t0`: one case per variant of [`Input`], more
/// where the arm depends on the data (an exit status, an uptime, a deadline, a scope).
fn cases() -> Vec<(&'static str, Input, Duration)> {
    let late = Duration::from_secs(60);
    let died = |exit| Input::Died { exit };
    let mut relaunch = spec();
    relaunch.argv = vec!["other".into()];
    vec![
        ("added", Input::Added { paused: None }, Duration::ZERO),
        ("start", Input::Start, Duration::ZERO),
        ("stop", Input::Stop, Duration::ZERO),
        ("restart", Input::Restart, Duration::ZERO),
        ("retry", Input::Retry, Duration::ZERO),
        ("pause", pause(Scope::Program), Duration::ZERO),
        ("pause-all", pause(Scope::Global), Duration::ZERO),
        ("resume", resume(Scope::Program), Duration::ZERO),
        ("resume-all", resume(Scope::Global), Duration::ZERO),
        ("update", update(spec()), Duration::ZERO),
        ("relaunch", update(relaunch), Duration::ZERO),
        ("release", Input::Release, Duration::ZERO),
        ("removed", Input::Removed, Duration::ZERO),
        ("spawned", Input::Spawned { pid: 7 }, Duration::ZERO),
        ("spawn-failed", failed(), Duration::ZERO),
        ("died-kill", died(kill9()), Duration::ZERO),
        ("died-kill-late", died(kill9()), late),
        ("died-0", died(Exit::Code(0)), Duration::ZERO),
        ("died-0-late", died(Exit::Code(0)), late),
        ("died-1", died(Exit::Code(1)), Duration::ZERO),
        ("timer", Input::Timer, Duration::ZERO),
        ("timer-100ms", Input::Timer, 100 * MS),
        ("timer-250ms", Input::Timer, 250 * MS),
        ("timer-4s", Input::Timer, Duration::from_secs(4)),
        ("timer-late", Input::Timer, late),
        ("adopt", Input::Adopt { pid: 5 }, Duration::ZERO),
        ("heir", Input::Heir { pid: Some(77) }, Duration::ZERO),
        ("heir-none", Input::Heir { pid: None }, Duration::ZERO),
        ("copy", Input::Copy { pid: 555 }, Duration::ZERO),
        ("health-failed", unhealthy(), Duration::ZERO),
        ("over-memory", over_memory(true), Duration::ZERO),
        ("over-memory-notify", over_memory(false), Duration::ZERO),
        ("not-responding", not_responding(true), Duration::ZERO),
        (
            "not-responding-notify",
            not_responding(false),
            Duration::ZERO,
        ),
        (
            "responding",
            Input::Responding {
                reason: "responding again after 40 s".into(),
            },
            Duration::ZERO,
        ),
        ("talk-ready", Input::Talk(Talk::Ready), Duration::ZERO),
        (
            "talk-status",
            Input::Talk(Talk::Status("3 jobs".into())),
            Duration::ZERO,
        ),
        ("talk-stopping", Input::Talk(Talk::Stopping), Duration::ZERO),
        (
            "talk-mainpid",
            Input::Talk(Talk::MainPid(88)),
            Duration::ZERO,
        ),
        (
            "talk-watchdog",
            Input::Talk(Talk::Watchdog {
                every: Duration::from_secs(10),
            }),
            Duration::ZERO,
        ),
        (
            "slept",
            Input::Slept {
                asleep: Duration::from_secs(1),
            },
            Duration::ZERO,
        ),
    ]
}

const STATES: [&str; 9] = [
    "Stopped", "Starting", "Running", "Stopping", "Seeking", "Backoff", "Held", "Exited", "GaveUp",
];

/// The variant of an input, so that a new variant without a case fails the test.
fn variant(input: &Input) -> &'static str {
    match input {
        Input::Added { .. } => "Added",
        Input::Start => "Start",
        Input::Stop => "Stop",
        Input::Restart => "Restart",
        Input::Retry => "Retry",
        Input::Pause { .. } => "Pause",
        Input::Resume { .. } => "Resume",
        Input::Update { .. } => "Update",
        Input::Release => "Release",
        Input::Removed => "Removed",
        Input::Spawned { .. } => "Spawned",
        Input::SpawnFailed { .. } => "SpawnFailed",
        Input::Died { .. } => "Died",
        Input::Timer => "Timer",
        Input::Adopt { .. } => "Adopt",
        Input::Heir { .. } => "Heir",
        Input::Copy { .. } => "Copy",
        Input::HealthFailed { .. } => "HealthFailed",
        Input::OverMemory { .. } => "OverMemory",
        Input::NotResponding { .. } => "NotResponding",
        Input::Responding { .. } => "Responding",
        Input::Slept { .. } => "Slept",
        Input::Talk(_) => "Talk",
    }
}
const VARIANTS: usize = 23;

/// One parsed row: what `from + input` leads to.
#[derive(Clone)]
struct Row<'a> {
    to: &'a str,
    wanted: &'a str,
    actions: Vec<&'a str>,
}

/// The table by (state, input); a `*` row fills the states without a row of their own.
fn rows() -> Vec<((String, String), Row<'static>)> {
    let mut exact = Vec::new();
    let mut wild = Vec::new();
    for line in TABLE.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let [from, inputs, to, wanted, actions] = cols[..] else {
            panic!("bad row {line:?}")
        };
        let actions: Vec<&str> = actions
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        for input in inputs.split_whitespace() {
            let row = || Row {
                to,
                wanted,
                actions: actions.clone(),
            };
            if from == "*" {
                wild.push((input, row()));
            } else {
                for state in from.split_whitespace() {
                    exact.push(((state.to_owned(), input.to_owned()), row()));
                }
            }
        }
    }
    for (input, row) in wild {
        for state in STATES {
            let key = (state.to_owned(), input.to_owned());
            if !exact.iter().any(|(k, _)| *k == key) {
                exact.push((key, row.clone()));
            }
        }
    }
    exact
}

#[test]
fn transition_table() {
    let t0 = Instant::now();
    let cases = cases();
    let rows = rows();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.0).collect();
    let variants: BTreeSet<&str> = cases.iter().map(|c| variant(&c.1)).collect();
    assert_eq!(variants.len(), VARIANTS, "a case for every input variant");
    let mut seen = BTreeSet::new();
    for ((from, input), _) in &rows {
        assert!(STATES.contains(&from.as_str()), "no state {from}");
        assert!(names.contains(input.as_str()), "no input {input}");
        assert!(seen.insert((from, input)), "two rows for {from} + {input}");
    }
    let mut pairs = 0;
    for state in STATES {
        for (input_name, input, after) in &cases {
            pairs += 1;
            let mut m = machine_in(state, t0);
            let before = format!("{m:?}");
            let was = m.wanted;
            let pair = format!("{state} + {input_name} ({input:?})");
            let got = m.step(input.clone(), t0 + *after);
            let key = (state.to_owned(), (*input_name).to_owned());
            let Some((_, row)) = rows.iter().find(|(k, _)| *k == key) else {
                assert_eq!(summary(&got), Vec::<String>::new(), "{pair}");
                assert_eq!(format!("{m:?}"), before, "{pair} changed the machine");
                continue;
            };
            let to = if row.to == "=" { state } else { row.to };
            assert_eq!(name(&m.state), to, "{pair}");
            assert_eq!(summary(&got), row.actions, "{pair}");
            let wanted = match row.wanted {
                "=" => was,
                "up" => Wanted::Up,
                "down" => Wanted::Down,
                other => panic!("no wish {other}"),
            };
            assert_eq!(m.wanted, wanted, "{pair}: wanted");
        }
    }
    assert_eq!(pairs, STATES.len() * cases.len());
    assert_eq!(pairs, 369, "every state × every input case");
}

fn pause(scope: Scope) -> Input {
    Input::Pause { scope, until: None }
}

fn resume(scope: Scope) -> Input {
    Input::Resume { scope }
}

fn update(spec: crate::ProgramSpec) -> Input {
    Input::Update {
        spec: Box::new(spec),
    }
}

fn failed() -> Input {
    Input::SpawnFailed {
        reason: "ENOENT".into(),
    }
}

fn over_memory(restart: bool) -> Input {
    Input::OverMemory {
        reason: "using 812 MB, over its 500 MB limit".into(),
        restart,
    }
}

fn not_responding(restart: bool) -> Input {
    Input::NotResponding {
        reason: "not responding for 30 s".into(),
        restart,
    }
}

fn unhealthy() -> Input {
    Input::HealthFailed {
        reason: "HTTP 500".into(),
    }
}
