//! A notification server that appears late: the restarts it missed arrive in one summary.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::{eventually, kill, next, testprog, Dunst, Monitor};

/// A private bus that activates nothing (the stock one would start dunst on the first
/// Notify call, so no server would ever be missing).
struct BareBus(Child, std::path::PathBuf);

impl BareBus {
    fn start() -> Self {
        notify_support::require_session_bus();
        let conf = std::env::temp_dir().join(format!("lg-bare-bus-{}.conf", std::process::id()));
        std::fs::write(
            &conf,
            "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\
             <auth>EXTERNAL</auth><policy context=\"default\">\
             <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>\
             <allow own=\"*\"/></policy></busconfig>",
        )
        .unwrap();
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed");
        let mut address = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        Self(child, conf)
    }
}

impl Drop for BareBus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_file(&self.1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "unfinished: the restart is not yet seen in `missed` within 20 s on the bare bus; see the i20m report"]
async fn notify_one_summary_when_a_server_appears_late() {
    let _bus = BareBus::start();
    let monitor = Monitor::start().await;
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

    let _dunst = Dunst::start().await;
    eventually("the summary popup", || {
        Some(monitor.calls("while you were away")).filter(|c| !c.is_empty())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        monitor.calls("while you were away").len(),
        1,
        "exactly one summary"
    );
    assert_eq!(notifier.missed().list().len(), 1, "kept until dismissed");
    notifier.missed().dismiss();
    assert!(notifier.missed().list().is_empty());
    supervisor.shutdown(Origin::api()).await;
}
