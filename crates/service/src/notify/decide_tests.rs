//! One row per rule: a script of events at given times → the popups, with their times.
#![allow(clippy::unwrap_used)]

use lifeguard_engine::{Event, EventKind, Exit, ProgramId, RequestedBy, Signal};

use super::*;
use crate::notify::notice::ProgramPrefs;

/// 2 h 13 min 20 s.
const UPTIME: u64 = 8_000_000;
const MIN: u64 = 60_000;

#[derive(Clone, Copy)]
struct Step(u64, EventKind, &'static str, Extra);

#[derive(Clone, Copy)]
enum Extra {
    None,
    Kill,
    Code(i32),
    Asked,
    Until(u64),
    /// A hold with this reason (as the daemon's shutdown gives it).
    Hold(&'static str),
}

fn ev(step: &Step) -> Event {
    let Step(t, kind, id, extra) = *step;
    let mut e = Event {
        ts: t,
        kind,
        program: ProgramId::new(id).unwrap(),
        name: id.to_uppercase(),
        pid: None,
        attempt: 0,
        exit: None,
        uptime_ms: None,
        delay_ms: None,
        until: None,
        requested_by: None,
        reason: None,
    };
    match extra {
        Extra::Kill => {
            e.exit = Some(Exit::Signal {
                signal: Signal::KILL,
                core_dumped: false,
            });
            e.uptime_ms = Some(UPTIME);
        }
        Extra::Code(c) => (e.exit, e.uptime_ms) = (Some(Exit::Code(c)), Some(1500)),
        Extra::Asked => e.requested_by = Some(RequestedBy::Cli),
        Extra::Until(u) => e.until = Some(u),
        Extra::Hold(why) => {
            e.requested_by = Some(RequestedBy::Api);
            e.reason = Some(why.into());
        }
        Extra::None => {}
    }
    if kind == EventKind::GaveUp {
        e.reason = Some("5 deaths within 1m: gave up until retried".into());
    }
    e
}

fn render(t: u64, d: &Decision) -> String {
    let key = |k: &Key| match k {
        Key::Program(id) => id.to_string(),
        Key::Summary => "summary".into(),
        Key::Pause => "pause".into(),
    };
    let n = d.notice();
    let what = match d {
        Decision::Show(_) => "show".to_owned(),
        Decision::Replace { id_of, .. } => format!("replace {}", key(id_of)),
        Decision::Summary { replaces, .. } => {
            format!(
                "summary [{}]",
                replaces.iter().map(key).collect::<Vec<_>>().join(",")
            )
        }
        Decision::GaveUp(_) => "gave_up".to_owned(),
        Decision::PausedNotice(_) => "paused".to_owned(),
    };
    let retry = n.actions.as_ref().map(|r| format!(" +retry {}", r.program));
    format!(
        "@{t} {what}: {} | {}{}",
        n.summary,
        n.body,
        retry.unwrap_or_default()
    )
}

/// Runs the script, calling back at every deadline (also after the last step).
fn run(steps: &[Step], prefs: &Prefs) -> Vec<String> {
    let mut recent = Recent::default();
    let mut out = Vec::new();
    let now = |ms| Now {
        ms,
        utc_offset_s: 0,
    };
    let drain = |recent: &mut Recent, out: &mut Vec<String>, until: u64| {
        while let Some(d) = recent.deadline().filter(|d| *d <= until) {
            out.extend(
                recent
                    .on_deadline(prefs, now(d))
                    .iter()
                    .map(|x| render(d, x)),
            );
        }
    };
    for step in steps {
        drain(&mut recent, &mut out, step.0);
        let e = ev(step);
        out.extend(
            recent
                .on_event(&e, prefs, now(step.0))
                .iter()
                .map(|x| render(step.0, x)),
        );
    }
    drain(&mut recent, &mut out, u64::MAX);
    out
}

fn killed(t: u64, id: &'static str) -> [Step; 2] {
    [
        Step(t, EventKind::Exited, id, Extra::Kill),
        Step(t + 20, EventKind::Restarted, id, Extra::None),
    ]
}

fn prefs_with(f: impl FnOnce(&mut Prefs)) -> Prefs {
    let mut p = Prefs::default();
    f(&mut p);
    p
}

const KILLED: &str = "It was killed (SIGKILL) after 2 h 13 min.";

#[test]
fn one_row_per_rule() {
    let d = Prefs::default();
    let off = prefs_with(|p| p.enabled = false);
    let a_off = prefs_with(|p| {
        let quiet = ProgramPrefs {
            notify: false,
            icon: None,
        };
        p.programs.insert(ProgramId::new("a").unwrap(), quiet);
    });
    let five: Vec<Step> = ["a", "b", "c", "d", "e"]
        .iter()
        .enumerate()
        .flat_map(|(i, id)| killed(i as u64 * 10, id))
        .collect();
    let three: Vec<Step> = ["a", "b", "c"]
        .iter()
        .flat_map(|id| killed(0, id))
        .collect();
    let spaced: Vec<Step> = ["a", "b", "c", "d", "e", "f", "g"]
        .iter()
        .enumerate()
        .flat_map(|(i, id)| killed(i as u64 * 11_000, id))
        .collect();
    let crash_loop: Vec<Step> = (0..4u64)
        .flat_map(|i| {
            [
                Step(i * 50, EventKind::Exited, "a", Extra::Code(1)),
                Step(i * 50 + 20, EventKind::Restarted, "a", Extra::None),
            ]
        })
        .chain([Step(300, EventKind::GaveUp, "a", Extra::None)])
        .collect();
    let paused = [
        Step(0, EventKind::Paused, "a", Extra::Until(15 * MIN)),
        Step(1, EventKind::Paused, "b", Extra::Until(15 * MIN)),
        Step(5_000, EventKind::Exited, "a", Extra::Kill),
        Step(15 * MIN, EventKind::Resumed, "a", Extra::None),
        Step(15 * MIN + 5, EventKind::Restarted, "a", Extra::None),
    ];
    // Quitting Lifeguard: the daemon holds restarts, then the engine does, while they stop.
    let quitting = [
        Step(
            0,
            EventKind::Paused,
            "a",
            Extra::Hold("daemon shutdown (requested by ui)"),
        ),
        Step(
            1,
            EventKind::Paused,
            "b",
            Extra::Hold("shutting down: restarts are held"),
        ),
        Step(2, EventKind::Exited, "a", Extra::Kill),
        Step(
            3,
            EventKind::Paused,
            "c",
            Extra::Hold("the machine is shutting down: restarts are held"),
        ),
    ];
    let day = 86_400_000;
    let rows: Vec<(&str, Vec<Step>, &Prefs, Vec<String>)> = vec![
        (
            "a kill then its restart: one popup with the cause and the count",
            killed(0, "a").into(),
            &d,
            vec![format!(
                "@20 show: A restarted | {KILLED} First restart today."
            )],
        ),
        (
            "an exit code is named too",
            vec![
                Step(0, EventKind::Exited, "a", Extra::Code(3)),
                Step(9, EventKind::Restarted, "a", Extra::None),
            ],
            &d,
            vec![
                "@9 show: A restarted | It exited with code 3 after 1 s. First restart today."
                    .into(),
            ],
        ),
        (
            "again within a minute: replaces its popup, with the new count",
            [killed(0, "a"), killed(30_000, "a")].concat(),
            &d,
            vec![
                format!("@20 show: A restarted | {KILLED} First restart today."),
                format!("@30020 replace a: A restarted | {KILLED} Restarted 2 times today."),
            ],
        ),
        (
            "again after a minute: a new popup",
            [killed(0, "a"), killed(90_000, "a")].concat(),
            &d,
            vec![
                format!("@20 show: A restarted | {KILLED} First restart today."),
                format!("@90020 show: A restarted | {KILLED} Restarted 2 times today."),
            ],
        ),
        (
            "quick repeats wait a second and are merged",
            [killed(0, "a"), killed(100, "a"), killed(200, "a")].concat(),
            &d,
            vec![
                format!("@20 show: A restarted | {KILLED} First restart today."),
                format!("@1020 replace a: A restarted | {KILLED} Restarted 3 times today."),
            ],
        ),
        (
            "the count restarts with a new day",
            [killed(day - 1_000, "a"), killed(day + 120_000, "a")].concat(),
            &d,
            vec![
                format!(
                    "@{} show: A restarted | {KILLED} First restart today.",
                    day - 980
                ),
                format!(
                    "@{} show: A restarted | {KILLED} First restart today.",
                    day + 120_020
                ),
            ],
        ),
        (
            "a restart someone asked for is not notified",
            vec![Step(0, EventKind::Restarted, "a", Extra::Asked)],
            &d,
            vec![],
        ),
        (
            "the global switch off: nothing",
            killed(0, "a").into(),
            &off,
            vec![],
        ),
        (
            "the program's switch off: nothing for it, others still notify",
            [killed(0, "a"), killed(5_000, "b")].concat(),
            &a_off,
            vec![format!(
                "@5020 show: B restarted | {KILLED} First restart today."
            )],
        ),
        (
            "more than 3 programs within 10 s: one summary replacing the first popup",
            five,
            &d,
            vec![
                format!("@20 show: A restarted | {KILLED} First restart today."),
                "@1020 summary [a]: 5 programs were restarted | A, B, C, D, E.".into(),
            ],
        ),
        (
            "3 programs at once: each its own popup",
            three,
            &d,
            vec![
                format!("@20 show: A restarted | {KILLED} First restart today."),
                format!("@1020 show: B restarted | {KILLED} First restart today."),
                format!("@1020 show: C restarted | {KILLED} First restart today."),
            ],
        ),
        (
            "the hard cap: 5 a minute, the rest waits for room",
            spaced,
            &d,
            [
                "@20 show: A",
                "@11020 show: B",
                "@22020 show: C",
                "@33020 show: D",
                "@44020 show: E",
                "@60020 show: F",
                "@71020 show: G",
            ]
            .iter()
            .map(|s| format!("{s} restarted | {KILLED} First restart today."))
            .collect(),
        ),
        (
            "the breaker gave up: one notice with the retry action, replacing the restarts",
            crash_loop,
            &d,
            vec![
                "@20 show: A restarted | It exited with code 1 after 1 s. First restart today."
                    .into(),
                "@1020 gave_up: A keeps crashing | It kept dying (5 deaths within 1 min), so \
               Lifeguard stopped restarting it. +retry a"
                    .into(),
            ],
        ),
        (
            "quitting Lifeguard (or the machine shutting down) is no pause: silent",
            quitting.into(),
            &d,
            vec![],
        ),
        (
            "a pause: one notice; kills it leaves alone and the resume are silent",
            paused.into(),
            &d,
            vec![
                "@0 paused: Protection paused for 15 min | Programs that stop are not restarted, \
               and you are not notified about them, until the pause ends. Resume from the tray \
               or with `lifeguard resume`."
                    .into(),
            ],
        ),
    ];
    for (name, steps, prefs, want) in rows {
        assert_eq!(run(&steps, prefs), want, "rule: {name}");
    }
}
