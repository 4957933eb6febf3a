//! A killed program is back, and the person is told once, in plain words.
#![allow(clippy::unwrap_used)]

mod notify_support;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::{eventually, kill, next, testprog, Dunst, Monitor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_once_naming_sigkill_when_a_killed_program_is_back() {
    let monitor = Monitor::start().await;
    let _dunst = Dunst::start().await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let _notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    let name = "Sigkill Solo Probe";
    supervisor
        .add(testprog("solo", name, &[]), Origin::api())
        .await
        .unwrap();
    let first = next(&mut events, EventKind::Started, "solo")
        .await
        .pid
        .unwrap();

    kill(first, Signal::KILL);
    let second = next(&mut events, EventKind::Restarted, "solo")
        .await
        .pid
        .unwrap();
    assert_ne!(first, second, "back with a new PID");

    eventually("a Notify call naming the program", || {
        Some(monitor.calls(name)).filter(|c| !c.is_empty())
    })
    .await;
    // Give a duplicate time to show up before counting.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let calls = monitor.calls(name);
    assert_eq!(calls.len(), 1, "exactly one Notify: {calls:#?}");
    let call = &calls[0];
    assert_eq!(call.app, "Lifeguard");
    assert_eq!(call.summary, format!("{name} restarted"));
    assert!(
        call.body.contains("SIGKILL"),
        "names the signal: {}",
        call.body
    );
    // Plain words: a real run's length, the day's count as a person says it.
    assert!(
        call.body.ends_with(". First restart today."),
        "{}",
        call.body
    );
    assert!(!call.body.contains("after 0 s"), "{}", call.body);
    // GNOME files (and mutes) it under Lifeguard's own desktop entry.
    assert!(
        call.hints
            .iter()
            .any(|(k, v)| k == "desktop-entry" && v == "org.lifeguard.Lifeguard"),
        "{call:#?}"
    );
    supervisor.shutdown(Origin::api()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_three_kills_within_a_minute_replace_the_first_popup() {
    let monitor = Monitor::start().await;
    let _dunst = Dunst::start().await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let _notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    let name = "Thrice Killed Probe";
    supervisor
        .add(testprog("thrice", name, &[]), Origin::api())
        .await
        .unwrap();
    let mut pid = next(&mut events, EventKind::Started, "thrice")
        .await
        .pid
        .unwrap();

    for n in 1..=3 {
        kill(pid, Signal::KILL);
        pid = next(&mut events, EventKind::Restarted, "thrice")
            .await
            .pid
            .unwrap();
        // One popup update per kill: wait for it before the next kill (later kills within a
        // second would be merged into one update, which is right but not what we count).
        eventually(&format!("Notify call {n}"), || {
            (monitor.calls(name).len() >= n).then_some(())
        })
        .await;
    }
    let calls = monitor.calls(name);
    assert_eq!(calls.len(), 3, "{calls:#?}");
    let first_id = calls[0]
        .id
        .expect("the server answered the first Notify with an id");
    assert_eq!(calls[0].replaces_id, 0);
    assert_eq!(calls[1].replaces_id, first_id, "{calls:#?}");
    assert_eq!(calls[2].replaces_id, first_id, "{calls:#?}");
    assert!(
        calls[2].body.ends_with(" Restarted 3 times today."),
        "{}",
        calls[2].body
    );
    supervisor.shutdown(Origin::api()).await;
}
