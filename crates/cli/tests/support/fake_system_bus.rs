//! A private system bus for one test: its own `dbus-daemon` with a stand-in logind
//! (`fake_logind.py`, python3-dbus) that owns `org.freedesktop.login1` and sends the
//! signals the test asks for. The daemon under test is pointed at it through
//! `DBUS_SYSTEM_BUS_ADDRESS`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::common::procs::kill_tagged;

/// The bus, the stand-in logind, and the tag of the test's programs (killed on drop).
pub struct Bus {
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
    /// Starts the bus and the stand-in logind; returns the bus and its address.
    pub fn start(tag: String) -> (Self, String) {
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

    /// Sends `PrepareForShutdown(starting)`.
    #[allow(dead_code)]
    pub fn prepare_for_shutdown(&mut self, starting: bool) {
        self.send(&starting.to_string());
    }

    /// Sends `PrepareForSleep(starting)`.
    #[allow(dead_code)]
    pub fn prepare_for_sleep(&mut self, starting: bool) {
        self.send(&format!("sleep {starting}"));
    }

    fn send(&mut self, line: &str) {
        writeln!(self.to_logind, "{line}").unwrap();
        let mut got = String::new();
        self.from_logind.read_line(&mut got).unwrap();
        assert_eq!(got.trim(), "sent");
    }
}
