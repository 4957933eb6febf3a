//! `lifeguard daemon`, as everyone starts it (no option: the keeper is the default):
//! exit statuses survive a daemon restart. The daemon is SIGKILLed (and, separately, its
//! keeper) while real xterms run; then a person closes one (a quit: not restarted) and
//! another crashes (SIGKILL: restarted), with no duplicates. A SIGKILLed daemon is back
//! within a second, with no tray app around.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::daemon::wait_daemon_under;
use common::real::{close_xterm, config, copies, kill_copies, need};
use common::{alive, kill, wait_for, Env};
use serde_json::Value;

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

/// Waits until `id`'s state is `want`; fails naming the state it has.
fn wait_state(env: &Env, id: &str, want: &str) {
    let deadline = Instant::now() + common::PATIENCE;
    loop {
        let s = state(env, id);
        if s["state"] == want {
            return;
        }
        assert!(Instant::now() < deadline, "{id} never {want}: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
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
    wait_state(env, "quitter", "exited");
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
fn a_sigkilled_daemon_is_back_at_once_and_then_a_quit_is_not_restarted_and_a_crash_is() {
    let mut env = Env::new(Some(&two_terminals()));
    env.start_daemon(&[]);
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
    // Back within a second on an idle machine (bench/daemon-revival.sh); generous here.
    assert!(
        killed.elapsed() < Duration::from_secs(5),
        "revived too slowly: {:?}",
        killed.elapsed()
    );
    assert_ne!(revived, daemon);
    readopted(env, quitter, crasher);
    quit_and_crash(env, quitter, crasher);
}

#[test]
fn with_the_keeper_killed_and_then_the_daemon_a_quit_is_not_restarted_and_a_crash_is() {
    let mut env = Env::new(Some(&two_terminals()));
    env.start_daemon(&[]);
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

#[test]
fn after_a_sigkill_of_the_keeper_programs_started_later_still_end_as_they_did() {
    need("xterm");
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let clean = Cleanup(env);
    let env = &clean.0;
    let keeper = env.keeper_pid();
    let daemon = wait_daemon_under(keeper, None);

    // The daemon takes the keeper's place (same pid) and starts a new daemon under it.
    kill(keeper, libc::SIGKILL);
    let second = wait_daemon_under(daemon, None);
    wait_for("the new daemon to answer", || {
        env.cli(&["status"]).status.success()
    });
    for id in ["quitter", "crasher"] {
        let out = env.cli(&["add", "--id", id, "--", "xterm"]);
        assert!(out.status.success(), "{}", common::text(&out.stderr));
    }
    let quitter = env.running_pid("quitter");
    let crasher = env.running_pid("crasher");
    let file = env.root().join("state/lifeguard/state.json");
    wait_for("the state file to name both", || {
        std::fs::read_to_string(&file).is_ok_and(|t| {
            t.contains(&format!("\"pid\": {quitter}")) && t.contains(&format!("\"pid\": {crasher}"))
        })
    });
    // Then the daemon: only the revived keeper can tell how the two end.
    kill(second, libc::SIGKILL);
    wait_daemon_under(daemon, Some(second));
    readopted(env, quitter, crasher);
    quit_and_crash(env, quitter, crasher);
}

#[test]
fn a_quit_while_the_daemon_is_being_revived_is_not_restarted_and_a_crash_is() {
    let mut env = Env::new(Some(&two_terminals()));
    env.start_daemon(&[]);
    let clean = Cleanup(env);
    let env = &clean.0;
    let keeper = env.keeper_pid();
    let daemon = wait_daemon_under(keeper, None);
    let quitter = env.running_pid("quitter");
    let crasher = env.running_pid("crasher");
    let file = env.root().join("state/lifeguard/state.json");
    wait_for("the state file to name both", || {
        std::fs::read_to_string(&file).is_ok_and(|t| {
            t.contains(&format!("\"pid\": {quitter}")) && t.contains(&format!("\"pid\": {crasher}"))
        })
    });
    // The revival gap, held open: the keeper stopped, the daemon killed, and meanwhile a
    // person closes one terminal and the other crashes.
    kill(keeper, libc::SIGSTOP);
    kill(daemon, libc::SIGKILL);
    close_xterm(quitter);
    kill(crasher, libc::SIGKILL);
    wait_for("both terminals to end", || {
        !alive(quitter) && !alive(crasher)
    });
    kill(keeper, libc::SIGCONT);
    wait_daemon_under(keeper, Some(daemon));
    wait_for("the new daemon to answer", || {
        env.cli(&["status"]).status.success()
    });
    wait_for("the crasher to be restarted", || {
        env.pid_of("crasher").is_some_and(|p| p != crasher)
    });
    wait_state(env, "quitter", "exited");
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

#[test]
fn a_quit_right_after_re_adoption_is_the_users_and_not_a_launcher_hand_off() {
    need("xterm");
    // The quitter leaves a process in its group, as a launcher would: the heir a hand-off
    // search would follow.
    let config = [
        config("quitter", &["sh", "-c", "sleep 300 & xterm; exit 0"]),
        config("crasher", &["xterm"]),
    ]
    .concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let clean = Cleanup(env);
    let env = &clean.0;
    let keeper = env.keeper_pid();
    let daemon = wait_daemon_under(keeper, None);
    let quitter = env.running_pid("quitter");
    let crasher = env.running_pid("crasher");
    let file = env.root().join("state/lifeguard/state.json");
    wait_for("the state file to name both", || {
        std::fs::read_to_string(&file).is_ok_and(|t| {
            t.contains(&format!("\"pid\": {quitter}")) && t.contains(&format!("\"pid\": {crasher}"))
        })
    });
    kill(daemon, libc::SIGKILL);
    wait_daemon_under(keeper, Some(daemon));
    readopted(env, quitter, crasher);
    // At once, well within the launcher window of the new daemon's adoption.
    let terminal = common::real::children(quitter)
        .into_iter()
        .find(|c| common::real::runs(*c, "xterm"))
        .expect("the quitter's xterm");
    close_xterm(terminal);
    wait_state(env, "quitter", "exited");
    let q = state(env, "quitter");
    assert_eq!(q["exit"], serde_json::json!({"code": 0}), "{q}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(state(env, "quitter")["state"], "exited");
    assert_eq!(
        copies(env, "xterm"),
        vec![crasher],
        "the quit was restarted"
    );
    assert_eq!(
        copies(env, "sleep"),
        Vec::<u32>::new(),
        "what stayed in its group was not stopped with it"
    );
}
