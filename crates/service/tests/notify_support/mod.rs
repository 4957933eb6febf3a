//! Shared by the `notify_*` tests: a real dunst, a real dbus-monitor, real processes.
//! Run under `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-service notify`.
#![allow(clippy::unwrap_used, dead_code, unused_imports)]

pub mod bus;
pub mod monitor;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_engine::{Event, EventKind, ProgramSpec, Signal};
use tokio::sync::broadcast;

pub use monitor::Monitor;

/// Generous: CI machines are slow and shared.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A protected `lg-testprog` with quick backoff; `name` is what notices show.
pub fn testprog(id: &str, name: &str, args: &[&str]) -> ProgramSpec {
    let mut argv = vec![lifeguard_testprog::path().to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let mut spec = ProgramSpec::build(id, argv).unwrap();
    spec.name = name.to_owned();
    spec.backoff.initial = Duration::from_millis(20);
    spec.stop_grace = Duration::from_millis(500);
    spec
}

/// The next event of `kind` for `program`; panics after PATIENCE.
pub async fn next(rx: &mut broadcast::Receiver<Event>, kind: EventKind, program: &str) -> Event {
    let wait = async {
        loop {
            let e = rx.recv().await.unwrap();
            if e.kind == kind && e.program.as_str() == program {
                return e;
            }
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind:?} event for {program}"))
}

pub fn kill(pid: u32, signal: Signal) {
    // SAFETY: kill(2) with plain integers.
    assert_eq!(unsafe { libc::kill(pid as i32, signal.number()) }, 0);
}

/// Polls `f` until it returns `Some`, panicking with `what` after PATIENCE.
pub async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Panics unless a session bus is there: these tests need `dbus-run-session`.
pub fn require_session_bus() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "notification tests need a session bus and a display: run them under \
         `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-service notify`"
    );
}

fn server_running() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.Notifications",
        ])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("true"))
}

/// A dunst on the session bus, killed on drop if this test started it (another one that
/// owns the name already, e.g. D-Bus-activated, serves as well).
pub struct Dunst(Option<Child>);

impl Dunst {
    pub async fn start() -> Self {
        require_session_bus();
        let child = (!server_running()).then(|| {
            Command::new("dunst")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dunst is needed (apt-get install dunst), with a display (xvfb-run)")
        });
        eventually("dunst to own org.freedesktop.Notifications", || {
            server_running().then_some(())
        })
        .await;
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
