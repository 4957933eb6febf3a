//! A mass kill is one summary, not a storm of popups.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::time::Duration;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::{eventually, kill, next, testprog, Dunst, Monitor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_six_kills_at_once_as_at_most_two_popups_one_a_summary() {
    let monitor = Monitor::start().await;
    let _dunst = Dunst::start().await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let _notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    let mut pids = Vec::new();
    for i in 0..6 {
        let id = format!("mass{i}");
        let spec = testprog(&id, &format!("Massprobe {i}"), &[]);
        supervisor.add(spec, Origin::api()).await.unwrap();
        pids.push(
            next(&mut events, EventKind::Started, &id)
                .await
                .pid
                .unwrap(),
        );
    }
    for pid in &pids {
        kill(*pid, Signal::KILL);
    }
    // Every one is back (in whatever order they come).
    let mut back = std::collections::BTreeSet::new();
    tokio::time::timeout(notify_support::PATIENCE, async {
        while back.len() < 6 {
            let e = events.recv().await.unwrap();
            if e.kind == EventKind::Restarted {
                back.insert(e.program);
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("only {back:?} were restarted"));
    eventually("the summary", || {
        monitor
            .calls("Massprobe")
            .iter()
            .any(|c| c.summary == "6 programs were restarted")
            .then_some(())
    })
    .await;
    // Anything else would come within the settle second; wait well past it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let calls = monitor.calls("Massprobe");
    assert!(calls.len() <= 2, "at most 2 Notify calls: {calls:#?}");
    let summary = calls
        .iter()
        .find(|c| c.summary == "6 programs were restarted")
        .unwrap();
    assert_eq!(
        summary.body.matches("Massprobe").count(),
        5,
        "{}",
        summary.body
    );
    assert!(summary.body.ends_with("and 1 more."), "{}", summary.body);
    if let [first, second] = &calls[..] {
        assert_eq!(
            second.replaces_id,
            first.id.unwrap(),
            "the summary replaces the popup"
        );
    }
    supervisor.shutdown(Origin::api()).await;
}
