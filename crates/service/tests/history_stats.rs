//! Per-program stats and the restarts-per-day chart, on crafted event sequences.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use lifeguard_service::history::{
    kind, HistoryReader, HistoryRecord, HistoryWriter, Retention, WriterOptions,
};

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;
/// A fixed "now" at a UTC midnight plus 12 h, far from the epoch.
const NOW: i64 = 20_000 * DAY + 12 * H;

fn write(db: &Path, events: &[HistoryRecord]) -> HistoryReader {
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(db, options).unwrap();
    for e in events {
        writer.record(e.clone()).unwrap();
    }
    writer.close().unwrap();
    HistoryReader::open(db).unwrap()
}

fn ev(ts: i64, k: &str) -> HistoryRecord {
    HistoryRecord::new(ts, "app", "App", k)
}

fn killed(ts: i64) -> HistoryRecord {
    HistoryRecord {
        signal: Some(9),
        signal_name: Some("SIGKILL".into()),
        ..ev(ts, kind::EXITED)
    }
}

#[test]
fn uptime_mtbf_and_restart_counts_follow_the_documented_rules() {
    let dir = tempfile::tempdir().unwrap();
    // Window: the last 10 h. Up since before the window, killed at -8 h, restarted at
    // -7 h, killed at -4 h, restarted at -2 h, still up: up 2 + 3 + 2 = 7 h of 10.
    // Also: a restart 3 days ago (counts for 7 d only) and a clean requested stop of
    // another program, which must not leak in.
    let reader = write(
        &dir.path().join("h.sqlite3"),
        &[
            ev(NOW - 3 * DAY, kind::RESTARTED),
            ev(NOW - 20 * H, kind::STARTED),
            killed(NOW - 8 * H),
            ev(NOW - 7 * H, kind::RESTARTED),
            killed(NOW - 4 * H),
            ev(NOW - 2 * H, kind::RESTARTED),
            HistoryRecord::new(NOW - H, "other", "Other", kind::STOPPED),
        ],
    );
    let s = reader
        .program_stats("app", NOW, Duration::from_millis((10 * H) as u64))
        .unwrap();
    assert_eq!(s.restarts_24h, 2);
    assert_eq!(s.restarts_7d, 3);
    assert!(
        (s.uptime_pct.unwrap() - 70.0).abs() < 1e-9,
        "{:?}",
        s.uptime_pct
    );
    assert_eq!(s.failures, 2);
    assert_eq!(s.mtbf_ms, Some((7 * H / 2) as u64));
    assert_eq!(s.last_exit.as_ref().unwrap().ts_ms, NOW - 4 * H);
    assert_eq!(s.last_exit_reason.as_deref(), Some("killed by SIGKILL"));
}

#[test]
fn a_new_program_is_measured_from_its_first_event_and_requested_stops_are_not_failures() {
    let dir = tempfile::tempdir().unwrap();
    // First seen 4 h ago; up 1 h, stopped on request (exit by SIGTERM, requested by the
    // UI), started again 1 h ago: up 2 h of its 4 h, no failures.
    let stop_exit = HistoryRecord {
        signal: Some(15),
        signal_name: Some("SIGTERM".into()),
        requested_by: Some("ui".into()),
        ..ev(NOW - 3 * H, kind::EXITED)
    };
    let reader = write(
        &dir.path().join("h.sqlite3"),
        &[
            ev(NOW - 4 * H, kind::STARTED),
            stop_exit,
            ev(NOW - 3 * H, kind::STOPPED),
            ev(NOW - H, kind::STARTED),
        ],
    );
    let s = reader
        .program_stats("app", NOW, Duration::from_millis((7 * DAY) as u64))
        .unwrap();
    assert!(
        (s.uptime_pct.unwrap() - 50.0).abs() < 1e-9,
        "{:?}",
        s.uptime_pct
    );
    assert_eq!(s.failures, 0);
    assert_eq!(s.mtbf_ms, None);
    assert_eq!(s.restarts_24h, 0);
}

#[test]
fn unknown_program_has_empty_stats() {
    let dir = tempfile::tempdir().unwrap();
    let reader = write(&dir.path().join("h.sqlite3"), &[ev(NOW, kind::STARTED)]);
    let s = reader
        .program_stats("nope", NOW, Duration::from_secs(3600))
        .unwrap();
    assert_eq!(s.uptime_pct, None);
    assert_eq!(s.last_exit, None);
    assert_eq!((s.restarts_24h, s.restarts_7d, s.failures), (0, 0, 0));
}

#[test]
fn restarts_per_day_fills_every_day_for_every_program() {
    let dir = tempfile::tempdir().unwrap();
    let today = NOW - 12 * H;
    let other = |ts| HistoryRecord::new(ts, "other", "Other", kind::RESTARTED);
    let reader = write(
        &dir.path().join("h.sqlite3"),
        &[
            ev(today - 10 * DAY, kind::RESTARTED), // before the chart
            ev(today - 2 * DAY + 5, kind::RESTARTED),
            ev(today - 2 * DAY + 6, kind::RESTARTED),
            ev(today + 1, kind::RESTARTED),
            ev(today + 2, kind::EXITED), // not a restart
            other(today - DAY),
        ],
    );
    let chart = reader.restarts_per_day(None, 3, NOW).unwrap();
    assert_eq!(
        chart.day_starts_ms,
        vec![today - 2 * DAY, today - DAY, today]
    );
    assert_eq!(chart.series.len(), 2);
    assert_eq!(chart.series[0].program_id, "app");
    assert_eq!(chart.series[0].counts, vec![2, 0, 1]);
    assert_eq!(chart.series[1].program_id, "other");
    assert_eq!(chart.series[1].counts, vec![0, 1, 0]);
    let only = reader.restarts_per_day(Some("other"), 3, NOW).unwrap();
    assert_eq!(only.series.len(), 1);
}

#[test]
fn a_launchers_hand_off_keeps_the_run_and_nothing_left_or_left_running_end_it() {
    let dir = tempfile::tempdir().unwrap();
    // Window 10 h: started at -10 h, a launcher handed off at -9 h (still up), nothing
    // left at -6 h (down); started at -4 h, left running by the daemon at -3 h (down for
    // this daemon), adopted at -1 h: up 4 + 1 + 1 = 6 h of 10.
    let reader = write(
        &dir.path().join("h.sqlite3"),
        &[
            ev(NOW - 10 * H, kind::STARTED),
            ev(NOW - 9 * H, kind::HANDED_OFF),
            ev(NOW - 6 * H, kind::NOTHING_LEFT),
            ev(NOW - 4 * H, kind::STARTED),
            ev(NOW - 3 * H, kind::LEFT_RUNNING),
            ev(NOW - H, kind::ADOPTED),
        ],
    );
    let s = reader
        .program_stats("app", NOW, Duration::from_millis((10 * H) as u64))
        .unwrap();
    assert!(
        (s.uptime_pct.unwrap() - 60.0).abs() < 1e-9,
        "{:?}",
        s.uptime_pct
    );
    assert_eq!(s.failures, 0);
}
