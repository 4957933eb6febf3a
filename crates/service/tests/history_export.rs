//! CSV and JSON-lines export of a filtered range.
#![allow(clippy::unwrap_used)]

use lifeguard_service::history::{
    kind, EventFilter, HistoryReader, HistoryRecord, HistoryWriter, Retention, WriterOptions,
    CSV_HEADER,
};

fn seeded() -> (tempfile::TempDir, HistoryReader) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    writer
        .record(HistoryRecord::new(1000, "a", "A", kind::STARTED))
        .unwrap();
    writer
        .record(HistoryRecord {
            exit_code: Some(2),
            reason: Some("said \"no\", then quit\nbye".into()),
            detail: Some(serde_json::json!({"k": [1, 2]})),
            ..HistoryRecord::new(2000, "a", "Name, with comma", kind::EXITED)
        })
        .unwrap();
    writer
        .record(HistoryRecord::new(3000, "b", "B", kind::STARTED))
        .unwrap();
    writer.close().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    (dir, reader)
}

#[test]
fn csv_export_quotes_fields_and_covers_only_the_filter() {
    let (_dir, reader) = seeded();
    let mut out = Vec::new();
    let n = reader
        .export_csv(&EventFilter::program("a"), &mut out)
        .unwrap();
    assert_eq!(n, 2);
    let text = String::from_utf8(out).unwrap();
    let expected = format!(
        "{CSV_HEADER}\n\
         1,1000,1970-01-01T00:00:01.000Z,a,A,started,,,,,,,,,,\n\
         2,2000,1970-01-01T00:00:02.000Z,a,\"Name, with comma\",exited,,2,,,,,,,\
         \"said \"\"no\"\", then quit\nbye\",\"{{\"\"k\"\":[1,2]}}\"\n"
    );
    assert_eq!(text, expected);
}

#[test]
fn jsonl_export_writes_one_record_per_line_oldest_first() {
    let (_dir, reader) = seeded();
    let mut out = Vec::new();
    let n = reader
        .export_jsonl(&EventFilter::default(), &mut out)
        .unwrap();
    assert_eq!(n, 3);
    let records: Vec<HistoryRecord> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ts: Vec<i64> = records.iter().map(|r| r.ts_ms).collect();
    assert_eq!(ts, vec![1000, 2000, 3000]);
    assert_eq!(records[1].detail, Some(serde_json::json!({"k": [1, 2]})));
    assert_eq!(records[1].id, Some(2));
}
