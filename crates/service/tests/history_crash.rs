//! SIGKILL in the middle of a burst of events: the database passes `integrity_check` and
//! holds every event the writer had reported committed.
//!
//! The writer is a child process: this same test binary, re-executed to run only
//! `crash_child_writer` with `LG_CRASH_CHILD_DB` set.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_service::history::{
    kind, HistoryReader, HistoryRecord, HistoryWriter, Retention, WriterOptions,
};

const CHILD_ENV: &str = "LG_CRASH_CHILD_DB";

/// The child's body, run only by the crash test in a child process.
#[test]
#[ignore = "helper: run by sigkill_mid_burst_loses_no_committed_event in a child process"]
fn crash_child_writer() {
    let Some(db) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(std::path::Path::new(&db), options).unwrap();
    let mut seq = 0_u32;
    while seq < 5_000_000 {
        for _ in 0..250 {
            let rec = HistoryRecord {
                attempt: Some(seq),
                pid: Some(std::process::id()),
                detail: Some(serde_json::json!({"payload": "x".repeat(64)})),
                ..HistoryRecord::new(i64::from(seq), "burst", "Burst", kind::RESTARTED)
            };
            writer.record(rec).unwrap();
            seq += 1;
        }
        writer.flush_blocking().unwrap();
        // Everything up to seq - 1 is committed now; tell the parent.
        println!("COMMITTED {}", seq - 1);
    }
}

#[test]
fn sigkill_mid_burst_loses_no_committed_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child_writer",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let committed = |line: &str| line.strip_prefix("COMMITTED ")?.trim().parse::<u32>().ok();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = None;
    let mut reports = 0;
    // Let it write a few thousand events, then kill it while it is still writing.
    while reports < 20 {
        assert!(Instant::now() < deadline, "child too slow");
        let line = lines.next().expect("child exited early").unwrap();
        if let Some(n) = committed(&line) {
            last = Some(n);
            reports += 1;
        }
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    // Reports printed just before the kill count too: they were committed.
    for line in lines.map_while(Result::ok) {
        if let Some(n) = committed(&line) {
            last = Some(n);
        }
    }
    let last = last.unwrap();

    let reader = HistoryReader::open(&db).unwrap();
    assert_eq!(reader.integrity_check().unwrap(), "ok");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let present: u32 = conn
        .query_row(
            "SELECT COUNT(DISTINCT attempt) FROM events WHERE attempt <= ?1",
            [last],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(present, last + 1, "committed events missing");
}
