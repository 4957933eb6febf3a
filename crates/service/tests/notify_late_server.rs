//! A notification server that appears late: the restarts it missed arrive in one summary.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::time::Duration;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::bus::PrivateBus;
use notify_support::{eventually, kill, next, testprog, Dunst, Monitor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_one_summary_when_a_server_appears_late() {
    // A bus that activates nothing (the stock one would start dunst on the first Notify
    // call, so no server would ever be missing).
    let monitor = Monitor::start_on(PrivateBus::bare()).await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    supervisor
        .add(testprog("late", "Late Server Probe", &[]), Origin::api())
        .await
        .unwrap();
    let pid = next(&mut events, EventKind::Started, "late")
        .await
        .pid
        .unwrap();
    kill(pid, Signal::KILL);
    next(&mut events, EventKind::Restarted, "late").await;
    let missed = eventually("the restart kept as missed", || {
        Some(notifier.missed().list()).filter(|l| !l.is_empty())
    })
    .await;
    assert_eq!(missed[0].program, "late");

    assert!(
        monitor
            .calls("Late Server Probe")
            .iter()
            .all(|c| c.id.is_none()),
        "no server answered before one came"
    );

    let _dunst = Dunst::start().await;
    let summary = eventually("the summary popup", || {
        Some(monitor.calls("while you were away")).filter(|c| !c.is_empty())
    })
    .await;
    assert_eq!(summary[0].summary, "1 restart while you were away");
    assert!(
        summary[0].body.contains("Late Server Probe"),
        "the summary names the restart: {:?}",
        summary[0].body
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        monitor.calls("while you were away").len(),
        1,
        "exactly one summary"
    );
    assert!(
        notifier.missed().list().is_empty(),
        "cleared once the summary was shown"
    );
    supervisor.shutdown(Origin::api()).await;
}
