//! `lifeguard daemon --keeper`: exit statuses survive a daemon restart. The daemon is
//! SIGKILLed (and, separately, its keeper) while real xterms run; then a person closes
//! one (a quit: not restarted) and another crashes (SIGKILL: restarted), with no
//! duplicates. A SIGKILLed daemon is back within a second, with no tray app around.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::real::{children, close_xterm, config, copies, kill_copies, need};
use common::{alive, kill, wait_for, Env};
use serde_json::Value;

/// The daemon proper: the keeper's child started with `--kept-by`.
fn daemon_under(keeper: u32) -> Option<u32> {
    children(keeper).into_iter().find(|c| {
        alive(*c)
            && std::fs::read(format!("/proc/{c}/cmdline"))
                .is_ok_and(|raw| raw.split(|b| *b == 0).any(|a| a == b"--kept-by"))
    })
}

fn wait_daemon_under(keeper: u32, not: Option<u32>) -> u32 {
    let mut pid = 0;
    wait_for("the keeper's daemon", || {
        pid = daemon_under(keeper)
            .filter(|p| Some(*p) != not)
            .unwrap_or(0);
        pid != 0
    });
    pid
}

fn two_terminals() -> String {
    need("xterm");
    [config("quitter", &["xterm"]), config("crasher", &["xterm"])].concat()
}

fn state(env: &Env, id: &str) -> Value {
    let status = env.json(&["status"]);
    status["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()["state"]
        .clone()
}

/// Waits until a new daemon answers and has re-adopted both terminals as they were.
fn readopted(env: &Env, quitter: u32, crasher: u32) {
    wait_for("the new daemon to re-adopt both terminals", || {
        env.cli(&["status"]).status.success()
            && env.pid_of("quitter") == Some(quitter)
            && env.pid_of("crasher") == Some(crasher)
    });
}

/// A quit is not restarted; a crash is; one copy of each at most.
fn quit_and_crash(env: &Env, quitter: u32, crasher: u32) {
    // Both were adopted just now: a person quits later than the launcher window.
    std::thread::sleep(lifeguard_engine::LAUNCHER_WINDOW + Duration::from_millis(500));
    close_xterm(quitter);
    kill(crasher, libc::SIGKILL);
    wait_for("the crasher to be restarted", || {
        env.pid_of("crasher").is_some_and(|p| p != crasher)
    });
    wait_for("the quitter to have exited", || {
        state(env, "quitter")["state"] == "exited"
    });
    std::thread::sleep(Duration::from_secs(2));
    let q = state(env, "quitter");
    assert_eq!(q["state"], "exited", "the quit was restarted: {q}");
    assert_eq!(q["exit"], serde_json::json!({"code": 0}), "{q}");
    let terminals = copies(env, "xterm");
    assert_eq!(
        terminals.len(),
        1,
        "only the restarted crasher: {terminals:?}"
    );
    assert_eq!(Some(terminals[0]), env.pid_of("crasher"));
}

/// Stops the daemon and its programs at the end (the test killed processes it holds no
/// handle on), passed or failed.
struct Cleanup(Env);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.0.cli(&["shutdown", "--stop-programs"]);
        kill_copies(self.0.root(), "xterm");
    }
}

#[test]
fn after_a_sigkill_of_the_daemon_a_quit_is_not_restarted_and_a_crash_is() {
    let mut env = Env::new(Some(&two_terminals()));
    env.start_daemon(&["--keeper"]);
    let clean = Cleanup(env);
    let env = &clean.0;
    let keeper = env.daemon.as_ref().unwrap().id();
    let daemon = wait_daemon_under(keeper, None);
    let quitter = env.running_pid("quitter");
    let crasher = env.running_pid("crasher");
    let file = env.root().join("state/lifeguard/state.json");
    wait_for("the state file to name both", || {
        std::fs::read_to_string(&file).is_ok_and(|t| {
            t.contains(&format!("\"pid\": {quitter}")) && t.contains(&format!("\"pid\": {crasher}"))
        })
    });

    let killed = Instant::now();
    kill(daemon, libc::SIGKILL);
    let revived = wait_daemon_under(keeper, Some(daemon));
    wait_for("the new daemon to answer", || {
        env.cli(&["status"]).status.success()
    });
    eprintln!(
        "a SIGKILLed daemon answered again after {} ms (debug build, loaded machine)",
        killed.elapsed().as_millis()
    );
    assert!(
        killed.elapsed() < Duration::from_secs(10),
        "revived too slowly"
    );
    assert_ne!(revived, daemon);
    readopted(env, quitter, crasher);
    quit_and_crash(env, quitter, crasher);
}

#[test]
fn with_the_keeper_killed_and_then_the_daemon_a_quit_is_not_restarted_and_a_crash_is() {
    let mut env = Env::new(Some(&two_terminals()));
    env.start_daemon(&["--keeper"]);
    let clean = Cleanup(env);
    let env = &clean.0;
    let keeper = env.daemon.as_ref().unwrap().id();
    let daemon = wait_daemon_under(keeper, None);
    let quitter = env.running_pid("quitter");
    let crasher = env.running_pid("crasher");

    // The keeper dies: the daemon takes its place (same pid) and starts a new daemon.
    kill(keeper, libc::SIGKILL);
    let second = wait_daemon_under(daemon, None);
    readopted(env, quitter, crasher);
    assert!(alive(daemon), "the daemon became the keeper");
    // Then that daemon is killed too: the new keeper has the statuses.
    kill(second, libc::SIGKILL);
    wait_daemon_under(daemon, Some(second));
    readopted(env, quitter, crasher);
    quit_and_crash(env, quitter, crasher);
}
