//! A connection's own memory, kept small: the daemon holds its writer open all day, and
//! the history takes a few rows a minute at most. SQLite's defaults suit a busy database:
//! 48 KiB of lookaside per connection, and a page cache whose first use sets up a bulk of
//! 20 pages (~87 KiB); both are written through at once, so both stay resident (issue 21).
//! The file's pages are in the OS page cache anyway, so a smaller cache costs a copy.
//! The workspace's build turns the lookaside and the bulk off for every connection
//! (`.cargo/config.toml`); [`keep_small`] keeps the writer small where SQLite is built
//! otherwise.

use rusqlite::{ffi, Connection};

use super::error::Result;

/// Pages the connection's cache keeps (SQLite's default is 2000 KiB' worth). An insert
/// touches a leaf and its parent in the table and in each index; a page the statement
/// needs beyond this is still read, the limit only bounds what is kept.
pub const CACHE_PAGES: i64 = 8;

/// Turns the lookaside off and bounds the page cache. Call right after opening, before
/// the first statement: the page cache sets up its bulk on the first page read, and the
/// lookaside can only be changed while none of it is in use.
pub fn keep_small(conn: &Connection) -> Result<()> {
    // SAFETY: `handle()` is the open connection's pointer, used on this thread only for
    // the call; SQLITE_DBCONFIG_LOOKASIDE takes (void *buf, int size, int count), and a
    // null buffer with size 0 and count 0 turns the lookaside off. Its result says
    // whether lookaside memory was in use (then nothing changes: only a cost).
    let rc = unsafe {
        ffi::sqlite3_db_config(
            conn.handle(),
            ffi::SQLITE_DBCONFIG_LOOKASIDE,
            std::ptr::null_mut::<std::ffi::c_void>(),
            0 as std::ffi::c_int,
            0 as std::ffi::c_int,
        )
    };
    if rc != ffi::SQLITE_OK {
        tracing::debug!(rc, "SQLite's lookaside stays on");
    }
    conn.pragma_update(None, "cache_size", CACHE_PAGES)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Lookaside slots in use now and at most so far.
    fn lookaside(conn: &Connection) -> (i32, i32) {
        let (mut cur, mut high) = (0, 0);
        // SAFETY: an open connection and two valid out-pointers.
        let rc = unsafe {
            ffi::sqlite3_db_status(
                conn.handle(),
                ffi::SQLITE_DBSTATUS_LOOKASIDE_USED,
                &mut cur,
                &mut high,
                0,
            )
        };
        assert_eq!(rc, ffi::SQLITE_OK);
        (cur, high)
    }

    #[test]
    fn a_small_connection_has_no_lookaside_and_a_small_cache() {
        let dir = tempfile::tempdir().unwrap();
        let work = |conn: &Connection| {
            conn.execute_batch(
                "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);
                 INSERT INTO t (b) VALUES ('one'), ('two');",
            )
            .unwrap();
            let n: i64 = conn
                .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 2);
        };
        // The bundled SQLite is built without lookaside (.cargo/config.toml); the call
        // below keeps a connection small where it is built otherwise.
        let plain = Connection::open(dir.path().join("plain.sqlite3")).unwrap();
        work(&plain);
        assert_eq!(lookaside(&plain), (0, 0), "built with lookaside");

        let small = Connection::open(dir.path().join("small.sqlite3")).unwrap();
        keep_small(&small).unwrap();
        work(&small);
        assert_eq!(lookaside(&small), (0, 0));
        let pages: i64 = small
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pages, CACHE_PAGES);
    }

    /// The build settings of `.cargo/config.toml` reach the bundled SQLite: no full-text
    /// or R-tree code, no lookaside, no first page-cache bulk.
    #[test]
    fn the_bundled_sqlite_is_built_small() {
        let conn = Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("PRAGMA compile_options").unwrap();
        let options: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|o| o.unwrap())
            .collect();
        for absent in ["ENABLE_FTS3", "ENABLE_FTS5", "ENABLE_RTREE", "ENABLE_STAT4"] {
            assert!(
                !options.iter().any(|o| o == absent),
                "{absent} in {options:?}"
            );
        }
        for present in ["DEFAULT_LOOKASIDE=0,0", "DEFAULT_PCACHE_INITSZ=0"] {
            assert!(
                options.iter().any(|o| o == present),
                "{present} not in {options:?}"
            );
        }
    }
}
