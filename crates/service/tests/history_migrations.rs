//! Schema migrations: from an empty file, from the previous version, and refusing a
//! newer one.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use lifeguard_service::history::schema::{migrate, SCHEMA_VERSION};
use lifeguard_service::history::{
    EventFilter, HistoryError, HistoryReader, HistoryWriter, WriterOptions,
};
use rusqlite::Connection;

fn version(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn indexes(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn an_empty_file_is_migrated_to_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    std::fs::write(&db, b"").unwrap();
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    writer.close().unwrap();
    assert_eq!(version(&db), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 3);
    let mode: String = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_version_1_database_keeps_its_rows_and_gains_the_kind_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    {
        // The fixture: a real v1 database as the previous release left it.
        let mut conn = Connection::open(&db).unwrap();
        migrate(&mut conn, &db, 1).unwrap();
        conn.execute(
            "INSERT INTO events (ts_ms, program_id, program_name, kind, signal, signal_name) \
             VALUES (?1, 'old', 'Old', 'exited', 9, 'SIGKILL')",
            [lifeguard_service::history::now_ms()],
        )
        .unwrap();
    }
    assert_eq!(version(&db), 1);
    assert!(!indexes(&db).contains(&"events_program_kind_ts".to_owned()));

    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    writer.close().unwrap();

    assert_eq!(version(&db), SCHEMA_VERSION);
    let names = indexes(&db);
    for index in [
        "events_ts",
        "events_program_ts",
        "events_program_kind_ts",
        "events_kind_ts",
    ] {
        assert!(
            names.contains(&index.to_owned()),
            "{index} missing: {names:?}"
        );
    }
    let reader = HistoryReader::open(&db).unwrap();
    let page = reader.page(&EventFilter::program("old"), None, 10).unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].signal_name.as_deref(), Some("SIGKILL"));
}

#[test]
fn a_database_from_a_newer_lifeguard_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = HistoryWriter::open(&db, WriterOptions::default()).unwrap_err();
    assert!(
        matches!(err, HistoryError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer"));
    assert_eq!(version(&db), 99);
    assert!(HistoryReader::open(&db).is_err());
}

#[test]
fn stats_queries_use_the_kind_index() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    HistoryWriter::open(&db, WriterOptions::default())
        .unwrap()
        .close()
        .unwrap();
    let conn = Connection::open(&db).unwrap();
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM events \
             WHERE program_id = 'a' AND kind = 'restarted' AND ts_ms >= 0",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("events_program_kind_ts"), "{plan}");
}
