//! Whole process trees with real processes: launchers that double-fork and exit, helpers
//! that outlive their main process, stops that reach everything, inherited zombies reaped.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use lifeguard_engine::{EventKind, Exit, Origin, ProgramId, Signal, Supervisor};

fn subreaper() {
    lifeguard_engine::enable_child_subreaper().unwrap();
}

#[tokio::test]
async fn launcher_that_double_forks_is_followed_and_its_grandchild_kept_single() {
    subreaper();
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let id = "launched";
    sup.add(testprog(id, &["--launcher"]), Origin::api())
        .await
        .unwrap();
    let handed = next(&mut rx, EventKind::HandedOff).await;
    let reason = handed.reason.clone().unwrap();
    assert!(reason.contains("handed off to PID"), "{reason}");
    // The launcher's intermediate may be followed first; then the grandchild.
    let later = events_during(&mut rx, Duration::from_secs(2)).await;
    assert!(
        later.iter().all(|e| e.kind == EventKind::HandedOff),
        "only hand-offs, no restarts: {later:?}"
    );
    let copies = live_of(id);
    assert_eq!(copies.len(), 1, "exactly one grandchild: {copies:?}");
    let snap = sup.program(&ProgramId::new(id).unwrap()).await.unwrap();
    assert_eq!(snap.instance.as_ref().unwrap().main.pid, copies[0]);
    assert_eq!(snap.restarts, 0);
    assert!(
        our_zombies().is_empty(),
        "the launcher's intermediate was reaped"
    );

    kill(copies[0], Signal::KILL);
    let exited = next(&mut rx, EventKind::Exited).await;
    assert_eq!(exited.pid, Some(copies[0]));
    assert!(
        matches!(
            exited.exit,
            Some(Exit::Signal {
                signal: Signal::KILL,
                ..
            })
        ),
        "{exited:?}"
    );
    next(&mut rx, EventKind::Restarted).await;
    next(&mut rx, EventKind::HandedOff).await;
    let _ = events_during(&mut rx, Duration::from_secs(1)).await;
    let again = live_of(id);
    assert_eq!(again.len(), 1, "still exactly one: {again:?}");
    assert_ne!(again[0], copies[0]);
    sup.shutdown(Origin::api()).await;
    eventually("no process left after shutdown", || live_of(id).is_empty()).await;
}

#[tokio::test]
async fn heir_killed_right_after_the_hand_off_is_restarted_not_left_down() {
    subreaper();
    heir_killed_rounds("heir-killed-sub").await;
}

#[tokio::test]
async fn heir_killed_right_after_the_hand_off_is_restarted_without_a_subreaper_too() {
    // Without the opt-in the heir is not our child, so its status is unknown: the case the
    // roulette found, where such a kill was taken for one more launcher stage and recorded
    // as "nothing left", and the program never came back.
    heir_killed_rounds("heir-killed-plain").await;
}

/// Five rounds of: wait for the hand-off, SIGKILL the heir at once, expect a restart.
async fn heir_killed_rounds(id: &str) {
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let mut spec = testprog(id, &["--launcher"]);
    spec.breaker.enabled = false;
    sup.add(spec, Origin::api()).await.unwrap();
    let sigkill = |pid: Option<u32>| {
        // SAFETY: kill(2) with plain integers; the heir may already have moved on (ESRCH).
        unsafe { libc::kill(pid.unwrap() as i32, libc::SIGKILL) };
    };
    for round in 0..5 {
        sigkill(next(&mut rx, EventKind::HandedOff).await.pid);
        let wait = async {
            loop {
                let e = rx.recv().await.unwrap();
                assert_ne!(
                    e.kind,
                    EventKind::NothingLeft,
                    "round {round}: the killed heir was not restarted: {e:?}"
                );
                match e.kind {
                    // The launcher's intermediate may have exited 0 before the kill landed:
                    // a genuine further hand-off, whose heir gets the same treatment.
                    EventKind::HandedOff => sigkill(e.pid),
                    EventKind::Restarted => return,
                    _ => {}
                }
            }
        };
        tokio::time::timeout(PATIENCE, wait)
            .await
            .unwrap_or_else(|_| panic!("round {round}: no restart after killing the heir"));
    }
    next(&mut rx, EventKind::HandedOff).await;
    let _ = events_during(&mut rx, Duration::from_secs(1)).await;
    let copies = live_of(id);
    assert_eq!(
        copies.len(),
        1,
        "exactly one copy after 5 rounds: {copies:?}"
    );
    sup.shutdown(Origin::api()).await;
    eventually("no process left after shutdown", || live_of(id).is_empty()).await;
}

#[tokio::test]
async fn a_known_launcher_whose_program_dies_before_it_is_found_is_restarted() {
    // Found by the roulette at the defaults (a 39 s outage of a launcher program): the
    // launcher's program was killed before the heir search saw it, the launcher's clean
    // exit with nothing left was taken for a single-instance hand-off, and the program was
    // never restarted. A program that has handed off before is a launcher: its clean exit
    // with nothing left is its program's death, answered by the policy.
    subreaper();
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("starts");
    let counter = counter.to_str().unwrap();
    let id = "launcher-heir-dies";
    let args = ["--launcher", "--heir-crash-on", "2", "--counter", counter];
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(testprog(id, &args), Origin::api()).await.unwrap();
    next(&mut rx, EventKind::HandedOff).await;
    let _ = events_during(&mut rx, Duration::from_millis(1500)).await;
    let snap = sup.program(&ProgramId::new(id).unwrap()).await.unwrap();
    let heir = snap.instance.unwrap().main.pid;
    // A real run ended by a kill: restarted, and this start's program dies at once.
    kill(heir, Signal::KILL);
    let wait = async {
        let mut restarts = 0;
        loop {
            let e = rx.recv().await.unwrap();
            assert_ne!(
                e.kind,
                EventKind::NothingLeft,
                "a launcher's dead program was left down: {e:?}"
            );
            match e.kind {
                EventKind::Restarted => restarts += 1,
                // The third start's hand-off: its program stays.
                EventKind::HandedOff if restarts == 2 => return e,
                _ => {}
            }
        }
    };
    let third = tokio::time::timeout(PATIENCE, wait)
        .await
        .expect("no third start after the launcher's program died before it was found");
    assert_ne!(third.pid, Some(heir));
    let _ = events_during(&mut rx, Duration::from_millis(500)).await;
    assert_eq!(live_of(id).len(), 1, "exactly one copy");
    sup.shutdown(Origin::api()).await;
    eventually("no process left after shutdown", || live_of(id).is_empty()).await;
}

#[tokio::test]
async fn quick_clean_exit_with_nothing_left_is_recorded_not_restarted() {
    subreaper();
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(testprog("single", &["--exit", "0"]), Origin::api())
        .await
        .unwrap();
    let e = next(&mut rx, EventKind::NothingLeft).await;
    assert_eq!(e.exit, Some(Exit::Code(0)));
    assert!(e.reason.unwrap().contains("not restarted"));
    let later = events_during(&mut rx, Duration::from_millis(800)).await;
    assert!(later.is_empty(), "no restart loop: {later:?}");
}

#[tokio::test]
async fn sigkill_of_main_stops_its_helpers_so_they_never_pile_up() {
    subreaper();
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let id = "helpers";
    // A failed try must not leave its processes to the retry (nextest's ci profile).
    let _left = KillLeftOnDrop(id);
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    let mut spec = testprog(id, &["--helpers", "3", "--pid-file", path_arg(&pids)]);
    spec.breaker.enabled = false;
    sup.add(spec, Origin::api()).await.unwrap();
    eventually("main and 3 helpers", || live_of(id).len() == 4).await;
    let first = live_of(id).len();
    for round in 0..5 {
        let snap = sup.program(&ProgramId::new(id).unwrap()).await.unwrap();
        let main = snap.instance.unwrap().main.pid;
        let helpers: Vec<u32> = live_of(id).into_iter().filter(|p| *p != main).collect();
        assert_eq!(helpers.len(), 3, "round {round}");
        kill(main, Signal::KILL);
        next(&mut rx, EventKind::Exited).await;
        next(&mut rx, EventKind::Restarted).await;
        eventually("old helpers gone", || !helpers.iter().any(|p| alive(*p))).await;
        eventually("new instance complete", || live_of(id).len() == first).await;
    }
    assert_eq!(
        live_of(id).len(),
        first,
        "after 5 rounds as after the first start"
    );
    eventually("inherited zombies reaped", || our_zombies().is_empty()).await;
    sup.stop(&ProgramId::new(id).unwrap(), Origin::api())
        .await
        .unwrap();
    // SIGKILL is delivered, not awaited: a killed helper may still be on its way out
    // when `stop` returns (seen under a loaded CI run), and is gone moments later.
    eventually("stop leaves no process of the tree", || {
        live_of(id).is_empty()
    })
    .await;
}

/// SIGKILLs the processes of program `.0` left behind by a failed test.
struct KillLeftOnDrop(&'static str);

impl Drop for KillLeftOnDrop {
    fn drop(&mut self) {
        live_of(self.0)
            .into_iter()
            .for_each(|p| kill(p, Signal::KILL));
    }
}

#[tokio::test]
async fn setsid_jobs_are_the_users_neither_a_death_nor_a_stop_reaches_them() {
    subreaper();
    let id = "detaching";
    let _left = KillLeftOnDrop(id);
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    // A main process that keeps running and starts a job in a session of its own (like
    // `setsid -f`, or a tmux server): the job carries the marker, but it left the
    // program's session, so it is the user's.
    let prog = lifeguard_testprog::path().to_string_lossy().into_owned();
    let script = format!("{prog} --launcher & exec {prog}");
    let mut spec = testprog(id, &[]);
    spec.argv = vec!["sh".into(), "-c".into(), script];
    sup.add(spec, Origin::api()).await.unwrap();
    let main = sup
        .program(&ProgramId::new(id).unwrap())
        .await
        .unwrap()
        .instance
        .unwrap()
        .main
        .pid;
    let session = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|t| {
                t.rsplit_once(')')?
                    .1
                    .split_whitespace()
                    .nth(3)?
                    .parse::<u32>()
                    .ok()
            })
    };
    // The jobs once they have left: in a session other than the one programs start in.
    let ours = session(main);
    assert!(ours.is_some());
    let jobs = || -> Vec<u32> {
        live_of(id)
            .into_iter()
            .filter(|p| session(*p).is_some_and(|s| Some(s) != ours))
            .collect()
    };
    eventually("main and its detached job", || {
        live_of(id).len() == 2 && jobs().len() == 1
    })
    .await;
    let job = jobs();

    kill(main, Signal::KILL);
    next(&mut rx, EventKind::Restarted).await;
    eventually("the new main and its own detached job", || {
        live_of(id).len() == 3 && jobs().len() == 2
    })
    .await;
    assert!(alive(job[0]), "the job was killed with the main process");

    sup.stop(&ProgramId::new(id).unwrap(), Origin::api())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let left = live_of(id);
    assert_eq!(left.len(), 2, "both jobs outlive the stop: {left:?}");
    assert!(left.contains(&job[0]));
    for pid in left {
        kill(pid, Signal::KILL);
    }
    eventually("jobs gone", || live_of(id).is_empty()).await;
    // Orphans that are not the program's (the jobs, the intermediate processes that
    // started them) are the embedding program's to reap, as the daemon's reaper does.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for pid in our_zombies() {
        // SAFETY: waitpid on our own zombie child.
        unsafe { libc::waitpid(pid as i32, std::ptr::null_mut(), libc::WNOHANG) };
    }
}
