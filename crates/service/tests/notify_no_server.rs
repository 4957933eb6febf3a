//! Without a notification server, protection goes on and nothing hangs.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::time::Duration;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, NotifierOptions, Prefs};
use notify_support::{kill, next, testprog};

/// Kills the program repeatedly (so the notifier keeps trying) and checks each restart.
async fn restarts_go_on(supervisor: &Supervisor, id: &str) {
    let mut events = supervisor.subscribe();
    supervisor
        .add(testprog(id, "Serverless Probe", &[]), Origin::api())
        .await
        .unwrap();
    let mut pid = next(&mut events, EventKind::Started, id).await.pid.unwrap();
    for _ in 0..3 {
        kill(pid, Signal::KILL);
        let back = next(&mut events, EventKind::Restarted, id)
            .await
            .pid
            .unwrap();
        assert_ne!(back, pid, "back with a new PID");
        pid = back;
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
    // The control path still answers promptly (the daemon's CLI goes through it).
    let snap = tokio::time::timeout(Duration::from_secs(5), supervisor.program(&events_id(id)))
        .await
        .expect("the supervisor answers")
        .unwrap();
    assert_eq!(snap.restarts, 3);
    tokio::time::timeout(Duration::from_secs(10), supervisor.shutdown(Origin::api()))
        .await
        .expect("shutdown does not hang");
}

fn events_id(id: &str) -> lifeguard_engine::ProgramId {
    lifeguard_engine::ProgramId::new(id).unwrap()
}

/// Collects every log line (the process is this test's own under nextest).
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_without_a_server_on_the_bus_still_restarts() {
    notify_support::require_session_bus();
    let logs = Logs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    let supervisor = Supervisor::new();
    // A server name nobody owns (and D-Bus cannot activate): a bus without a server.
    let options = NotifierOptions {
        bus: Some("lifeguard_test_nobody".into()),
    };
    let _notifier = Notifier::spawn_with(supervisor.subscribe(), Prefs::default(), options);
    restarts_go_on(&supervisor, "nobus").await;
    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let warnings = text
        .matches("desktop notifications are unavailable")
        .count();
    assert_eq!(warnings, 1, "one warning for 3 restarts: {text}");
}
