//! The restarts-per-day chart reads the `restart_days` summary (v3), kept by triggers:
//! it must always equal a direct count over `events` — after inserts, after retention
//! pruning (deletes), after an update, and after a v2 database is migrated (backfill).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use lifeguard_service::history::schema::{migrate, SCHEMA_VERSION};
use lifeguard_service::history::{
    kind, now_ms, prune, HistoryReader, HistoryRecord, HistoryWriter, RestartChart, RestartSeries,
    Retention, WriterOptions,
};
use rusqlite::{params, Connection};

const DAY: i64 = 86_400_000;
/// A fixed "now" at a UTC midnight plus 9 h, far from the epoch.
const NOW: i64 = 20_000 * DAY + 9 * 3_600_000;
const PROGRAMS: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
const KINDS: [&str; 4] = [
    kind::RESTARTED,
    kind::EXITED,
    kind::RESTART_SCHEDULED,
    kind::STARTED,
];

/// A deterministic spread of events over the last `span_days` days (a little xorshift,
/// so the counts differ per program and day and some days have none).
fn events(n: usize, span_days: i64, seed: u64) -> Vec<HistoryRecord> {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let r = next();
            let program = PROGRAMS[(r % 4) as usize];
            // Restarts are half of all events, the other kinds share the rest.
            let k = if r % 16 < 8 {
                kind::RESTARTED
            } else {
                KINDS[1 + ((r >> 4) % 3) as usize]
            };
            let ts = NOW - ((r >> 8) % (span_days * DAY) as u64) as i64;
            HistoryRecord::new(ts, program, program, k)
        })
        .collect()
}

fn write(db: &Path, events: &[HistoryRecord]) {
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(db, options).unwrap();
    for e in events {
        writer.record(e.clone()).unwrap();
    }
    writer.close().unwrap();
}

/// The chart computed the slow, obvious way: every `restarted` row, bucketed in Rust.
fn direct_chart(db: &Path, program: Option<&str>, days: u32, now: i64) -> RestartChart {
    let today = now.div_euclid(DAY);
    let first = today - i64::from(days) + 1;
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT program_id, ts_ms FROM events WHERE kind = 'restarted'")
        .unwrap();
    let mut per_program: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    for row in rows {
        let (id, ts) = row.unwrap();
        let day = ts.div_euclid(DAY);
        if program.is_some_and(|p| p != id) || day < first || day > today {
            continue;
        }
        per_program
            .entry(id)
            .or_insert_with(|| vec![0; days as usize])[(day - first) as usize] += 1;
    }
    RestartChart {
        day_starts_ms: (first..=today).map(|d| d * DAY).collect(),
        series: per_program
            .into_iter()
            .map(|(program_id, counts)| RestartSeries { program_id, counts })
            .collect(),
    }
}

/// The whole summary table against a grouping of `events`: no stale and no zero rows.
fn assert_table_matches(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let read = |sql: &str| -> Vec<(String, i64, i64)> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let table = read("SELECT program_id, day, count FROM restart_days ORDER BY 1, 2");
    let mut direct: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for (id, ts, _) in read("SELECT program_id, ts_ms, 0 FROM events WHERE kind = 'restarted'") {
        *direct.entry((id, ts.div_euclid(DAY))).or_default() += 1;
    }
    let direct: Vec<(String, i64, i64)> = direct.into_iter().map(|((p, d), n)| (p, d, n)).collect();
    assert_eq!(table, direct);
}

/// Every chart shape the UI and the CLI ask for, against the direct count.
fn assert_charts_match(db: &Path, now: i64) {
    let reader = HistoryReader::open(db).unwrap();
    for days in [1, 7, 30, 90] {
        for program in [None, Some("alpha"), Some("delta"), Some("nobody")] {
            assert_eq!(
                reader.restarts_per_day(program, days, now).unwrap(),
                direct_chart(db, program, days, now),
                "{program:?} over {days} days"
            );
        }
    }
}

fn total_restarts(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'restarted'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn the_chart_equals_a_direct_count_after_inserts_and_after_pruning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    // Two writer sessions, so the triggers add to days the first one already created.
    write(&db, &events(3_000, 60, 0x9e37_79b9));
    write(&db, &events(2_000, 60, 0x2545_f491));
    assert!(total_restarts(&db) > 2_000);
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);

    // Retention by age cuts through the middle of a day (not at midnight), then the row
    // cap drops the oldest ids whatever their time.
    let conn = Connection::open(&db).unwrap();
    let by_age = Retention {
        max_age: Some(Duration::from_millis((20 * DAY + 5 * 3_600_000) as u64)),
        max_rows: None,
    };
    assert!(prune(&conn, &by_age, NOW).unwrap() > 0);
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);
    let by_rows = Retention {
        max_age: None,
        max_rows: Some(700),
    };
    assert!(prune(&conn, &by_rows, NOW).unwrap() > 0);
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);

    drop(conn);

    // And through the writer's own pruning at open, which goes by the real clock: an age
    // limit that puts the cutoff 10 days and 7 hours before NOW.
    let age_ms = now_ms() - (NOW - 10 * DAY - 7 * 3_600_000);
    let options = WriterOptions {
        retention: Retention {
            max_age: Some(Duration::from_millis(age_ms as u64)),
            max_rows: None,
        },
        ..WriterOptions::default()
    };
    let before = total_restarts(&db);
    HistoryWriter::open(&db, options).unwrap().close().unwrap();
    let after = total_restarts(&db);
    assert!(0 < after && after < before, "{before} -> {after}");
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);
}

#[test]
fn a_day_whose_last_restart_is_deleted_leaves_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    write(
        &db,
        &[
            HistoryRecord::new(NOW - DAY, "gone", "Gone", kind::RESTARTED),
            HistoryRecord::new(NOW - DAY + 1, "gone", "Gone", kind::RESTARTED),
            HistoryRecord::new(NOW, "stays", "Stays", kind::RESTARTED),
        ],
    );
    let conn = Connection::open(&db).unwrap();
    conn.execute("DELETE FROM events WHERE program_id = 'gone'", [])
        .unwrap();
    assert_table_matches(&db);
    let chart = HistoryReader::open(&db)
        .unwrap()
        .restarts_per_day(None, 7, NOW)
        .unwrap();
    let ids: Vec<&str> = chart.series.iter().map(|s| s.program_id.as_str()).collect();
    assert_eq!(ids, ["stays"]);
}

#[test]
fn updating_an_event_moves_its_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    write(&db, &events(500, 10, 0xdead_beef));
    let conn = Connection::open(&db).unwrap();
    // Nothing in Lifeguard updates events; the trigger is there in case something does.
    conn.execute_batch(
        "UPDATE events SET kind = 'exited' WHERE id % 7 = 0 AND kind = 'restarted';
         UPDATE events SET kind = 'restarted' WHERE id % 11 = 0;
         UPDATE events SET ts_ms = ts_ms - 86400000, program_id = 'moved' WHERE id % 5 = 0;",
    )
    .unwrap();
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);
}

#[test]
fn a_version_2_database_is_backfilled_and_charted_the_same_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    {
        // The fixture: a real v2 database as the previous release left it, rows written
        // with plain SQL (no triggers exist at v2). Some before 1970, where a day must
        // floor rather than truncate.
        let mut conn = Connection::open(&db).unwrap();
        migrate(&mut conn, &db, 2).unwrap();
        let tx = conn.transaction().unwrap();
        for e in events(2_000, 40, 0x0bad_cafe) {
            tx.execute(
                "INSERT INTO events (ts_ms, program_id, program_name, kind) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![e.ts_ms, e.program_id, e.program_name, e.kind],
            )
            .unwrap();
        }
        for ts in [-1, -DAY, -DAY - 1, 5] {
            tx.execute(
                "INSERT INTO events (ts_ms, program_id, program_name, kind) \
                 VALUES (?1, 'early', 'Early', 'restarted')",
                [ts],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let version = |db: &Path| -> i64 {
        Connection::open(db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&db), 2);

    // A reader on the old file (an older daemon still writing it) counts `events`.
    assert_charts_match(&db, NOW);
    let early = HistoryReader::open(&db)
        .unwrap()
        .restarts_per_day(Some("early"), 3, DAY + DAY / 2)
        .unwrap();
    assert_eq!(early.day_starts_ms, vec![-DAY, 0, DAY]);
    assert_eq!(early.series[0].counts, vec![2, 1, 0]);

    // The writer migrates (backfill), then keeps adding through the triggers.
    write(&db, &events(1_000, 40, 0x5eed_0001));
    assert_eq!(version(&db), SCHEMA_VERSION);
    assert_table_matches(&db);
    assert_charts_match(&db, NOW);
    let early_after = HistoryReader::open(&db)
        .unwrap()
        .restarts_per_day(Some("early"), 3, DAY + DAY / 2)
        .unwrap();
    assert_eq!(early_after, early);
}

#[test]
fn the_chart_reads_the_summary_table_through_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    write(&db, &[]);
    let conn = Connection::open(&db).unwrap();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
    };
    let one = plan(
        "SELECT program_id, day, count FROM restart_days \
         WHERE program_id = 'a' AND day BETWEEN 1 AND 2 ORDER BY day",
    );
    assert!(
        one.contains("SEARCH restart_days USING PRIMARY KEY"),
        "{one}"
    );
    let all = plan(
        "SELECT program_id, day, count FROM restart_days \
         WHERE day BETWEEN 1 AND 2 AND NULL IS NULL ORDER BY program_id, day",
    );
    assert!(!all.contains("TEMP B-TREE"), "{all}");
}
