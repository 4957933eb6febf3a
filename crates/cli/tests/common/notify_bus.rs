//! A desktop notification server of the test's own: a private session bus, a real dunst
//! on it (needs a display: xvfb-run) and `dbus-monitor` logging every `Notify` call (the
//! same parts as crash_loop.rs).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::{text, wait_for};

/// A `dbus-daemon --session` of this test's own, killed on drop: on the test run's shared
/// bus other tests' daemons send "keeps crashing" popups too, and the count would be theirs.
pub struct PrivateBus(Child);

impl PrivateBus {
    /// Starts the bus and points this process and its children (the daemon, dunst, the
    /// monitor) at it. Called first, before anything connects to a bus.
    pub fn start() -> Self {
        use std::io::BufRead;
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed (apt-get install dbus)");
        let mut address = String::new();
        let stdout = child.stdout.take().unwrap();
        std::io::BufReader::new(stdout)
            .read_line(&mut address)
            .unwrap();
        assert!(!address.trim().is_empty(), "dbus-daemon printed no address");
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        Self(child)
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `dbus-monitor` logging every `Notify` call on the session bus; killed on drop.
pub struct Monitor {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Monitor {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("monitor.log");
        let child = Command::new("stdbuf")
            .args(["-oL", "dbus-monitor"])
            .arg("interface='org.freedesktop.Notifications',member='Notify'")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor is needed (apt-get install dbus)");
        let m = Self {
            child,
            log,
            _dir: dir,
        };
        // It reports its own NameLost once it became a monitor.
        wait_for("dbus-monitor to attach", || m.text().contains("NameLost"));
        m
    }

    pub fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `Notify` calls whose summary is exactly `summary`.
    pub fn count(&self, summary: &str) -> usize {
        self.text()
            .matches(&format!("string \"{summary}\"\n"))
            .count()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn server_running() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/",
        ])
        .arg("org.freedesktop.DBus.NameHasOwner")
        .arg("string:org.freedesktop.Notifications")
        .output()
        .is_ok_and(|o| text(&o.stdout).contains("true"))
}

/// A dunst on the session bus, killed on drop if this test started it.
pub struct Dunst(Option<Child>);

impl Dunst {
    pub fn start() -> Self {
        let child = (!server_running()).then(|| {
            Command::new("dunst")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dunst is needed (apt-get install dunst), with a display (xvfb-run)")
        });
        wait_for("dunst to own org.freedesktop.Notifications", server_running);
        Self(child)
    }
}

impl Drop for Dunst {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
