//! The event stream carries the state: a subscriber that asks for snapshots gets the
//! daemon's whole snapshot at once and after every burst of events, so the window and
//! the tray show what the engine's machine decided instead of working it out.
#![allow(clippy::unwrap_used)]

mod common;

use common::{kill, testprog, text, Env, PATIENCE};
use lifeguard_engine::{EventKind, Observed, Origin, ProgramId, RequestedBy, Snapshot, Wanted};
use lifeguard_service::client::{Client, Subscription, Update};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Reads updates until a snapshot satisfies `done`; returns the events seen before it.
async fn until_snapshot(
    sub: &mut Subscription,
    done: impl Fn(&Snapshot) -> bool,
) -> (Vec<EventKind>, Snapshot) {
    let mut kinds = Vec::new();
    loop {
        let update = tokio::time::timeout(PATIENCE, sub.recv_update())
            .await
            .expect("no snapshot in time")
            .expect("the daemon closed the stream");
        match update {
            Update::Event(e) => kinds.push(e.kind),
            Update::Snapshot(s) if done(&s) => return (kinds, *s),
            Update::Snapshot(_) | Update::Missed(_) => {}
        }
    }
}

fn running_pid(s: &Snapshot, id: &str) -> Option<u32> {
    let p = s.programs.iter().find(|p| p.id.as_str() == id)?;
    match p.state {
        Observed::Running { pid, .. } => Some(pid),
        _ => None,
    }
}

#[test]
fn a_snapshot_follows_the_events_of_a_kill_and_restart() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["add", "--name", "victim", "--", &testprog()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = env.running_pid("victim");
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let mut sub = client.subscribe_with_snapshots().await.unwrap();
        // The first update is the state as it is now.
        let (before, now) = until_snapshot(&mut sub, |_| true).await;
        assert!(before.is_empty(), "{before:?}");
        assert_eq!(running_pid(&now, "victim"), Some(first));

        kill(first, libc::SIGKILL);
        let (kinds, after) = until_snapshot(&mut sub, |s| {
            running_pid(s, "victim").is_some_and(|pid| pid != first)
        })
        .await;
        assert!(kinds.contains(&EventKind::Exited), "{kinds:?}");
        assert!(kinds.contains(&EventKind::Restarted), "{kinds:?}");
        let victim = &after.programs[0];
        assert_eq!(victim.restarts, 1);
        assert_eq!(victim.deaths_last_hour, 1);
        assert_eq!(victim.wanted, Wanted::Up);
        // The same shape `status` answers (times are converted to wall clock on each
        // call, so they may differ by a millisecond: compare the pid).
        let status = client.status().await.unwrap();
        assert_eq!(
            running_pid(&status, "victim"),
            running_pid(&after, "victim")
        );
    });
}

#[test]
fn a_restart_that_cannot_start_again_stays_wanted_up() {
    // The window once worked the state out from the events, and a `stopping` made it
    // wanted down: after a restart whose start failed it hid Restart while the engine
    // still wanted the program up and kept trying.
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let copy = env.root().join("victim");
    std::fs::copy(testprog(), &copy).unwrap();
    let out = env.cli(&["add", "--name", "victim", "--", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    env.running_pid("victim");
    std::fs::remove_file(&copy).unwrap();
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let mut sub = client.subscribe_with_snapshots().await.unwrap();
        until_snapshot(&mut sub, |_| true).await;
        let id = ProgramId::new("victim").unwrap();
        client
            .restart(&id, Origin::new(RequestedBy::Cli))
            .await
            .unwrap();
        let (kinds, after) = until_snapshot(&mut sub, |s| {
            matches!(s.programs[0].state, Observed::Backoff { .. })
        })
        .await;
        assert!(kinds.contains(&EventKind::Stopping), "{kinds:?}");
        assert!(kinds.contains(&EventKind::SpawnFailed), "{kinds:?}");
        assert_eq!(after.programs[0].wanted, Wanted::Up, "{kinds:?}");
    });
}
