//! Helpers shared by the real-process test files: specs for `lg-testprog`, waiting on
//! events with deadlines, and counting a program's live processes from `/proc`.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;
use std::time::Duration;

use lifeguard_engine::{Event, EventKind, ProgramSpec, Signal};
use tokio::sync::broadcast;

/// How long any single expected thing may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A spec running `lg-testprog ARGS` with quick, test-friendly timings.
pub fn testprog(id: &str, args: &[&str]) -> ProgramSpec {
    let mut argv = vec![lifeguard_testprog::path().to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let mut spec = ProgramSpec::build(id, argv).unwrap();
    spec.backoff.initial = Duration::from_millis(20);
    spec.stop_grace = Duration::from_millis(500);
    spec
}

/// The next event of `kind`, skipping others; panics after PATIENCE.
pub async fn next(rx: &mut broadcast::Receiver<Event>, kind: EventKind) -> Event {
    let wait = async {
        loop {
            let e = rx.recv().await.unwrap();
            if e.kind == kind {
                return e;
            }
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind:?} event"))
}

/// Every event in the next `d`.
pub async fn events_during(rx: &mut broadcast::Receiver<Event>, d: Duration) -> Vec<Event> {
    let mut seen = Vec::new();
    let _ = tokio::time::timeout(d, async {
        while let Ok(e) = rx.recv().await {
            seen.push(e);
        }
    })
    .await;
    seen
}

/// Whether `pid` is a live (not zombie) process.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Live processes whose environment says they belong to program `id`.
pub fn live_of(id: &str) -> Vec<u32> {
    let entry = format!("LIFEGUARD_PROGRAM={id}");
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        if env.split(|b| *b == 0).any(|v| v == entry.as_bytes()) && alive(pid) {
            out.push(pid);
        }
    }
    out
}

/// Our zombie children (none should be left after the engine reaped what it inherited).
pub fn our_zombies() -> Vec<u32> {
    let mut out = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for pid in text
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
        {
            if !alive(pid) && Path::new(&format!("/proc/{pid}")).exists() {
                out.push(pid);
            }
        }
    }
    out
}

/// Polls `f` every 50 ms until it holds; panics after PATIENCE.
pub async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !f() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn kill(pid: u32, signal: Signal) {
    // SAFETY: kill(2) with plain integers.
    assert_eq!(unsafe { libc::kill(pid as i32, signal.number()) }, 0);
}

pub fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}
