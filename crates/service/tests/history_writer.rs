//! The writer batches, commits within the window without a flush, flushes on demand and
//! on close, and feeds the telemetry file.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use lifeguard_service::history::{
    kind, EventFilter, HistoryError, HistoryReader, HistoryRecord, HistoryWriter, WriterOptions,
};
use lifeguard_service::telemetry::{TelemetryLine, TelemetryWriter};

fn event(i: u32) -> HistoryRecord {
    HistoryRecord {
        attempt: Some(i),
        pid: Some(1000 + i),
        ..HistoryRecord::new(
            1_700_000_000_000 + i64::from(i),
            "app",
            "App",
            kind::STARTED,
        )
    }
}

#[test]
fn an_event_is_committed_within_the_window_without_a_flush() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    let sent = Instant::now();
    writer.record(event(1)).unwrap();
    // Generous bound: the window is 100 ms; this only proves the timer fires on its own.
    while reader.count(&EventFilter::default()).unwrap() == 0 {
        assert!(sent.elapsed() < Duration::from_secs(10), "never committed");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The counter moves just after the commit is visible: wait for it too.
    while writer.commits() == 0 {
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "commit not counted"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(writer.commits(), 1);
}

#[test]
fn a_burst_is_committed_in_few_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    for i in 0..2000 {
        writer.record(event(i)).unwrap();
    }
    writer.flush_blocking().unwrap();
    assert_eq!(writer.committed(), 2000);
    // One transaction per event would be 2000; a batching writer needs a handful.
    assert!(writer.commits() <= 20, "{} commits", writer.commits());
    let reader = HistoryReader::open(&db).unwrap();
    assert_eq!(reader.count(&EventFilter::default()).unwrap(), 2000);
}

#[tokio::test]
async fn async_flush_returns_after_everything_sent_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    // A long window: only the flush can have committed these.
    let options = WriterOptions {
        commit_window: Duration::from_secs(3600),
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    let clone = writer.clone();
    for i in 0..10 {
        clone.record(event(i)).unwrap();
    }
    writer.flush().await.unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    assert_eq!(reader.count(&EventFilter::default()).unwrap(), 10);
}

#[test]
fn close_commits_pending_events_and_refuses_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let options = WriterOptions {
        commit_window: Duration::from_secs(3600),
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    writer.record(event(1)).unwrap();
    writer.close().unwrap();
    assert!(matches!(writer.record(event(2)), Err(HistoryError::Closed)));
    let reader = HistoryReader::open(&db).unwrap();
    assert_eq!(reader.count(&EventFilter::default()).unwrap(), 1);
}

#[test]
fn committed_events_are_appended_to_the_telemetry_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let telemetry_path = dir.path().join("state/telemetry.jsonl");
    let options = WriterOptions {
        telemetry: Some(TelemetryWriter::new(&telemetry_path, 1 << 20, 3)),
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    let exited = HistoryRecord {
        pid: Some(42),
        signal: Some(9),
        signal_name: Some("SIGKILL".into()),
        uptime_ms: Some(1234),
        ..HistoryRecord::new(0, "app", "App", kind::EXITED)
    };
    writer.record(exited).unwrap();
    writer.flush_blocking().unwrap();
    let text = std::fs::read_to_string(&telemetry_path).unwrap();
    let line: TelemetryLine = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line.ts, 0);
    assert_eq!(line.exit.as_deref(), Some("signal"));
    assert_eq!(line.signal_number, Some(9));
    assert_eq!(line.event, "exited");
    assert_eq!(line.program, "app");
    assert_eq!(line.pid, Some(42));
    assert_eq!(line.signal.as_deref(), Some("SIGKILL"));
    assert_eq!(line.uptime_ms, Some(1234));
}
