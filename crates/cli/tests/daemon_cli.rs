//! The CLI against a real daemon: what a person sees after kills, pauses and shutdowns.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;

use common::{alive, kill, testprog, text, wait_for, Env, PATIENCE};
use serde_json::Value;

#[test]
fn history_shows_the_sigkill_and_the_restart() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["add", "--name", "victim", "--", &testprog()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = env.running_pid("victim");
    kill(first, libc::SIGKILL);
    wait_for("a new pid", || {
        env.pid_of("victim").is_some_and(|p| p != first)
    });
    let mut found = (false, false);
    wait_for("the kill and the restart in the history", || {
        let history = env.json(&["history", "--program", "victim"]);
        let events = history.as_array().unwrap();
        found.0 = events
            .iter()
            .any(|e| e["kind"] == "exited" && e["signal_name"] == "SIGKILL" && e["pid"] == first);
        found.1 = events.iter().any(|e| e["kind"] == "restarted");
        found == (true, true)
    });
}

#[test]
fn pause_holds_the_restart_and_resume_brings_it_back() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--name", "held", "--", &testprog()])
        .status
        .success());
    let first = env.running_pid("held");
    assert!(env.cli(&["pause", "held"]).status.success());
    kill(first, libc::SIGKILL);
    wait_for("the program to be held", || {
        let s = env.json(&["status"]);
        s["programs"][0]["state"]["state"] == "held"
    });
    assert_eq!(env.pid_of("held"), None, "restarted while paused");
    assert!(env.cli(&["resume", "held"]).status.success());
    let second = env.running_pid("held");
    assert_ne!(first, second);
}

#[test]
fn pause_all_for_a_while_shows_in_status() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["pause", "--for", "1h"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = env.json(&["status"]);
    assert_eq!(s["paused"], true);
    assert!(s["paused_until"].as_u64().is_some());
    assert!(env.cli(&["resume"]).status.success());
    assert_eq!(env.json(&["status"])["paused"], false);
}

#[test]
fn events_follow_receives_the_events() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let mut follower = env
        .command(&common::bin())
        .args(["events", "--follow", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = follower.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    // The subscription may start after the add; add again until an event shows up.
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut n = 0;
    let got = loop {
        assert!(std::time::Instant::now() < deadline, "no event arrived");
        n += 1;
        let id = format!("p{n}");
        assert!(env
            .cli(&["add", "--id", &id, "--", &testprog()])
            .status
            .success());
        if let Ok(ev) = rx.recv_timeout(std::time::Duration::from_secs(2)) {
            break ev;
        }
    };
    assert!(
        got["event"] == "added" || got["event"] == "started",
        "{got}"
    );
    let id = got["program"].as_str().unwrap().to_owned();
    let pid = env.running_pid(&id);
    kill(pid, libc::SIGKILL);
    let exited = loop {
        let ev = rx.recv_timeout(PATIENCE).expect("no exited event");
        if ev["event"] == "exited" && ev["program"] == id.as_str() {
            break ev;
        }
    };
    assert_eq!(exited["signal"], "SIGKILL");
    let _ = follower.kill();
    let _ = follower.wait();
}

#[test]
fn a_second_daemon_refuses_to_start_and_names_the_first() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    // The lock holder is the daemon proper, under its keeper.
    let first = env.daemon_pid();
    let out = env.cli(&["daemon"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("already running") && err.contains(&format!("pid {first}")),
        "{err}"
    );
    assert!(
        env.cli(&["status"]).status.success(),
        "the first daemon was disturbed"
    );
}

#[test]
fn without_a_daemon_commands_say_how_to_start_one() {
    let env = Env::new(None);
    let out = env.cli(&["status"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(
        err.contains("no daemon running") && err.contains("lifeguard daemon"),
        "{err}"
    );
}

#[test]
fn unknown_program_exits_5_with_its_name() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["stop", "nosuch"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(text(&out.stderr).contains("nosuch"));
}

#[test]
fn sigterm_stops_every_program_and_exits_zero() {
    let config = format!(
        "[settings]\nprograms_outlive_daemon = false\n\n[[program]]\nid = \"a\"\nargv = [\"{0}\"]\n\n[[program]]\nid = \"b\"\nargv = [\"{0}\", \"--ignore-term\"]\nstop_grace = \"300ms\"\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let (a, b) = (env.running_pid("a"), env.running_pid("b"));
    let mut daemon = env.daemon.take().unwrap();
    kill(daemon.id(), libc::SIGTERM);
    let status = daemon.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{}", env.daemon_log());
    assert!(!alive(a) && !alive(b), "a program outlived the daemon");
    // The history was flushed before the exit: a new daemon shows both stops.
    env.start_daemon(&[]);
    let stopped = env.json(&["history", "--kind", "stopped"]);
    let ids: Vec<&str> = stopped
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["program_id"].as_str())
        .collect();
    assert!(ids.contains(&"a") && ids.contains(&"b"), "{stopped}");
}

#[test]
fn sigterm_leaves_programs_running_when_they_outlive_the_daemon() {
    let config = format!("[[program]]\nid = \"stay\"\nargv = [\"{}\"]\n", testprog());
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let pid = env.running_pid("stay");
    let mut daemon = env.daemon.take().unwrap();
    kill(daemon.id(), libc::SIGTERM);
    assert_eq!(daemon.wait().unwrap().code(), Some(0));
    assert!(alive(pid), "the program was stopped");
    kill(pid, libc::SIGKILL);
}

#[test]
fn remove_keep_running_stops_protecting_but_leaves_it_running() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--id", "loose", "--", &testprog()])
        .status
        .success());
    let pid = env.running_pid("loose");
    let out = env.json(&["remove", "loose", "--keep-running"]);
    assert_eq!(out["left_running"], pid);
    assert!(alive(pid));
    assert!(env.json(&["list"]).as_array().unwrap().is_empty());
    kill(pid, libc::SIGKILL);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(env.json(&["status"])["programs"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_example_config_passes_config_check_and_a_bad_one_names_the_field() {
    let env = Env::new(None);
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../contrib/config.example.toml"
    );
    let out = env.cli(&["config", "check", example]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bad = env.root().join("bad.toml");
    std::fs::write(&bad, "[[program]]\nid = \"x\"\nargv = []\n").unwrap();
    let out = env.cli(&["config", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("argv"), "{}", text(&out.stderr));
}

#[test]
fn a_client_subscription_ends_when_the_daemon_dies() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let socket = env.socket();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = lifeguard_service::client::Client::connect(&socket)
            .await
            .unwrap();
        assert_eq!(client.hello().await.unwrap().pid, env.daemon_pid());
        let mut sub = client.subscribe().await.unwrap();
        // Keeper and daemon: a daemon killed alone is revived, and the client's socket
        // would answer again.
        env.kill_daemon(); // its listener is surely closed now
        let end = tokio::time::timeout(PATIENCE, sub.recv()).await;
        assert!(matches!(end, Ok(None)), "the subscription did not end");
        let err = client.status().await.unwrap_err();
        assert!(
            matches!(err, lifeguard_service::client::ClientError::NoDaemon { .. }),
            "{err:?}"
        );
    });
}
