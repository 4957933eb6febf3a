//! Issue 14, the crash-loop trial: a program that exits 1 at once and one that segfaults at
//! once, added with no flags, are given up on after the breaker's default count, each with
//! exactly one "keeps crashing" notification seen on a real notification server (dunst,
//! watched with dbus-monitor), and `lifeguard retry` brings them back (and, still
//! crashing, they are given up on again after the same count).
//! Run under `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-cli --test crash_loop`.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{testprog, text, wait_for, Env};
use serde_json::Value;

/// A `dbus-daemon --session` of this test's own, killed on drop: on the test run's shared
/// bus other tests' daemons send "keeps crashing" popups too, and the count would be theirs.
struct PrivateBus(Child);

impl PrivateBus {
    /// Starts the bus and points this process and its children (the daemon, dunst, the
    /// monitor) at it. Called first, before anything connects to a bus.
    fn start() -> Self {
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
struct Monitor {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Monitor {
    fn start() -> Self {
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

    fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `Notify` calls whose summary is exactly `summary`.
    fn count(&self, summary: &str) -> usize {
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

fn server_running() -> bool {
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
struct Dunst(Option<Child>);

impl Dunst {
    fn start() -> Self {
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

fn program<'a>(status: &'a Value, id: &str) -> &'a Value {
    status["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

fn count(env: &Env, id: &str, kind: &str) -> usize {
    let h = env.json(&[
        "history",
        "--program",
        id,
        "--kind",
        kind,
        "--limit",
        "1000",
    ]);
    h.as_array().unwrap().len()
}

#[test]
fn crash_loops_give_up_after_the_default_count_notify_once_and_retry_brings_them_back() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "this trial needs a session bus and a display: run it under \
         `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-cli --test crash_loop`"
    );
    let _bus = PrivateBus::start();
    let monitor = Monitor::start();
    let _dunst = Dunst::start();
    let max_deaths = lifeguard_engine::BreakerSpec::default().max_deaths as usize;
    let loops = [
        ("exit-loop", "Exit Loop", ["--exit", "1"]),
        ("segv-loop", "Segv Loop", ["--signal", "SIGSEGV"]),
    ];
    // One daemon each: notifications are capped per daemon (5 a minute), and one crash
    // loop's restart notices and its gave-up notice already fill that.
    for (id, name, args) in &loops {
        let mut env = Env::new(None);
        env.start_daemon(&[]);
        let tp = testprog();
        let argv = [
            &["add", "--id", id, "--name", name, "--"][..],
            &[&tp],
            &args[..],
        ]
        .concat();
        let out = env.cli(&argv);
        assert!(out.status.success(), "{}", text(&out.stderr));
        wait_for(&format!("{id} to give up"), || {
            program(&env.json(&["status"]), id)["state"]["state"] == "gave_up"
        });
        let status = env.json(&["status"]);
        assert_eq!(
            program(&status, id)["state"]["deaths"],
            max_deaths,
            "{status:#}"
        );
        assert_eq!(count(&env, id, "exited"), max_deaths, "{id}");
        let summary = format!("{name} keeps crashing");
        wait_for(&format!("the {summary:?} notification"), || {
            monitor.count(&summary) >= 1
        });
        // Time for a repeat, if one were coming: there must be none.
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!(monitor.count(&summary), 1, "{}", monitor.text());

        // `lifeguard retry` brings it back: started afresh, and (still crashing) given up
        // again after the same count.
        let out = env.cli(&["retry", id]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        wait_for(&format!("{id} retried and given up again"), || {
            count(&env, id, "gave_up") == 2
        });
        assert_eq!(count(&env, id, "retried"), 1);
        assert_eq!(count(&env, id, "exited"), 2 * max_deaths, "{id}");
        let status = env.json(&["status"]);
        assert_eq!(program(&status, id)["state"]["deaths"], max_deaths);
    }
}
