//! History benchmark: insert throughput with batching, then query latency at 1,000,000
//! rows. Prints figures; asserts nothing (targets: ≥ 50,000 events/s, ≤ 20 ms a query).
//!
//! `cargo run --release -p lifeguard-service --example history-bench [ROWS]`
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use lifeguard_service::history::{
    kind, now_ms, EventFilter, HistoryReader, HistoryRecord, HistoryWriter, Retention,
    WriterOptions,
};

const PROGRAMS: u64 = 20;
const DAY_MS: i64 = 86_400_000;

fn main() {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let options = WriterOptions {
        retention: Retention::UNLIMITED,
        ..WriterOptions::default()
    };
    let writer = HistoryWriter::open(&db, options).unwrap();
    let now = now_ms();
    // Spread over the last 89 days, the kinds in the proportions a crashy program makes.
    let step = (89 * DAY_MS) / rows.max(1) as i64;
    let kinds = [
        kind::EXITED,
        kind::RESTART_SCHEDULED,
        kind::RESTARTED,
        kind::STARTED,
    ];
    let start = Instant::now();
    let cpu_start = cpu_time();
    for i in 0..rows {
        let program = format!("program-{}", i % PROGRAMS);
        let rec = HistoryRecord {
            pid: Some(10_000 + (i % 50_000) as u32),
            attempt: Some((i % 7) as u32),
            exit_code: (i % 4 == 0).then_some(1),
            uptime_ms: Some(i % 100_000),
            ..HistoryRecord::new(
                now - 89 * DAY_MS + i as i64 * step,
                &program,
                &program,
                kinds[((i / PROGRAMS) % 4) as usize],
            )
        };
        writer.record(rec).unwrap();
    }
    let queued = start.elapsed();
    writer.flush_blocking().unwrap();
    let elapsed = start.elapsed();
    let cpu = cpu_time() - cpu_start;
    println!(
        "insert: {rows} events in {:.2} s = {:.0} events/s ({} transactions; record() calls took {:.0} ns each)",
        elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64(),
        writer.commits(),
        queued.as_nanos() as f64 / rows as f64,
    );
    // CPU time moves far less than wall time when other work shares the machine, so it
    // is the figure to compare two builds by on a loaded machine.
    println!(
        "insert CPU (all threads): {:.2} s = {:.0} events per CPU-second",
        cpu.as_secs_f64(),
        rows as f64 / cpu.as_secs_f64(),
    );
    writer.close().unwrap();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("database: {rows} rows, {:.1} MB", size as f64 / 1e6);

    let reader = HistoryReader::open(&db).unwrap();
    let filter = EventFilter {
        program_id: Some("program-7".into()),
        kinds: vec![kind::EXITED.into(), kind::RESTARTED.into()],
        since_ms: Some(now - 30 * DAY_MS),
        until_ms: None,
    };
    let first = reader.page(&filter, None, 50).unwrap();
    let deep_cursor = (0..20).fold(first.next, |c, _| {
        c.and_then(|c| reader.page(&filter, Some(c), 50).unwrap().next)
    });
    report("page (program + 2 kinds + 30 d, 50 rows)", || {
        reader.page(&filter, None, 50).unwrap();
    });
    report("page 21 of the same (keyset cursor)", || {
        reader.page(&filter, deep_cursor, 50).unwrap();
    });
    report("page (unfiltered, 50 rows)", || {
        reader.page(&EventFilter::default(), None, 50).unwrap();
    });
    report("page (kind only: restarted, 50 rows)", || {
        let f = EventFilter {
            kinds: vec![kind::RESTARTED.into()],
            ..EventFilter::default()
        };
        reader.page(&f, None, 50).unwrap();
    });
    report("program_stats (24 h / 7 d, uptime+MTBF over 7 d)", || {
        reader
            .program_stats("program-3", now, Duration::from_secs(7 * 86_400))
            .unwrap();
    });
    report("program_stats (uptime+MTBF over 30 d)", || {
        reader
            .program_stats("program-3", now, Duration::from_secs(30 * 86_400))
            .unwrap();
    });
    report("restarts_per_day (all programs, 30 days)", || {
        reader.restarts_per_day(None, 30, now).unwrap();
    });
}

/// Runs `f` 21 times (the first warms the cache and is not counted), prints p50 and max.
fn report(name: &str, mut f: impl FnMut()) {
    f();
    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name}: p50 {:.2} ms, max {:.2} ms",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

/// CPU time (user + system) of the whole process so far, all threads.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct we hand it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer cannot fail.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
