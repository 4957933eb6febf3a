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
    // v3: restarts per (program, UTC day), so the restarts-per-day chart reads a few
    // hundred rows instead of grouping every restart in its range (~40 ms at a million
    // events). Triggers keep it in step with `events` inside the same transaction, for
    // every writer and every delete (retention), so a crash can never leave the two
    // apart; the backfill counts what older versions recorded. A day is
    // floor(ts_ms / 86400000), written so that it also floors before 1970 (SQLite's `/`
    // truncates toward zero). A day whose last restart is deleted is dropped, not left
    // at 0: the chart has a series only for programs that restarted in its range.
    //
    // Insert cost: any trigger makes an INSERT write two tables, and if the statement
    // could also abort half-way SQLite keeps a statement journal, copying every page the
    // row touches: that more than halved the writer's throughput. So the writer inserts
    // `OR ROLLBACK` (its batch is all or nothing anyway), whose conflict policy the
    // trigger's statements inherit, and `count` has no NOT NULL: an upsert's DO UPDATE
    // checks NOT NULL as ABORT whatever the statement says, which would bring the
    // journal back. Only these triggers write `count`, always a number. One upsert
    // measured cheaper than an UPDATE plus an INSERT-if-missing (at a million rows, 0–13%
    // more writer CPU than without triggers, against 24–38%).
    "CREATE TABLE restart_days (
        program_id TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        count      INTEGER,
        PRIMARY KEY (program_id, day)
    ) WITHOUT ROWID;
    INSERT INTO restart_days (program_id, day, count)
        SELECT program_id,
               (ts_ms - ((ts_ms % 86400000) + 86400000) % 86400000) / 86400000 AS day,
               COUNT(*)
        FROM events WHERE kind = 'restarted'
        GROUP BY program_id, day;
    CREATE TRIGGER events_restart_days_insert AFTER INSERT ON events
    WHEN NEW.kind = 'restarted'
    BEGIN
        INSERT INTO restart_days (program_id, day, count)
            VALUES (NEW.program_id,
                    (NEW.ts_ms - ((NEW.ts_ms % 86400000) + 86400000) % 86400000) / 86400000,
                    1)
            ON CONFLICT (program_id, day) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER events_restart_days_delete AFTER DELETE ON events
    WHEN OLD.kind = 'restarted'
    BEGIN
        DELETE FROM restart_days
            WHERE program_id = OLD.program_id
              AND day = (OLD.ts_ms - ((OLD.ts_ms % 86400000) + 86400000) % 86400000) / 86400000
              AND count <= 1;
        UPDATE restart_days SET count = count - 1
            WHERE program_id = OLD.program_id
              AND day = (OLD.ts_ms - ((OLD.ts_ms % 86400000) + 86400000) % 86400000) / 86400000;
    END;
    -- Nothing updates events today; this keeps the table right if something ever does.
    CREATE TRIGGER events_restart_days_update
    AFTER UPDATE OF ts_ms, program_id, kind ON events
    WHEN OLD.kind = 'restarted' OR NEW.kind = 'restarted'
    BEGIN
        DELETE FROM restart_days
            WHERE OLD.kind = 'restarted'
              AND program_id = OLD.program_id
              AND day = (OLD.ts_ms - ((OLD.ts_ms % 86400000) + 86400000) % 86400000) / 86400000
              AND count <= 1;
        UPDATE restart_days SET count = count - 1
            WHERE OLD.kind = 'restarted'
              AND program_id = OLD.program_id
              AND day = (OLD.ts_ms - ((OLD.ts_ms % 86400000) + 86400000) % 86400000) / 86400000;
        INSERT INTO restart_days (program_id, day, count)
            SELECT NEW.program_id,
                   (NEW.ts_ms - ((NEW.ts_ms % 86400000) + 86400000) % 86400000) / 86400000,
                   1
            WHERE NEW.kind = 'restarted'
            ON CONFLICT (program_id, day) DO UPDATE SET count = count + 1;
    END;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The first version with the `restart_days` table. A reader may open a file an older
/// Lifeguard still writes (readers never migrate), so queries check before using it.
pub(crate) const RESTART_DAYS_VERSION: i64 = 3;

/// Opens (creating if needed) the database for writing, sets the durability pragmas and
/// migrates it to [`SCHEMA_VERSION`].
///
/// WAL with `synchronous=NORMAL`: a transaction is durable against a crash or SIGKILL of
/// the process as soon as `COMMIT` returns (it is in the WAL file, in the OS page cache);
/// only a power loss or kernel crash can lose the last few transactions, never corrupt
/// the file. `FULL` would add an fsync per commit for that last case only. The writer
/// lives as long as the daemon, so it keeps its own memory small (`footprint.rs`);
/// readers are opened per query and keep SQLite's defaults.
pub fn open_for_writing(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    create_private(path)?;
    let mut conn = Connection::open(path)?;
    super::footprint::keep_small(&conn)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    migrate(&mut conn, path, SCHEMA_VERSION)?;
    Ok(conn)
}

/// Creates the database file 0600 if it is missing, whatever the umask: the history says
/// what the person runs and when. SQLite gives its `-wal` and `-shm` files the database
/// file's mode, so they are private too. An existing file keeps the mode it has.
fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(HistoryError::Io {
            path: path.to_owned(),
            source,
        }),
    }
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
