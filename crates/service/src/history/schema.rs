//! Opening the database and migrating its schema.
//!
//! The schema version lives in `PRAGMA user_version`. Each migration is one SQL batch
//! applied in its own transaction together with the version bump, so a crash mid-migration
//! leaves the previous version intact. Never edit a released migration: add a new one.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::error::{HistoryError, Result};

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // v1: the events table and the two indexes every page query needs.
    "CREATE TABLE events (
        id           INTEGER PRIMARY KEY,
        ts_ms        INTEGER NOT NULL,
        program_id   TEXT    NOT NULL,
        program_name TEXT    NOT NULL,
        kind         TEXT    NOT NULL,
        pid          INTEGER,
        exit_code    INTEGER,
        signal       INTEGER,
        signal_name  TEXT,
        uptime_ms    INTEGER,
        delay_ms     INTEGER,
        attempt      INTEGER,
        requested_by TEXT,
        reason       TEXT,
        detail       TEXT
    );
    CREATE INDEX events_ts ON events (ts_ms);
    CREATE INDEX events_program_ts ON events (program_id, ts_ms);",
    // v2: per-kind indexes, so restart counts, last exit and kind-only filters stay fast at
    // a million rows instead of scanning a program's whole history.
    "CREATE INDEX events_program_kind_ts ON events (program_id, kind, ts_ms);
    CREATE INDEX events_kind_ts ON events (kind, ts_ms, program_id);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the database for writing, sets the durability pragmas and
/// migrates it to [`SCHEMA_VERSION`].
///
/// WAL with `synchronous=NORMAL`: a transaction is durable against a crash or SIGKILL of
/// the process as soon as `COMMIT` returns (it is in the WAL file, in the OS page cache);
/// only a power loss or kernel crash can lose the last few transactions, never corrupt
/// the file. `FULL` would add an fsync per commit for that last case only.
pub fn open_for_writing(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    migrate(&mut conn, path, SCHEMA_VERSION)?;
    Ok(conn)
}

/// Opens an existing database read-only, for queries; refuses one newer than this build.
pub fn open_for_reading(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let found = user_version(&conn)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(path, found));
    }
    Ok(conn)
}

/// The schema version recorded in the file.
pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Applies the migrations from the file's version up to `target`. Public within the
/// crate (and `#[doc(hidden)]` outside) so tests can build a database of an older version.
#[doc(hidden)]
pub fn migrate(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(path, found));
    }
    for version in found..target.min(SCHEMA_VERSION) {
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
        else {
            break;
        };
        // IMMEDIATE takes the write lock up front so two processes cannot both migrate.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if user_version(&tx)? != version {
            continue; // someone else migrated meanwhile
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(from = version, to = version + 1, "history schema migrated");
    }
    Ok(())
}

fn too_new(path: &Path, found: i64) -> HistoryError {
    HistoryError::SchemaTooNew {
        path: path.to_owned(),
        found,
        supported: SCHEMA_VERSION,
    }
}
