//! Issue 10: with no notification server on the bus (here: no bus at all), a killed
//! program is still restarted and the daemon keeps serving the CLI. Issue 20: the
//! restarts no popup showed are listed by `missed` until `dismiss_missed`.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{bin, kill, testprog, text, wait_for, Env};
use serde_json::{json, Value};

#[test]
fn with_no_notification_server_the_program_is_restarted_and_the_cli_is_served() {
    let config = format!("[[program]]\nid = \"quiet\"\nargv = [\"{}\"]\n", testprog());
    let mut env = Env::new(Some(&config));
    let stderr = std::fs::File::create(env.root().join("daemon.err")).unwrap();
    let daemon = env
        .command(&bin())
        .arg("daemon")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    env.daemon = Some(daemon);
    wait_for("the daemon to answer", || {
        env.cli(&["status"]).status.success()
    });

    for round in 0..2 {
        let pid = env.running_pid("quiet");
        kill(pid, libc::SIGKILL);
        wait_for(&format!("restart {round}"), || {
            env.pid_of("quiet").is_some_and(|p| p != pid)
        });
    }
    // A sanity bound, not a timing test: a daemon stuck on D-Bus would take "forever".
    for args in [&["status"][..], &["history", "--json"][..]] {
        let begun = Instant::now();
        let out = env.cli(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(
            begun.elapsed() < Duration::from_secs(10),
            "{args:?} stalled"
        );
    }
    let history = env.json(&["history", "--program", "quiet"]);
    let restarts = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "restarted")
        .count();
    assert_eq!(restarts, 2, "{history}");

    // Every restart popup failed: they are kept for the tray and the window.
    let mut missed = Value::Null;
    wait_for("the restarts kept as missed", || {
        missed = env.rpc("missed", json!({}));
        missed["missed"].as_array().is_some_and(|l| !l.is_empty())
    });
    let list = missed["missed"].as_array().unwrap();
    assert_eq!(list.len(), 1, "one entry per program: {missed}");
    assert_eq!(list[0]["program"], "quiet");
    assert!(list[0]["count"].as_u64().unwrap() >= 1, "{missed}");
    assert!(list[0]["at_ms"].as_u64().unwrap() > 0, "{missed}");
    let after = env.rpc("dismiss_missed", json!({"requested_by": "cli"}));
    assert_eq!(after, json!({"missed": []}));
    assert_eq!(env.rpc("missed", json!({})), json!({"missed": []}));
}
