//! The engine with real processes (`lg-testprog`), real signals and real time. Policies use
//! milliseconds; tests wait on events with generous deadlines and never assert tight timings.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use lifeguard_engine::{
    Event, EventKind, Exit, Observed, Origin, ProgramId, ProgramSpec, Signal, Supervisor,
};
use tokio::sync::broadcast;

const PATIENCE: Duration = Duration::from_secs(15);

fn testprog(id: &str, args: &[&str]) -> ProgramSpec {
    let mut argv = vec![lifeguard_testprog::path().to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let mut spec = ProgramSpec::build(id, argv).unwrap();
    spec.backoff.initial = Duration::from_millis(20);
    spec.stop_grace = Duration::from_millis(500);
    spec
}

fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The next event of `kind`, skipping others; panics after PATIENCE.
async fn next(rx: &mut broadcast::Receiver<Event>, kind: EventKind) -> Event {
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

/// Every event in the next `d` (to show that something does NOT happen).
async fn events_during(rx: &mut broadcast::Receiver<Event>, d: Duration) -> Vec<Event> {
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
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn kill(pid: u32, signal: Signal) {
    // SAFETY: kill(2) with plain integers.
    assert_eq!(unsafe { libc::kill(pid as i32, signal.number()) }, 0);
}

async fn wait_for_lines(file: &Path, n: usize) -> Vec<u32> {
    for _ in 0..300 {
        if let Ok(text) = std::fs::read_to_string(file) {
            let pids: Vec<u32> = text.lines().filter_map(|l| l.parse().ok()).collect();
            if pids.len() >= n {
                return pids;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} never had {n} lines", file.display());
}

#[tokio::test]
async fn restarts_after_sigkill() {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(testprog("victim", &[]), Origin::api())
        .await
        .unwrap();
    let first = next(&mut rx, EventKind::Started).await.pid.unwrap();
    assert!(alive(first));

    kill(first, Signal::KILL);
    let exited = next(&mut rx, EventKind::Exited).await;
    assert_eq!(exited.pid, Some(first));
    assert_eq!(
        exited.exit,
        Some(Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false
        })
    );
    let line: serde_json::Value = serde_json::from_str(&exited.to_json_line()).unwrap();
    assert_eq!(line["signal"], "SIGKILL");
    let second = next(&mut rx, EventKind::Restarted).await.pid.unwrap();
    assert_ne!(second, first);
    assert!(alive(second));
    sup.shutdown(Origin::api()).await;
    assert!(!alive(second));
}

#[tokio::test]
async fn clean_exit_not_restarted_on_failure() {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    // A clean code other than 0: a quick exit 0 would first be looked at as a launcher's.
    let mut spec = testprog("oneshot", &["--sleep", "50ms", "--exit", "3"]);
    spec.restart = lifeguard_engine::RestartPolicy::OnFailure {
        clean_exit_codes: vec![0, 3],
    };
    sup.add(spec, Origin::api()).await.unwrap();
    let exited = next(&mut rx, EventKind::Exited).await;
    assert_eq!(exited.exit, Some(Exit::Code(3)));
    let later = events_during(&mut rx, Duration::from_millis(800)).await;
    assert!(later.is_empty(), "nothing after a clean exit: {later:?}");
    let p = sup
        .program(&ProgramId::new("oneshot").unwrap())
        .await
        .unwrap();
    assert!(
        matches!(
            p.state,
            Observed::Exited {
                exit: Exit::Code(3),
                ..
            }
        ),
        "{:?}",
        p.state
    );
}

#[tokio::test]
async fn crash_first_k_starts_recovers_with_growing_delays() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("starts");
    let args = [
        "--crash-first",
        "3",
        "--counter",
        path_arg(&counter),
        "--crash-signal",
        "SIGSEGV",
    ];
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(testprog("flaky", &args), Origin::api())
        .await
        .unwrap();
    let mut delays = Vec::new();
    for _ in 0..3 {
        let exited = next(&mut rx, EventKind::Exited).await;
        assert!(
            matches!(exited.exit, Some(Exit::Signal { signal, .. }) if signal.name() == "SIGSEGV")
        );
        delays.push(
            next(&mut rx, EventKind::RestartScheduled)
                .await
                .delay_ms
                .unwrap(),
        );
    }
    assert!(
        delays.windows(2).all(|w| w[0] < w[1]),
        "delays grow: {delays:?}"
    );
    let up = next(&mut rx, EventKind::Restarted).await;
    assert_eq!(up.attempt, 3);
    let later = events_during(&mut rx, Duration::from_millis(800)).await;
    assert!(
        later.iter().all(|e| e.kind != EventKind::Exited),
        "stays up: {later:?}"
    );
    assert!(alive(up.pid.unwrap()));
    assert_eq!(std::fs::read_to_string(&counter).unwrap().trim(), "4");
    sup.shutdown(Origin::api()).await;
}

#[tokio::test]
async fn always_crashing_gives_up_after_5() {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(testprog("doomed", &["--exit", "1"]), Origin::api())
        .await
        .unwrap();
    let gave_up = next(&mut rx, EventKind::GaveUp).await;
    assert!(gave_up.reason.unwrap().starts_with("5 deaths"));
    let later = events_during(&mut rx, Duration::from_secs(1)).await;
    assert!(later.is_empty(), "no further starts: {later:?}");
    let p = sup
        .program(&ProgramId::new("doomed").unwrap())
        .await
        .unwrap();
    assert!(
        matches!(p.state, Observed::GaveUp { deaths: 5, .. }),
        "{:?}",
        p.state
    );
    assert_eq!(p.restarts, 4, "first start + 4 restarts = 5 deaths");
}

#[tokio::test]
async fn pause_suppresses_restart_and_resume_starts() {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let id = ProgramId::new("paused").unwrap();
    sup.add(testprog("paused", &[]), Origin::api())
        .await
        .unwrap();
    let first = next(&mut rx, EventKind::Started).await.pid.unwrap();
    sup.pause(&id, None, Origin::cli()).await.unwrap();

    kill(first, Signal::KILL);
    next(&mut rx, EventKind::Exited).await;
    let later = events_during(&mut rx, Duration::from_millis(800)).await;
    assert!(later.is_empty(), "no restart while paused: {later:?}");
    assert!(matches!(
        sup.program(&id).await.unwrap().state,
        Observed::Held { .. }
    ));

    sup.resume(&id, Origin::cli()).await.unwrap();
    assert_eq!(
        next(&mut rx, EventKind::Resumed).await.requested_by,
        Some(lifeguard_engine::RequestedBy::Cli)
    );
    let second = next(&mut rx, EventKind::Restarted).await.pid.unwrap();
    assert!(alive(second));
    sup.shutdown(Origin::api()).await;
}

#[tokio::test]
async fn stop_kills_whole_group_after_grace() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let args = [
        "--helpers",
        "3",
        "--ignore-term",
        "--pid-file",
        path_arg(&pids),
    ];
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let id = ProgramId::new("stubborn").unwrap();
    sup.add(testprog("stubborn", &args), Origin::api())
        .await
        .unwrap();
    let group = wait_for_lines(&pids, 4).await;
    assert!(group.iter().all(|p| alive(*p)));

    sup.stop(&id, Origin::cli()).await.unwrap();
    let stopped = next(&mut rx, EventKind::Stopped).await;
    assert_eq!(
        stopped.exit,
        Some(Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false
        })
    );
    for _ in 0..100 {
        if group.iter().all(|p| !alive(*p)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left: Vec<_> = group.iter().filter(|p| alive(**p)).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(matches!(
        sup.program(&id).await.unwrap().state,
        Observed::Stopped
    ));
}

#[tokio::test]
async fn missing_executable_reports_spawn_failed_and_gives_up() {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let mut spec = ProgramSpec::build("ghost", ["/nonexistent/lifeguard-ghost"]).unwrap();
    spec.backoff.initial = Duration::from_millis(10);
    sup.add(spec, Origin::api()).await.unwrap();
    let failed = next(&mut rx, EventKind::SpawnFailed).await;
    let reason = failed.reason.unwrap();
    assert!(
        reason.contains("/nonexistent/lifeguard-ghost") && reason.contains("No such file"),
        "{reason}"
    );
    next(&mut rx, EventKind::GaveUp).await;
    let snap = sup.snapshot().await.unwrap();
    assert!(matches!(snap.programs[0].state, Observed::GaveUp { .. }));
    sup.add(testprog("alive", &[]), Origin::api())
        .await
        .unwrap();
    next(&mut rx, EventKind::Started).await;
    sup.shutdown(Origin::api()).await;
}
