//! logind announcing a shutdown (`PrepareForShutdown(true)` on the system bus) holds
//! restarts at once, so programs killed by the shutdown stay down; a cancelled shutdown
//! (`false`) lifts the hold. The system bus is the test's own `dbus-daemon`, with a
//! stand-in logind (python3-dbus) that owns `org.freedesktop.login1`.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use common::procs::{kill_tagged, unique};
use common::{kill, testprog, wait_for, Env};

struct Bus {
    daemon: Child,
    logind: Child,
    to_logind: ChildStdin,
    from_logind: BufReader<ChildStdout>,
    tag: String,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.logind.kill();
        let _ = self.daemon.kill();
        let _ = self.logind.wait();
        let _ = self.daemon.wait();
        kill_tagged(&self.tag);
    }
}

impl Bus {
    fn start(tag: String) -> (Self, String) {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (package dbus) is needed");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/fake_logind.py");
        let mut logind = Command::new("/usr/bin/python3")
            .args([script, &address])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let to_logind = logind.stdin.take().unwrap();
        let mut from_logind = BufReader::new(logind.stdout.take().unwrap());
        let mut line = String::new();
        from_logind.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the stand-in logind did not start");
        let bus = Self {
            daemon,
            logind,
            to_logind,
            from_logind,
            tag,
        };
        (bus, address)
    }

    fn prepare_for_shutdown(&mut self, starting: bool) {
        writeln!(self.to_logind, "{starting}").unwrap();
        let mut line = String::new();
        self.from_logind.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "sent");
    }
}

#[test]
fn a_shutdown_announced_by_logind_holds_restarts_and_a_cancelled_one_lifts_the_hold() {
    let tag = unique("logind");
    let (mut bus, address) = Bus::start(tag.clone());
    let config = format!(
        "[[program]]\nid = \"kept\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.vars
        .push(("DBUS_SYSTEM_BUS_ADDRESS".into(), address.clone()));
    env.start_daemon(&[]);
    let first = env.running_pid("kept");
    wait_for("the daemon to follow logind", || {
        env.daemon_log().contains("following logind")
    });

    bus.prepare_for_shutdown(true);
    wait_for("restarts to be held", || {
        env.json(&["status"])["paused"] == true
    });
    kill(first, libc::SIGKILL);
    wait_for("the kill to be seen", || env.pid_of("kept").is_none());
    std::thread::sleep(std::time::Duration::from_millis(1000));
    assert_eq!(env.pid_of("kept"), None, "restarted during a shutdown");

    bus.prepare_for_shutdown(false);
    wait_for("the program to come back", || {
        env.pid_of("kept").is_some_and(|p| p != first)
    });
    assert_eq!(env.json(&["status"])["paused"], false);
}
