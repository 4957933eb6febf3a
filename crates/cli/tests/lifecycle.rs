//! The daemon's life-cycle around bad input: a daemon started on a broken config adopts
//! (never duplicates) the programs running from before once the file is fixed; a daemon
//! restart keeps what the person said (a stop, a pause); out-of-range durations are clear
//! errors, never a panic. Copies are counted from outside, by a unique `--tag`.
#![allow(clippy::unwrap_used)]

mod common;

use common::procs::{count_settles, kill_tagged, tagged, unique};
use common::{alive, kill, testprog, text, wait_for, Env};
use serde_json::Value;

/// Kills the tagged processes when the test ends, passed or failed.
struct Tags(Vec<String>);

impl Drop for Tags {
    fn drop(&mut self) {
        self.0.iter().for_each(|t| kill_tagged(t));
    }
}

fn program(id: &str, tag: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\n\n",
        testprog()
    )
}

/// Waits until the state file names `n` running programs.
fn saved(env: &Env, n: usize) {
    let file = env.root().join("state/lifeguard/state.json");
    wait_for(&format!("{n} programs in the state file"), || {
        std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .is_some_and(|v| v["programs"].as_object().is_some_and(|p| p.len() == n))
    });
}

/// One JSON-RPC call on the control socket (what the window's shell sends).
fn rpc(env: &Env, method: &str) -> Value {
    use std::io::{BufRead, Write};
    let mut stream = std::os::unix::net::UnixStream::connect(env.socket()).unwrap();
    writeln!(stream, r#"{{"jsonrpc":"2.0","id":1,"method":"{method}"}}"#).unwrap();
    let mut reply = String::new();
    std::io::BufReader::new(stream)
        .read_line(&mut reply)
        .unwrap();
    let reply: Value = serde_json::from_str(&reply).unwrap();
    reply["result"].clone()
}

fn stop_daemon(env: &mut Env, signal: i32) {
    if signal == libc::SIGKILL {
        // The whole daemon, keeper and all: a killed daemon alone is revived at once.
        env.kill_daemon();
        return;
    }
    let mut daemon = env.daemon.take().unwrap();
    kill(daemon.id(), signal);
    daemon.wait().unwrap();
}

#[test]
fn fixing_a_broken_config_adopts_the_running_programs_without_duplicates() {
    let tags = Tags(vec![unique("ba"), unique("bb")]);
    let config = [program("a", &tags.0[0]), program("b", &tags.0[1])].concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let (a, b) = (env.running_pid("a"), env.running_pid("b"));
    saved(&env, 2);
    // Programs outlive a SIGTERMed daemon by default.
    stop_daemon(&mut env, libc::SIGTERM);
    assert!(alive(a) && alive(b));

    let file = env.config_dir().join("config.toml");
    std::fs::write(&file, config.replace("id = \"b\"", "id = \"b\"\nbroken = ")).unwrap();
    env.start_daemon(&[]);
    let said = text(&env.cli(&["status"]).stdout);
    // The window reads the same from `config.get`.
    let view = rpc(&env, "config.get");
    assert!(view["config_problem"].is_string(), "{view}");

    std::fs::write(&file, &config).unwrap();
    assert_eq!(count_settles(&tags.0[0], 1), 1, "a started a second time");
    assert_eq!(count_settles(&tags.0[1], 1), 1, "b started a second time");
    wait_for("a and b adopted", || {
        env.pid_of("a") == Some(a) && env.pid_of("b") == Some(b)
    });
    // While broken, status did not invite a second `add`.
    assert!(!said.contains("no programs protected"), "{said}");
    assert!(
        said.contains("config.toml is broken") && said.contains("adopted"),
        "{said}"
    );
    // Once fixed, status no longer warns about the broken file.
    let after = text(&env.cli(&["status"]).stderr);
    assert!(!after.contains("invalid config"), "{after}");

    assert!(env.cli(&["shutdown", "--stop-programs"]).status.success());
    let mut daemon = env.daemon.take().unwrap();
    daemon.wait().unwrap();
    wait_for("every copy to stop", || {
        tagged(&tags.0[0]).is_empty() && tagged(&tags.0[1]).is_empty()
    });
}

#[test]
fn a_daemon_restart_keeps_a_stopped_program_stopped_and_a_pause_paused() {
    let tags = Tags(vec![unique("sn"), unique("sk")]);
    let config = [program("napper", &tags.0[0]), program("keeper", &tags.0[1])].concat();
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    env.running_pid("napper");
    let keeper = env.running_pid("keeper");
    assert!(env.cli(&["stop", "napper"]).status.success());
    wait_for("napper to stop", || tagged(&tags.0[0]).is_empty());
    let out = env.cli(&["pause", "--for", "1h"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    saved(&env, 1);
    // The state file follows events within 150 ms.
    std::thread::sleep(std::time::Duration::from_secs(1));

    // A SIGKILL (the state file is all the next daemon has), then a SIGTERM.
    for signal in [libc::SIGKILL, libc::SIGTERM] {
        stop_daemon(&mut env, signal);
        env.start_daemon(&[]);
        let status = env.json(&["status"]);
        assert_eq!(status["paused"], true, "the pause was forgotten: {status}");
        let until = status["paused_until"].as_u64().unwrap_or(0);
        let left = until.saturating_sub(now_ms());
        assert!(
            left > 50 * 60 * 1000 && left <= 3600 * 1000,
            "{left} ms left"
        );
        assert_eq!(count_settles(&tags.0[0], 0), 0, "napper was started again");
        let napper = status["programs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "napper")
            .cloned()
            .unwrap_or_default();
        assert_eq!(napper["wanted"], "down", "{status}");
        assert_eq!(env.pid_of("keeper"), Some(keeper));
    }
    // Still the person's to start.
    assert!(env.cli(&["start", "napper"]).status.success());
    assert_eq!(count_settles(&tags.0[0], 1), 1);
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[test]
fn a_huge_pause_is_a_clear_error_and_the_daemon_goes_on() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["pause", "--for", "110000000000000d"]);
    // 2: the request's parameters were refused (a usage error), not a crash.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("for") && err.contains("limit of 366d"),
        "{err}"
    );
    let status = env.json(&["status"]);
    assert_eq!(status["paused"], false);
    assert!(env.cli(&["pause", "--for", "1h"]).status.success());
}

#[test]
fn config_check_refuses_a_huge_backoff_naming_the_field_and_the_limit() {
    let env = Env::new(Some(&format!(
        "[[program]]\nid = \"napper\"\nargv = [\"{}\"]\nbackoff = {{ initial = \"200000000000000d\" }}\n",
        testprog()
    )));
    let out = env.cli(&["config", "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        said.contains("backoff.initial") && said.contains("limit of 1d"),
        "{said}"
    );
}

#[test]
fn a_change_of_history_retention_applies_at_once() {
    let tags = Tags(vec![unique("hr")]);
    let mut env = Env::new(Some(&program("h", &tags.0[0])));
    env.start_daemon(&[]);
    for _ in 0..2 {
        let pid = env.running_pid("h");
        kill(pid, libc::SIGKILL);
        wait_for("a restart", || env.pid_of("h").is_some_and(|p| p != pid));
    }
    let rows = |env: &Env| {
        env.json(&["history", "--limit", "1000"])
            .as_array()
            .unwrap()
            .len()
    };
    wait_for("the events in the history", || rows(&env) > 5);
    let out = env.cli(&[
        "config",
        "set",
        r#"{"history": {"max_age": "90d", "max_rows": 3}}"#,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    wait_for("the history pruned to 3 events", || rows(&env) <= 3);
}

#[test]
fn removed_settings_are_accepted_and_dropped_by_the_next_settings_save() {
    let old = "[settings]\nquit_action = \"stop-programs\"\n\n[settings.pause]\ndefault_duration = \"30m\"\n";
    let mut env = Env::new(Some(old));
    env.start_daemon(&[]);
    assert!(env.cli(&["status"]).status.success());
    let out = env.cli(&["config", "set", r#"{"notifications": false}"#]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    assert!(
        !file.contains("quit_action") && !file.contains("default_duration"),
        "{file}"
    );
    assert!(file.contains("notifications = false"), "{file}");
}
