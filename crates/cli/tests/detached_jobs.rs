//! A person's detached jobs are theirs: a terminal started by Lifeguard that starts a
//! detached tmux session (the server calls `setsid`) is restarted when killed, stopped
//! when asked, and let go when closed — and the tmux server, which left the terminal's
//! session, is never killed nor taken for the terminal, also across a daemon restart.
//! Real xterm and tmux under the test's X server (`scripts/install-deps.sh --test`).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::real::{close_xterm, config, copies, kill_copies, need, runs, Tmux};
use common::{alive, kill, wait_for, Env};
use serde_json::Value;

/// A terminal that starts a detached tmux session first, as in a login script.
fn terminal(tmux: &Tmux) -> String {
    need("xterm");
    let script = format!("{}; exec xterm", tmux.start_command());
    config("term", &["sh", "-c", &script])
}

/// The running xterm of program `term`, once it is the xterm (sh has exec'd it).
fn running_xterm(env: &Env) -> u32 {
    let mut pid = 0;
    wait_for("term to run xterm", || {
        pid = env.pid_of("term").unwrap_or(0);
        pid != 0 && runs(pid, "xterm")
    });
    pid
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

/// Kills whatever a failed test left: xterms of this environment (by its HOME).
struct Leftovers(std::path::PathBuf);

impl Drop for Leftovers {
    fn drop(&mut self) {
        kill_copies(&self.0, "xterm");
    }
}

#[test]
fn sigkill_of_the_terminal_restarts_it_and_leaves_the_tmux_server_alone() {
    let tmux = Tmux::new("lg-term-kill");
    let mut env = Env::new(Some(&terminal(&tmux)));
    let _left = Leftovers(env.root().to_owned());
    env.start_daemon(&[]);
    let first = running_xterm(&env);
    let server = tmux.wait_server();

    kill(first, libc::SIGKILL);
    wait_for("a new xterm", || {
        env.pid_of("term")
            .is_some_and(|p| p != first && runs(p, "xterm"))
    });
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        alive(server),
        "the tmux server was killed with the terminal"
    );
    assert!(
        tmux.session_alive(),
        "the tmux session's command was killed"
    );
    assert_eq!(copies(&env, "xterm").len(), 1, "one terminal");
}

#[test]
fn a_terminal_killed_while_no_daemon_ran_is_restarted_and_tmux_is_neither_adopted_nor_killed() {
    let tmux = Tmux::new("lg-term-down");
    let mut env = Env::new(Some(&terminal(&tmux)));
    let _left = Leftovers(env.root().to_owned());
    env.start_daemon(&[]);
    let first = running_xterm(&env);
    let server = tmux.wait_server();
    let file = env.root().join("state/lifeguard/state.json");
    wait_for("the state file to name term", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains(&format!("\"pid\": {first}")))
    });
    // The whole daemon, keeper and all, so that none runs while xterm is killed.
    env.kill_daemon();
    kill(first, libc::SIGKILL);
    wait_for("xterm to die", || !alive(first));

    env.start_daemon(&[]);
    let again = running_xterm(&env);
    assert_ne!(again, server, "the tmux server was adopted as the terminal");
    std::thread::sleep(Duration::from_secs(1));
    assert!(alive(server), "the tmux server was killed as a leftover");
    assert!(
        tmux.session_alive(),
        "the tmux session's command was killed"
    );
    assert_eq!(env.pid_of("term"), Some(again));
    assert_eq!(copies(&env, "xterm"), vec![again], "one terminal");
}

#[test]
fn closing_the_terminal_is_a_quit_not_restarted_and_tmux_stays() {
    let tmux = Tmux::new("lg-term-quit");
    let mut env = Env::new(Some(&terminal(&tmux)));
    let _left = Leftovers(env.root().to_owned());
    env.start_daemon(&[]);
    let xterm = running_xterm(&env);
    let server = tmux.wait_server();
    // A person closes a terminal after using it, not within the launcher window.
    std::thread::sleep(lifeguard_engine::LAUNCHER_WINDOW + Duration::from_secs(1));

    close_xterm(xterm);
    wait_for("term to have exited", || {
        state(&env, "term")["state"] == "exited"
    });
    std::thread::sleep(Duration::from_secs(2));
    let now = state(&env, "term");
    assert_eq!(now["state"], "exited", "restarted or followed: {now}");
    assert!(copies(&env, "xterm").is_empty(), "a terminal came back");
    assert!(alive(server), "the tmux server was killed at the quit");
    assert!(
        tmux.session_alive(),
        "the tmux session's command was killed"
    );
}

#[test]
fn stopping_the_terminal_leaves_the_tmux_server_alone() {
    let tmux = Tmux::new("lg-term-stop");
    let mut env = Env::new(Some(&terminal(&tmux)));
    let _left = Leftovers(env.root().to_owned());
    env.start_daemon(&[]);
    running_xterm(&env);
    let server = tmux.wait_server();
    let out = env.cli(&["stop", "term"]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert!(copies(&env, "xterm").is_empty(), "the terminal is stopped");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        alive(server),
        "the tmux server was stopped with the terminal"
    );
    assert!(
        tmux.session_alive(),
        "the tmux session's command was stopped"
    );
}
