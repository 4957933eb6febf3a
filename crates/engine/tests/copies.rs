//! Single-instance apps with real processes: a start that hands its request to a copy
//! already running exits 0 at once and leaves nothing; the embedder's `FindCopy` hook
//! names the copy, which is watched and relaunched when it dies. Without a copy, the
//! snapshot says protection is not active.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;
use lifeguard_engine::{
    procfs, EventKind, Identity, Observed, Origin, ProgramId, ProgramSpec, Signal, Supervisor,
};

fn read_pid(file: &Path) -> Option<u32> {
    std::fs::read_to_string(file).ok()?.trim().parse().ok()
}

/// The live process `pid`, as the hook names it.
fn identity(pid: u32) -> Option<Identity> {
    let stat = procfs::Stat::parse(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)?;
    (!stat.is_zombie()).then_some(Identity {
        pid,
        start_time: stat.start_time,
    })
}

#[tokio::test]
async fn a_start_handed_to_a_running_copy_watches_it_and_relaunches_it_when_killed() {
    lifeguard_engine::enable_child_subreaper().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("copy.pid");
    let tp = lifeguard_testprog::path();
    // The copy already running, started by the person, outside the supervisor.
    let mut outside = Command::new(&tp)
        .arg("--pid-file")
        .arg(&pid_file)
        .spawn()
        .unwrap();
    let first = outside.id();
    eventually("the copy's pid file", || read_pid(&pid_file) == Some(first)).await;
    // A single-instance app: a start exits 0 at once while a copy lives, else it runs.
    let (tp, pf) = (tp.display(), pid_file.display());
    let script =
        format!("kill -0 \"$(cat {pf})\" 2>/dev/null && exit 0; exec {tp} --pid-file {pf}");
    let spec = ProgramSpec::build("single", ["sh", "-c", &script]).unwrap();
    let id = spec.id.clone();
    let sup = Supervisor::new();
    let found = pid_file.clone();
    sup.set_copy_finder(move |_: &ProgramSpec| identity(read_pid(&found)?));
    let mut rx = sup.subscribe();
    sup.add(spec, Origin::api()).await.unwrap();

    let adopted = next(&mut rx, EventKind::Adopted).await;
    assert_eq!(adopted.pid, Some(first));
    let reason = adopted.reason.unwrap();
    assert!(
        reason.contains(&format!(
            "handed to the copy already running (PID {first}); watching it"
        )),
        "{reason}"
    );
    let snap = sup.program(&id).await.unwrap();
    assert!(
        matches!(snap.state, Observed::Running { pid, .. } if pid == first),
        "{snap:?}"
    );
    assert_eq!(snap.unprotected, None);

    kill(first, Signal::KILL);
    outside.wait().unwrap();
    next(&mut rx, EventKind::Exited).await;
    let restarted = next(&mut rx, EventKind::Restarted).await;
    let again = restarted.pid.unwrap();
    eventually("the relaunch writes its pid", || {
        read_pid(&pid_file) == Some(again)
    })
    .await;
    let later = events_during(&mut rx, Duration::from_secs(1)).await;
    assert!(later.is_empty(), "it stays up: {later:?}");
    let snap = sup.program(&id).await.unwrap();
    assert!(
        matches!(snap.state, Observed::Running { pid, .. } if pid == again),
        "{snap:?}"
    );
    sup.shutdown(Origin::api()).await;
    eventually("the relaunched copy stopped", || !alive(again)).await;
}

#[tokio::test]
async fn without_a_copy_to_watch_the_snapshot_says_protection_is_not_active() {
    lifeguard_engine::enable_child_subreaper().unwrap();
    let sup = Supervisor::new();
    sup.set_copy_finder(|_: &ProgramSpec| None);
    let mut rx = sup.subscribe();
    sup.add(testprog("alone", &["--exit", "0"]), Origin::api())
        .await
        .unwrap();
    next(&mut rx, EventKind::NothingLeft).await;
    let snap = sup
        .program(&ProgramId::new("alone").unwrap())
        .await
        .unwrap();
    assert!(matches!(snap.state, Observed::Exited { .. }), "{snap:?}");
    let why = snap.unprotected.unwrap();
    assert!(why.starts_with("not protected: "), "{why}");
}
