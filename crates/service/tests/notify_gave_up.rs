//! A crash loop ends in one "gave up" popup whose "Try again" retries the program.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::process::Command;
use std::time::{Duration, Instant};

use lifeguard_engine::{EventKind, Origin, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs, RETRY_ACTION};
use notify_support::{eventually, next, testprog, Dunst, Monitor, PATIENCE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_crash_loop_once_with_a_try_again_that_retries() {
    let monitor = Monitor::start().await;
    let _dunst = Dunst::start().await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let mut notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    notifier.retry_with(supervisor.clone());
    let name = "Crashloop Probe";
    let mut spec = testprog("loop", name, &["--exit", "1"]);
    spec.breaker.enabled = true;
    spec.breaker.max_deaths = 3;
    spec.breaker.window = Duration::from_secs(60);
    supervisor.add(spec, Origin::api()).await.unwrap();
    next(&mut events, EventKind::GaveUp, "loop").await;

    let gave_up = eventually("the gave-up Notify with its id", || {
        let calls = monitor.calls(name);
        calls
            .into_iter()
            .find(|c| c.summary.contains("keeps crashing") && c.id.is_some())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let all = monitor.calls("keeps crashing");
    assert_eq!(
        all.iter().filter(|c| c.summary.contains(name)).count(),
        1,
        "{all:#?}"
    );
    assert!(
        gave_up.actions.iter().any(|a| a == RETRY_ACTION),
        "{gave_up:#?}"
    );
    assert!(
        gave_up.actions.iter().any(|a| a == "Try again"),
        "{gave_up:#?}"
    );

    // Any other program on the session bus can emit the server's ActionInvoked signal
    // with the popup's id: that is no click, and retries nothing.
    let id = gave_up.id.unwrap();
    let spoof_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < spoof_until {
        let status = Command::new("dbus-send")
            .args([
                "--session",
                "--type=signal",
                "/org/freedesktop/Notifications",
            ])
            .arg("org.freedesktop.Notifications.ActionInvoked")
            .arg(format!("uint32:{id}"))
            .arg(format!("string:{RETRY_ACTION}"))
            .status()
            .unwrap();
        assert!(status.success());
        let seen = tokio::time::timeout(Duration::from_millis(300), async {
            loop {
                let e = events.recv().await.unwrap();
                if e.kind == EventKind::Retried && e.program.as_str() == "loop" {
                    return e;
                }
            }
        })
        .await;
        assert!(
            seen.is_err(),
            "a spoofed ActionInvoked from a bus peer retried the program: {seen:?}"
        );
    }

    // The person clicks "Try again": dunst itself emits ActionInvoked (`dunstctl action N`
    // invokes the only action of the N-th popup shown; the others have none).
    let start = Instant::now();
    let retried = loop {
        for n in 0..4 {
            let _ = Command::new("dunstctl")
                .args(["action", &n.to_string()])
                .status();
        }
        let seen = tokio::time::timeout(Duration::from_millis(500), async {
            loop {
                let e = events.recv().await.unwrap();
                if e.kind == EventKind::Retried && e.program.as_str() == "loop" {
                    return e;
                }
            }
        })
        .await;
        if let Ok(e) = seen {
            break e;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "Try again never retried the program"
        );
    };
    assert_eq!(retried.reason.as_deref(), Some("notification: Try again"));
    supervisor.shutdown(Origin::api()).await;
}
