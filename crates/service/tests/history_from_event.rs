//! Engine events become history rows, and their telemetry line is the engine's own JSON
//! line (what `lifeguard run` prints).
#![allow(clippy::unwrap_used)]

use lifeguard_engine::{Event, EventKind, Exit, ProgramId, RequestedBy, Signal};
use lifeguard_service::history::{kind, HistoryRecord};
use lifeguard_service::telemetry::TelemetryLine;

fn event(kind: EventKind, exit: Option<Exit>) -> Event {
    Event {
        ts: 1_700_000_000_123,
        kind,
        program: ProgramId::new("web").unwrap(),
        name: "Web".into(),
        pid: Some(4242),
        attempt: 2,
        exit,
        uptime_ms: Some(1500),
        delay_ms: None,
        until: None,
        requested_by: Some(RequestedBy::Cli),
        reason: Some("testing".into()),
    }
}

#[test]
fn a_sigkill_exit_becomes_a_row_with_signal_number_and_name() {
    let killed = Exit::Signal {
        signal: Signal::KILL,
        core_dumped: false,
    };
    let rec = HistoryRecord::from(&event(EventKind::Exited, Some(killed)));
    assert_eq!(rec.kind, kind::EXITED);
    assert_eq!(rec.ts_ms, 1_700_000_000_123);
    assert_eq!(
        (rec.signal, rec.signal_name.as_deref()),
        (Some(9), Some("SIGKILL"))
    );
    assert_eq!(rec.exit_code, None);
    assert_eq!(rec.requested_by.as_deref(), Some("cli"));
    assert_eq!(rec.attempt, Some(2));
    let rec = HistoryRecord::from(&event(EventKind::RestartScheduled, None));
    assert_eq!(rec.kind, kind::RESTART_SCHEDULED);
}

#[test]
fn the_telemetry_line_equals_the_engine_json_line() {
    let cases = [
        event(EventKind::Started, None),
        event(EventKind::Exited, Some(Exit::Code(3))),
        event(
            EventKind::Exited,
            Some(Exit::Signal {
                signal: Signal::TERM,
                core_dumped: true,
            }),
        ),
        Event {
            until: Some(1_800_000_000_000),
            ..event(EventKind::Paused, None)
        },
    ];
    for e in cases {
        let engine: serde_json::Value = serde_json::from_str(&e.to_json_line()).unwrap();
        let ours = serde_json::to_value(TelemetryLine::from(&HistoryRecord::from(&e))).unwrap();
        assert_eq!(ours, engine, "{e:?}");
    }
}

#[test]
fn the_desktop_kinds_are_stored_by_name_and_read_in_plain_words() {
    for (k, name) in [
        (EventKind::HandedOff, kind::HANDED_OFF),
        (EventKind::NothingLeft, kind::NOTHING_LEFT),
        (EventKind::Adopted, kind::ADOPTED),
        (EventKind::HealthFailed, kind::HEALTH_FAILED),
        (EventKind::MemoryHigh, kind::MEMORY_HIGH),
        (EventKind::HookFailed, kind::HOOK_FAILED),
        (EventKind::NotResponding, kind::NOT_RESPONDING),
        (EventKind::Responding, kind::RESPONDING),
    ] {
        assert_eq!(HistoryRecord::from(&event(k, None)).kind, name);
    }
    // An adopted process's exit: no code, no signal, and the row says why.
    let mut unknown = event(EventKind::Exited, Some(Exit::Unknown));
    unknown.reason = None;
    let rec = HistoryRecord::from(&unknown);
    assert_eq!(rec.detail.as_ref().unwrap()["exit"], "unknown");
    assert!(rec.exit_description().contains("unknown status"));
}
