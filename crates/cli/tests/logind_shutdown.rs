//! logind announcing a shutdown (`PrepareForShutdown(true)` on the system bus) holds
//! restarts at once, so programs killed by the shutdown stay down; a cancelled shutdown
//! (`false`) lifts the hold. The system bus is the test's own `dbus-daemon`, with a
//! stand-in logind (python3-dbus) that owns `org.freedesktop.login1`.
#![allow(clippy::unwrap_used)]

mod common;

#[path = "support/fake_system_bus.rs"]
mod fake_system_bus;

use common::procs::unique;
use common::{kill, testprog, wait_for, Env};
use fake_system_bus::Bus;

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
