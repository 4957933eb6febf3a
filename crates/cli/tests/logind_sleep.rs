//! logind announcing sleep and resume (`PrepareForSleep(true)`, then `false`) on the test's
//! own system bus (a stand-in logind, as in `logind_shutdown.rs`). The daemon is frozen with
//! SIGSTOP between the two, as the kernel's freezer does during a suspend, so the clock
//! goes on for it: time asleep must count neither as uptime nor toward the breaker.
#![allow(clippy::unwrap_used)]

mod common;

#[path = "support/fake_system_bus.rs"]
mod fake_system_bus;

use std::time::{Duration, Instant};

use common::procs::unique;
use common::{kill, testprog, wait_for, Env};
use fake_system_bus::Bus;
use serde_json::Value;

fn start(config: &str, tag: String) -> (Bus, Env) {
    let (bus, address) = Bus::start(tag);
    let mut env = Env::new(Some(config));
    env.vars.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), address));
    env.start_daemon(&[]);
    wait_for("the daemon to follow logind", || {
        env.daemon_log().contains("sleep announcements")
    });
    (bus, env)
}

fn exits(env: &Env, id: &str) -> Vec<Value> {
    let h = env.json(&["history", "--program", id, "--kind", "exited"]);
    h.as_array().unwrap().clone()
}

/// Defaults, as `lifeguard add` writes them.
#[test]
fn a_program_killed_while_the_machine_sleeps_is_back_right_after_resume_and_sleep_is_no_uptime() {
    let tag = unique("sleep");
    let config = format!(
        "[[program]]\nid = \"napper\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\n",
        testprog()
    );
    let (mut bus, env) = start(&config, tag);
    let first = env.running_pid("napper");
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));

    bus.prepare_for_sleep(true);
    wait_for("the daemon to see the sleep", || {
        env.daemon_log().contains("going to sleep")
    });
    let awake = started.elapsed();
    let daemon = env.daemon.as_ref().unwrap().id();
    kill(daemon, libc::SIGSTOP);
    kill(first, libc::SIGKILL);
    std::thread::sleep(Duration::from_secs(3));
    kill(daemon, libc::SIGCONT);
    let resumed = Instant::now();
    bus.prepare_for_sleep(false);
    wait_for("the program to come back", || {
        env.pid_of("napper").is_some_and(|p| p != first)
    });
    assert!(
        resumed.elapsed() < Duration::from_secs(2),
        "back {:?} after the resume",
        resumed.elapsed()
    );
    let exits = exits(&env, "napper");
    assert_eq!(exits.len(), 1, "{exits:?}");
    let uptime = exits[0]["uptime_ms"].as_u64().unwrap();
    // It ran ~1.5 s awake, then 3 s through the sleep: only the awake part is uptime.
    assert!(
        uptime <= awake.as_millis() as u64 + 500,
        "uptime {uptime} ms counts the 3 s asleep (awake {awake:?})"
    );
}

/// A tuned breaker (3 quick deaths within 4 s) and a 5 s sleep: the window ignores it.
#[test]
fn the_breaker_window_ignores_the_sleep() {
    let tag = unique("sleepbrk");
    let config = format!(
        "[[program]]\nid = \"looper\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\n\
         [program.breaker]\nmax_deaths = 3\nwindow = \"4s\"\n",
        testprog()
    );
    let (mut bus, env) = start(&config, tag);
    assert!(env.cli(&["restart", "looper"]).status.success());
    // Two quick deaths (killed well within the 1 s that makes a real run).
    for _ in 0..2 {
        let pid = env.running_pid("looper");
        kill(pid, libc::SIGKILL);
        wait_for("the kill to be seen", || env.pid_of("looper") != Some(pid));
    }
    let third = env.running_pid("looper");
    bus.prepare_for_sleep(true);
    wait_for("the daemon to see the sleep", || {
        env.daemon_log().contains("going to sleep")
    });
    std::thread::sleep(Duration::from_secs(5));
    bus.prepare_for_sleep(false);
    wait_for("the daemon to see the resume", || {
        env.daemon_log().contains("woke up")
    });
    kill(third, libc::SIGKILL);
    wait_for("the breaker to give up", || {
        env.json(&["status"])["programs"][0]["state"]["state"] == "gave_up"
    });
    let gave_up = env.json(&["history", "--program", "looper", "--kind", "gave_up"]);
    let reason = gave_up[0]["reason"].as_str().unwrap().to_owned();
    assert!(reason.starts_with("3 deaths within 4 s"), "{reason}");
}
