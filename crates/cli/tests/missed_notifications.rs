//! Issue 20 item 4, against a real daemon: started on a session bus with no notification
//! server (and nothing D-Bus-activatable), a killed program is restarted and the restart
//! kept (`missed`); dunst started late on that bus gets exactly one summary naming it,
//! seen by dbus-monitor, and the list is cleared. Needs a display for dunst (xvfb-run).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{kill, testprog, wait_for, Env};
use serde_json::{json, Value};

/// A bus of the test's own that activates nothing; the processes on it, killed on drop
/// (the bus last).
struct Bus {
    address: String,
    children: Vec<Child>,
}

impl Bus {
    fn start() -> Self {
        let conf = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(
            conf.path(),
            "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\
             <auth>EXTERNAL</auth><policy context=\"default\">\
             <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>\
             <allow own=\"*\"/></policy></busconfig>",
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.path().display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed (apt-get install dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Self {
            address,
            children: vec![bus],
        }
    }

    /// Starts `program` on this bus and keeps it until the drop.
    fn spawn(&mut self, program: &str, args: &[&str], stdout: Stdio) {
        let child = Command::new(program)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdout(stdout)
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} is needed: {e}"));
        self.children.push(child);
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        for c in self.children.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// How many `Notify` calls the monitor saw with this exact summary.
fn notify_calls(log: &std::path::Path, summary: &str) -> usize {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.matches(&format!("string \"{summary}\"")).count()
}

#[test]
fn a_notification_server_that_appears_late_gets_one_summary_from_the_daemon() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "dunst needs a display: run under xvfb-run"
    );
    let config = format!(
        "[[program]]\nid = \"late\"\nname = \"Late Probe\"\nargv = [\"{}\"]\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    let mut bus = Bus::start();
    let log = env.root().join("monitor.log");
    let out = std::fs::File::create(&log).unwrap();
    bus.spawn(
        "stdbuf",
        &[
            "-oL",
            "dbus-monitor",
            "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
        ],
        Stdio::from(out),
    );
    wait_for("dbus-monitor to attach", || {
        std::fs::read_to_string(&log).is_ok_and(|t| t.contains("NameLost"))
    });
    env.vars
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    env.start_daemon(&[]);
    let pid = env.running_pid("late");
    kill(pid, libc::SIGKILL);
    wait_for("the restart", || {
        env.pid_of("late").is_some_and(|p| p != pid)
    });
    let mut missed = Value::Null;
    wait_for("the restart kept as missed", || {
        missed = env.rpc("missed", json!({}));
        missed["missed"].as_array().is_some_and(|l| !l.is_empty())
    });
    assert_eq!(missed["missed"][0]["program"], "late", "{missed}");

    bus.spawn("dunst", &[], Stdio::null());
    let summary = "1 restart while you were away";
    wait_for("the summary popup", || notify_calls(&log, summary) > 0);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(notify_calls(&log, summary), 1, "exactly one summary");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("Late Probe restarted at "),
        "the summary names the restart: {text}"
    );
    wait_for("the list cleared once shown", || {
        env.rpc("missed", json!({})) == json!({"missed": []})
    });
}
