//! Adopting processes that Lifeguard did not start, with real processes: a process picked
//! from the running ones, and re-adoption after the supervising process was SIGKILLed.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use lifeguard_engine::{
    EngineError, EventKind, Exit, Identity, Instance, Origin, ProcessInfo, ProgramId, ProgramSpec,
    Signal, Supervisor,
};

#[tokio::test]
async fn adopted_process_killed_is_relaunched_with_its_argv_and_cwd() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // Started outside Lifeguard, and not our child: the shell backgrounds it and exits, so
    // it becomes init's. (A plain program: a launcher's relaunch is covered in trees.rs.)
    let prog = lifeguard_testprog::path();
    let script = format!(
        "'{}' --sleep 3600 --tag adopt-outside --pid-file '{}' </dev/null >/dev/null 2>&1 &",
        prog.display(),
        pid_file.display()
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    eventually("the outside process wrote its pid", || {
        std::fs::read_to_string(&pid_file).is_ok_and(|t| !t.trim().is_empty())
    })
    .await;
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let info = ProcessInfo::read(pid).unwrap();
    let argv = info.argv.clone();
    let id = ProgramId::new("picked").unwrap();
    let mut spec = info.to_spec(id.clone()).unwrap();
    spec.backoff.initial = Duration::from_millis(20);

    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.adopt(spec, info.instance(), Origin::api())
        .await
        .unwrap();
    let adopted = next(&mut rx, EventKind::Adopted).await;
    assert_eq!(adopted.pid, Some(pid));
    let quiet = events_during(&mut rx, Duration::from_millis(500)).await;
    assert!(quiet.is_empty(), "adopted without a restart: {quiet:?}");
    assert!(alive(pid));

    kill(pid, Signal::KILL);
    let exited = next(&mut rx, EventKind::Exited).await;
    assert_eq!(
        exited.exit,
        Some(Exit::Unknown),
        "not our child: status unknown"
    );
    let restarted = next(&mut rx, EventKind::Restarted).await;
    let relaunched = restarted.pid.unwrap();
    assert_ne!(relaunched, pid);
    // Copies are counted by this test's own pid file in their argv, so a copy left by an
    // earlier run elsewhere on the machine cannot confuse the count.
    let marker = pid_file.display().to_string();
    eventually("one live copy", || {
        live_of("picked")
            .into_iter()
            .filter(|p| has_arg(*p, &marker))
            .count()
            == 1
    })
    .await;
    let cmdline = std::fs::read(format!("/proc/{relaunched}/cmdline")).unwrap();
    assert_eq!(lifeguard_engine::procfs::nul_list(&cmdline), argv);
    let cwd = std::fs::read_link(format!("/proc/{relaunched}/cwd")).unwrap();
    assert_eq!(cwd, dir.path().canonicalize().unwrap());
    sup.shutdown(Origin::api()).await;
    eventually("relaunched copy stopped", || !alive(relaunched)).await;
}

/// Whether `pid`'s command line has `arg` as one of its arguments.
fn has_arg(pid: u32, arg: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == arg.as_bytes()))
}

#[tokio::test]
async fn a_gone_or_reused_pid_is_not_adopted() {
    let sup = Supervisor::new();
    let me = std::process::id();
    let info = ProcessInfo::read(me).unwrap();
    let reused = Instance::foreign(Identity {
        pid: me,
        start_time: info.identity.start_time + 1,
    });
    let spec = ProgramSpec::build("ghost", ["true"]).unwrap();
    let err = sup.adopt(spec, reused, Origin::api()).await.unwrap_err();
    assert!(
        matches!(err, EngineError::NotRunning { pid, .. } if pid == me),
        "{err}"
    );
    assert!(sup.snapshot().await.unwrap().programs.is_empty());
}

/// The first supervisor of `readopts_after_sigkill`: run only as its child process.
#[tokio::test]
#[ignore = "helper: run by readopts_after_sigkill_without_duplicates in a child process"]
async fn first_supervisor() {
    let Some(state) = std::env::var_os("LG_STATE_FILE") else {
        return;
    };
    lifeguard_engine::enable_child_subreaper().unwrap();
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    for id in ["one", "two", "three"] {
        sup.add(testprog(id, &["--helpers", "1"]), Origin::api())
            .await
            .unwrap();
        next(&mut rx, EventKind::Started).await;
    }
    let saved: Vec<(ProgramSpec, Instance)> = sup
        .snapshot()
        .await
        .unwrap()
        .programs
        .into_iter()
        .map(|p| (p.spec, p.instance.unwrap()))
        .collect();
    let tmp = std::path::Path::new(&state).with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec(&saved).unwrap()).unwrap();
    std::fs::rename(tmp, &state).unwrap();
    std::future::pending::<()>().await;
}

#[tokio::test]
async fn readopts_after_sigkill_without_duplicates() {
    lifeguard_engine::enable_child_subreaper().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut first = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "first_supervisor", "--nocapture"])
        .env("LG_STATE_FILE", &state)
        .spawn()
        .unwrap();
    eventually("the first supervisor saved its state", || state.exists()).await;
    let saved: Vec<(ProgramSpec, Instance)> =
        serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved.len(), 3);
    let before: Vec<usize> = saved
        .iter()
        .map(|(s, _)| live_of(s.id.as_str()).len())
        .collect();
    assert_eq!(before, [2, 2, 2], "main + helper each");
    // SIGKILL Lifeguard: its programs carry on, orphaned.
    first.kill().unwrap();
    first.wait().unwrap();

    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    for (spec, instance) in saved.clone() {
        sup.adopt(spec, instance, Origin::api()).await.unwrap();
    }
    let seen = events_during(&mut rx, Duration::from_secs(1)).await;
    let adopted = seen.iter().filter(|e| e.kind == EventKind::Adopted).count();
    assert_eq!(adopted, 3, "{seen:?}");
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e.kind, EventKind::Started | EventKind::Restarted)),
        "nothing started twice: {seen:?}"
    );
    for (spec, instance) in &saved {
        assert_eq!(
            live_of(spec.id.as_str()).len(),
            2,
            "no duplicate of {}",
            spec.id
        );
        assert!(alive(instance.main.pid));
    }
    // Stopping a re-adopted program reaches its whole tree, found by its token.
    let (spec, _) = &saved[0];
    sup.stop(&spec.id, Origin::api()).await.unwrap();
    eventually("whole tree stopped", || {
        live_of(spec.id.as_str()).is_empty()
    })
    .await;
    sup.shutdown(Origin::api()).await;
    for (spec, _) in &saved {
        eventually("shut down", || live_of(spec.id.as_str()).is_empty()).await;
    }
}
