//! A daemon that was killed, or that left its programs running on purpose, is started
//! again: it adopts the programs still running instead of starting second copies, and
//! protects them as before. Copies are counted from outside, by a unique `--tag`.
#![allow(clippy::unwrap_used)]

mod common;

use common::procs::{count_settles, kill_tagged, tagged, unique};
use common::{alive, kill, testprog, wait_for, Env};
use serde_json::Value;

/// Kills the tagged processes when the test ends, passed or failed.
struct Tags(Vec<String>);

impl Drop for Tags {
    fn drop(&mut self) {
        self.0.iter().for_each(|t| kill_tagged(t));
    }
}

fn program(id: &str, tag: &str, extra: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [\"{}\", {extra}\"--tag\", \"{tag}\"]\n\n",
        testprog()
    )
}

/// Waits until the state file names `n` programs (the daemon saved what runs).
fn saved(env: &Env, n: usize) {
    let file = env.root().join("state/lifeguard/state.json");
    wait_for(&format!("{n} programs in the state file"), || {
        std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .is_some_and(|v| v["programs"].as_object().is_some_and(|p| p.len() == n))
    });
}

/// The whole daemon (keeper and daemon proper) dies: the next one starts from the state
/// file alone.
fn sigkill_daemon(env: &mut Env) {
    env.kill_daemon();
}

fn history(env: &Env, id: &str) -> Vec<Value> {
    env.json(&["history", "--program", id])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn sigkill_of_the_daemon_then_restart_adopts_every_program_without_duplicates() {
    let tags = Tags(vec![unique("ra"), unique("rb"), unique("rc")]);
    let config = [
        program("a", &tags.0[0], ""),
        program("b", &tags.0[1], ""),
        program("c", &tags.0[2], "\"--helpers\", \"2\", "),
    ]
    .concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let pids: Vec<u32> = ["a", "b", "c"]
        .iter()
        .map(|id| env.running_pid(id))
        .collect();
    saved(&env, 3);
    assert_eq!(count_settles(&tags.0[2], 3), 3, "c and its 2 helpers");

    sigkill_daemon(&mut env);
    env.start_daemon(&[]);
    for (id, pid) in ["a", "b", "c"].iter().zip(&pids) {
        assert_eq!(env.running_pid(id), *pid, "{id} was not adopted");
        assert!(
            history(&env, id).iter().any(|e| e["kind"] == "adopted"),
            "no adopted event for {id}"
        );
    }
    assert_eq!(count_settles(&tags.0[0], 1), 1, "a duplicated");
    assert_eq!(count_settles(&tags.0[1], 1), 1, "b duplicated");
    assert_eq!(count_settles(&tags.0[2], 3), 3, "c duplicated");
}

#[test]
fn an_adopted_program_killed_after_a_daemon_restart_is_relaunched() {
    let tags = Tags(vec![unique("rk")]);
    let mut env = Env::new(Some(&program("k", &tags.0[0], "")));
    env.start_daemon(&[]);
    let first = env.running_pid("k");
    saved(&env, 1);
    sigkill_daemon(&mut env);
    env.start_daemon(&[]);
    assert_eq!(env.running_pid("k"), first, "not adopted");

    kill(first, libc::SIGKILL);
    wait_for("a relaunch", || env.pid_of("k").is_some_and(|p| p != first));
    assert_eq!(count_settles(&tags.0[0], 1), 1);
    assert!(!alive(first));
    let mut events = Vec::new();
    wait_for("the unknown exit and the restart in the history", || {
        events = history(&env, "k");
        let exited = events.iter().any(|e| {
            e["kind"] == "exited" && e["pid"] == first && e["detail"]["exit"] == "unknown"
        });
        exited && events.iter().any(|e| e["kind"] == "restarted")
    });
}

#[test]
fn sigterm_with_programs_outliving_then_restart_adopts_them() {
    let tags = Tags(vec![unique("ro1"), unique("ro2")]);
    let config = [
        "[settings]\nprograms_outlive_daemon = true\n\n".to_owned(),
        program("o1", &tags.0[0], ""),
        program("o2", &tags.0[1], "\"--helpers\", \"1\", "),
    ]
    .concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let (p1, p2) = (env.running_pid("o1"), env.running_pid("o2"));
    let mut daemon = env.daemon.take().unwrap();
    kill(daemon.id(), libc::SIGTERM);
    assert_eq!(daemon.wait().unwrap().code(), Some(0));
    assert!(alive(p1) && alive(p2), "the programs were stopped");

    env.start_daemon(&[]);
    assert_eq!(env.running_pid("o1"), p1);
    assert_eq!(env.running_pid("o2"), p2);
    assert_eq!(count_settles(&tags.0[0], 1), 1, "o1 duplicated");
    assert_eq!(count_settles(&tags.0[1], 2), 2, "o2 duplicated");
    assert_eq!(tagged(&tags.0[0]), vec![p1]);
}

#[test]
fn at_start_up_a_copy_already_running_is_adopted_not_duplicated() {
    let tag = unique("rl");
    let tags = Tags(vec![tag.clone()]);
    // Started by "the session", before the daemon: no Lifeguard marker, not our child.
    let mut outside = std::process::Command::new(testprog())
        .args(["--tag", &tag])
        .spawn()
        .unwrap();
    wait_for("the copy to run", || tagged(&tag).contains(&outside.id()));
    let config = program("login", &tags.0[0], "");
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    assert_eq!(env.running_pid("login"), outside.id(), "not adopted");
    assert_eq!(count_settles(&tag, 1), 1, "started a second copy");
    assert!(history(&env, "login")
        .iter()
        .any(|e| e["kind"] == "adopted"));

    // Protected from now on: killed → relaunched under Lifeguard.
    kill(outside.id(), libc::SIGKILL);
    outside.wait().unwrap();
    wait_for("a relaunch", || {
        env.pid_of("login").is_some_and(|p| p != outside.id())
    });
    assert_eq!(count_settles(&tag, 1), 1);
}

#[test]
fn programs_stopped_with_the_daemon_are_not_brought_back_by_the_next_one() {
    let tag = unique("rs");
    let _tags = Tags(vec![tag.clone()]);
    let config = [
        "[settings]\nprograms_outlive_daemon = false\n\n".to_owned(),
        program("manual", &tag, "").replace("]\n\n", "]\nautostart = false\n\n"),
    ]
    .concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    assert!(env.cli(&["start", "manual"]).status.success());
    env.running_pid("manual");
    saved(&env, 1);
    let mut daemon = env.daemon.take().unwrap();
    kill(daemon.id(), libc::SIGTERM);
    assert_eq!(daemon.wait().unwrap().code(), Some(0));
    wait_for("the program to stop", || tagged(&tag).is_empty());
    saved(&env, 0);

    env.start_daemon(&[]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(env.pid_of("manual"), None, "started again");
    assert!(tagged(&tag).is_empty());
}

#[test]
fn a_program_killed_while_the_daemon_was_down_has_its_end_in_the_history() {
    let tags = Tags(vec![unique("rd")]);
    let mut env = Env::new(Some(&program("d", &tags.0[0], "")));
    env.start_daemon(&[]);
    let first = env.running_pid("d");
    saved(&env, 1);
    sigkill_daemon(&mut env);
    kill(first, libc::SIGKILL);
    wait_for("the program to die", || !alive(first));

    env.start_daemon(&[]);
    let second = env.running_pid("d");
    assert_ne!(second, first);
    assert_eq!(count_settles(&tags.0[0], 1), 1);
    let events = history(&env, "d");
    let exited = events
        .iter()
        .position(|e| e["kind"] == "exited" && e["pid"] == first)
        .unwrap_or_else(|| panic!("no exit of {first} in {events:#?}"));
    assert!(
        events[exited]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("daemon was not running")),
        "{:?}",
        events[exited]
    );
    // Newest first: the start of the new instance comes before (above) the old end.
    let started = events
        .iter()
        .position(|e| e["kind"] == "started" && e["pid"] == second)
        .unwrap_or_else(|| panic!("no start of {second} in {events:#?}"));
    assert!(started < exited, "{events:#?}");
}

#[test]
fn a_restart_the_state_file_missed_is_adopted_not_duplicated() {
    // The daemon is killed right after restarting a program, before its state file caught
    // up: the file names the dead instance, the new one runs orphaned with our markers.
    let tags = Tags(vec![unique("rm")]);
    let mut env = Env::new(Some(&program("m", &tags.0[0], "")));
    env.start_daemon(&[]);
    let first = env.running_pid("m");
    saved(&env, 1);
    let file = env.root().join("state/lifeguard/state.json");
    let stale = std::fs::read(&file).unwrap();
    kill(first, libc::SIGKILL);
    wait_for("a restart", || env.pid_of("m").is_some_and(|p| p != first));
    let second = env.running_pid("m");
    sigkill_daemon(&mut env);
    std::fs::write(&file, stale).unwrap();

    env.start_daemon(&[]);
    assert_eq!(
        env.running_pid("m"),
        second,
        "the orphaned restart was not adopted"
    );
    assert_eq!(count_settles(&tags.0[0], 1), 1, "started a duplicate");
}

#[test]
fn helpers_of_a_program_that_died_while_the_daemon_was_down_are_stopped_not_adopted() {
    let tags = Tags(vec![unique("rh")]);
    let config = program("h", &tags.0[0], "\"--helpers\", \"2\", ");
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let main = env.running_pid("h");
    saved(&env, 1);
    assert_eq!(count_settles(&tags.0[0], 3), 3, "main and 2 helpers");
    let helpers: Vec<u32> = tagged(&tags.0[0])
        .into_iter()
        .filter(|p| *p != main)
        .collect();
    sigkill_daemon(&mut env);
    kill(main, libc::SIGKILL);
    wait_for("the main process to die", || !alive(main));
    assert!(helpers.iter().all(|p| alive(*p)), "the helpers outlive it");

    env.start_daemon(&[]);
    let again = env.running_pid("h");
    assert!(
        !helpers.contains(&again),
        "a helper ({again}) was adopted as the program"
    );
    wait_for("the old helpers to be stopped", || {
        helpers.iter().all(|p| !alive(*p))
    });
    assert_eq!(
        count_settles(&tags.0[0], 3),
        3,
        "a new main and 2 new helpers"
    );
}
