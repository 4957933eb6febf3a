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

#[test]
fn csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    let names = [
        "=HYPERLINK(\"http://x.invalid\",\"hi\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "Plain = fine",
    ];
    for (i, name) in names.iter().enumerate() {
        writer
            .record(HistoryRecord {
                reason: Some(format!("={i}")),
                ..HistoryRecord::new(1000 + i as i64, "a", name, kind::STARTED)
            })
            .unwrap();
    }
    writer.close().unwrap();
    let reader = HistoryReader::open(&db).unwrap();
    let mut out = Vec::new();
    reader
        .export_csv(&EventFilter::default(), &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut rows = text.split('\n').skip(1).filter(|l| !l.is_empty());
    let cells: Vec<Vec<String>> = (0..names.len())
        .map(|_| split_csv_row(rows.next().unwrap_or_default()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let (got_name, got_reason) = (&cells[i][4], &cells[i][14]);
        if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            assert_eq!(got_name, &format!("'{name}"), "{text}");
        } else {
            assert_eq!(got_name, name, "{text}");
        }
        assert_eq!(got_reason, &format!("'={i}"), "{text}");
    }
}

/// One CSV row's cells (RFC 4180 quoting), enough for this file's rows.
fn split_csv_row(row: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, row.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            (c, _) => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}
