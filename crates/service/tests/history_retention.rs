//! Retention by age and by row count, at open and after writes.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use lifeguard_service::history::{
    kind, now_ms, prune, EventFilter, HistoryReader, HistoryRecord, HistoryWriter, Retention,
    WriterOptions,
};

const DAY: i64 = 86_400_000;

fn at(ts: i64, i: u32) -> HistoryRecord {
    HistoryRecord {
        attempt: Some(i),
        ..HistoryRecord::new(ts, "app", "App", kind::STARTED)
    }
}

#[test]
fn events_older_than_the_age_limit_are_pruned_when_the_writer_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let keep_all = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, keep_all).unwrap();
    let now = now_ms();
    writer.record(at(now - 100 * DAY, 0)).unwrap();
    writer.record(at(now - 91 * DAY, 1)).unwrap();
    writer.record(at(now - 89 * DAY, 2)).unwrap();
    writer.record(at(now, 3)).unwrap();
    writer.close().unwrap();

    // Default retention: 90 days, applied at open before anything is recorded.
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    writer.flush_blocking().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    let left: Vec<u32> = reader
        .page(&EventFilter::default(), None, 10)
        .unwrap()
        .events
        .iter()
        .map(|e| e.attempt.unwrap())
        .collect();
    assert_eq!(left, vec![3, 2]);
}

#[test]
fn the_row_limit_keeps_the_newest_rows_after_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let options = WriterOptions {
        retention: Retention {
            max_age: None,
            max_rows: Some(100),
        },
        prune_every: 1,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    let now = now_ms();
    for i in 0..250 {
        writer.record(at(now, i)).unwrap();
        if i % 50 == 49 {
            writer.flush_blocking().unwrap();
        }
    }
    writer.flush_blocking().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    assert_eq!(reader.count(&EventFilter::default()).unwrap(), 100);
    let newest = reader.page(&EventFilter::default(), None, 1).unwrap();
    assert_eq!(newest.events[0].attempt, Some(249));
}

#[test]
fn prune_applies_both_limits_and_reports_what_it_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let keep_all = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, keep_all).unwrap();
    for i in 0..10 {
        writer.record(at(i64::from(i) * DAY, i)).unwrap();
    }
    writer.close().unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let retention = Retention {
        max_age: Some(Duration::from_millis((5 * DAY) as u64)),
        max_rows: Some(3),
    };
    // At day 10: age drops days 0..=4 (5 rows), count then drops 2 more of the 5 left.
    assert_eq!(prune(&conn, &retention, 10 * DAY).unwrap(), 7);
    let left: i64 = conn
        .query_row("SELECT MIN(attempt) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 7);
}
