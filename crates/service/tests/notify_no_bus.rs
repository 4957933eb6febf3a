//! Without any session bus, protection goes on and nothing hangs.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::time::Duration;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::{kill, next, testprog};

#[test]
fn notify_without_a_session_bus_still_restarts() {
    // Before any thread exists: this binary's only test, so the process is ours.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/lifeguard-bus",
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let supervisor = Supervisor::new();
        let mut events = supervisor.subscribe();
        let _notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
        supervisor
            .add(testprog("busless", "Busless Probe", &[]), Origin::api())
            .await
            .unwrap();
        let mut pid = next(&mut events, EventKind::Started, "busless")
            .await
            .pid
            .unwrap();
        for _ in 0..3 {
            kill(pid, Signal::KILL);
            let back = next(&mut events, EventKind::Restarted, "busless")
                .await
                .pid
                .unwrap();
            assert_ne!(back, pid);
            pid = back;
            tokio::time::sleep(Duration::from_millis(1200)).await;
        }
        tokio::time::timeout(Duration::from_secs(10), supervisor.shutdown(Origin::api()))
            .await
            .expect("shutdown does not hang");
    });
}
