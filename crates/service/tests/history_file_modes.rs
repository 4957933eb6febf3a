//! The history says what a person runs and when: its files are theirs alone, whatever
//! the umask.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;

use lifeguard_service::history::{kind, HistoryRecord, HistoryWriter, WriterOptions};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn history_files_are_created_0600_under_a_permissive_umask() {
    // SAFETY: umask(2) only sets the process's mask; this test binary runs this test alone
    // in its process (nextest), and no other thread creates files meanwhile.
    let old = unsafe { libc::umask(0o022) };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history/h.sqlite3");
    let writer = HistoryWriter::open(&db, WriterOptions::default()).unwrap();
    writer
        .record(HistoryRecord::new(1000, "a", "A", kind::STARTED))
        .unwrap();
    writer.flush_blocking().unwrap();
    // SAFETY: as above.
    unsafe { libc::umask(old) };
    assert_eq!(mode(&db), 0o600, "the database file");
    let wal = db.with_extension("sqlite3-wal");
    assert!(wal.exists(), "WAL mode writes a -wal file");
    assert_eq!(mode(&wal), 0o600, "the -wal file");
    writer.close().unwrap();
}
