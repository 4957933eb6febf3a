//! A private session bus for one test: the notification server, the monitor and the
//! notifier meet there alone. On the shared bus of a test run, other tests' daemons send
//! popups too, and a bus-activated dunst keeps their critical ones on screen forever:
//! `dunstctl action 0` then clicked someone else's "Try again", and monitors counted
//! strangers' popups.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A `dbus-daemon --session` of this test's own, killed on drop.
pub struct PrivateBus(Child);

/// A session bus config that activates nothing: the stock one starts dunst on the first
/// `Notify` call, so no server would ever be missing.
const BARE_CONFIG: &str = "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\
     <auth>EXTERNAL</auth><policy context=\"default\">\
     <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>\
     <allow own=\"*\"/></policy></busconfig>";

impl PrivateBus {
    /// Starts the bus and points this process (and every child it starts from now on) at
    /// it through `DBUS_SESSION_BUS_ADDRESS`. Call it first, before any bus connection.
    pub fn start() -> Self {
        Self::spawn(&["--session"])
    }

    /// [`PrivateBus::start`] for a bus where nothing is D-Bus-activatable: a notification
    /// server is there only once the test starts one.
    pub fn bare() -> Self {
        let conf = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(conf.path(), BARE_CONFIG).unwrap();
        // dbus-daemon reads its config once, at start-up: the file may go after that.
        Self::spawn(&[&format!("--config-file={}", conf.path().display())])
    }

    fn spawn(config: &[&str]) -> Self {
        super::require_session_bus();
        let mut child = Command::new("dbus-daemon")
            .args(config)
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed (apt-get install dbus)");
        let mut address = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut address)
            .expect("dbus-daemon prints its address");
        assert!(!address.trim().is_empty(), "dbus-daemon printed no address");
        // The test's runtime threads are idle here: nothing reads the environment while
        // it changes.
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
