//! Pages (keyset pagination, newest first), filters and counts on a real database.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use lifeguard_service::history::{
    kind, EventFilter, HistoryReader, HistoryRecord, HistoryWriter, Retention, WriterOptions,
};

/// 500 events over 3 programs and 3 kinds, with many equal timestamps (ties are where
/// keyset pagination goes wrong).
fn seeded() -> (tempfile::TempDir, HistoryReader) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    let kinds = [kind::STARTED, kind::EXITED, kind::RESTARTED];
    for i in 0..500_u32 {
        let program = ["a", "b", "c"][(i % 3) as usize];
        let ts = 1_000_000 + i64::from(i / 7) * 1000;
        let rec = HistoryRecord {
            attempt: Some(i),
            ..HistoryRecord::new(ts, program, program, kinds[(i % 5 % 3) as usize])
        };
        writer.record(rec).unwrap();
    }
    writer.close().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    (dir, reader)
}

fn all_pages(reader: &HistoryReader, filter: &EventFilter, size: usize) -> Vec<HistoryRecord> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = reader.page(filter, cursor, size).unwrap();
        assert!(page.events.len() <= size);
        out.extend(page.events);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

#[test]
fn paging_returns_every_row_exactly_once_newest_first() {
    let (_dir, reader) = seeded();
    for size in [1, 7, 50, 499, 500, 1000] {
        let events = all_pages(&reader, &EventFilter::default(), size);
        assert_eq!(events.len(), 500, "page size {size}");
        let ids: HashSet<i64> = events.iter().map(|e| e.id.unwrap()).collect();
        assert_eq!(ids.len(), 500, "duplicates with page size {size}");
        assert!(events
            .windows(2)
            .all(|w| (w[0].ts_ms, w[0].id) > (w[1].ts_ms, w[1].id)));
    }
}

#[test]
fn an_exactly_full_last_page_has_no_next_cursor() {
    let (_dir, reader) = seeded();
    let page = reader.page(&EventFilter::default(), None, 500).unwrap();
    assert_eq!(page.events.len(), 500);
    assert_eq!(page.next, None);
}

#[test]
fn filters_by_program_kinds_and_time_range() {
    let (_dir, reader) = seeded();
    let filter = EventFilter {
        program_id: Some("b".into()),
        kinds: vec![kind::EXITED.into(), kind::RESTARTED.into()],
        since_ms: Some(1_010_000),
        until_ms: Some(1_050_000),
    };
    let events = all_pages(&reader, &filter, 4);
    let expected = (0..500_u32)
        .filter(|i| i % 3 == 1 && i % 5 % 3 != 0)
        .filter(|i| (1_010_000..1_050_000).contains(&(1_000_000 + i64::from(i / 7) * 1000)))
        .count();
    assert!(expected > 5);
    assert_eq!(events.len(), expected);
    assert_eq!(reader.count(&filter).unwrap(), expected as u64);
    for e in &events {
        assert_eq!(e.program_id, "b");
        assert!(e.kind == kind::EXITED || e.kind == kind::RESTARTED);
        assert!((1_010_000..1_050_000).contains(&e.ts_ms));
    }
}

#[test]
fn records_round_trip_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    let rec = HistoryRecord {
        pid: Some(7),
        exit_code: Some(3),
        signal: Some(9),
        signal_name: Some("SIGKILL".into()),
        uptime_ms: Some(10),
        delay_ms: Some(250),
        attempt: Some(2),
        requested_by: Some("cli".into()),
        reason: Some("because".into()),
        detail: Some(serde_json::json!({"core_dumped": true})),
        ..HistoryRecord::new(now(), "p", "P", kind::EXITED)
    };
    writer.record(rec.clone()).unwrap();
    writer.flush_blocking().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    let mut got = reader
        .page(&EventFilter::default(), None, 10)
        .unwrap()
        .events;
    let got = got.remove(0);
    assert!(got.id.is_some());
    assert_eq!(HistoryRecord { id: None, ..got }, rec);
}

fn now() -> i64 {
    lifeguard_service::history::now_ms()
}
