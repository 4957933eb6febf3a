//! Programs that talk back over their own `NOTIFY_SOCKET` (the sd_notify protocol), with
//! a real daemon and real processes (python3 speaking the protocol as a service does):
//! `READY=1` and `STATUS=` reach the status (readiness also the history); a message from outside the program's tree is
//! dropped; a program that armed its watchdog and fell silent is restarted with the cause.
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use common::{wait_for, Env};
use serde_json::Value;

/// A service that says what `say` holds once, then sleeps.
fn speaker(say: &str) -> String {
    let script = format!(
        "import os,socket,time\n\
         s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n\
         s.sendto(b'{say}',os.environ['NOTIFY_SOCKET'])\n\
         time.sleep(600)\n"
    );
    format!("[\"python3\", \"-c\", {script:?}]")
}

fn program(env: &Env, id: &str) -> Value {
    env.json(&["status"])["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn ready_and_status_are_shown_and_a_stranger_is_not_heard() {
    let config = format!(
        "[[program]]\nid = \"talker\"\nargv = {}\nsd_notify = true\n",
        speaker("READY=1\\nSTATUS=serving 3 clients")
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    env.running_pid("talker");
    wait_for("talker to say it is ready", || {
        program(&env, "talker")["ready"] == true
    });
    let p = program(&env, "talker");
    assert_eq!(p["talk_status"], "serving 3 clients", "{p}");
    // The terminal says it too, for a person running `lifeguard status talker`.
    let text = String::from_utf8_lossy(&env.cli(&["status", "talker"]).stdout).into_owned();
    assert!(text.contains("ready:") && text.contains("yes"), "{text}");
    assert!(
        text.contains("it says:") && text.contains("serving 3 clients"),
        "{text}"
    );
    // The socket is the program's; the test process is not of its tree.
    let socket = env.runtime_dir().join("notify/talker.sock");
    assert!(socket.exists(), "no socket at {}", socket.display());
    UnixDatagram::unbound()
        .unwrap()
        .send_to(b"STATUS=intruder", &socket)
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(program(&env, "talker")["talk_status"], "serving 3 clients");
    // Readiness is an event in the history; status lines are shown, not stored.
    let history = env.json(&["history", "--program", "talker"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"ready"), "{history}");
    assert!(!kinds.contains(&"status"), "{history}");
}

#[test]
fn a_program_silent_past_its_watchdog_is_restarted_with_the_cause() {
    let config = format!(
        "[[program]]\nid = \"dog\"\nargv = {}\nwatchdog = \"2s\"\n",
        speaker("READY=1\\nWATCHDOG=1")
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let first = env.running_pid("dog");
    wait_for("dog to be restarted by its watchdog", || {
        env.pid_of("dog").is_some_and(|p| p != first)
    });
    let history = env.json(&["history", "--program", "dog"]);
    let text = history.to_string();
    assert!(
        text.contains("watchdog: no sign of life for 2 s"),
        "{history}"
    );
}

/// A service that forks its real main process, names it with `MAINPID=`, and exits 0
/// three seconds later (past the launcher window, where a clean exit is a quit).
fn forker() -> String {
    let script = "import os,socket,time\n\
         child=os.fork()\n\
         if child==0:\n    time.sleep(600)\n    os._exit(0)\n\
         s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n\
         s.sendto(b'READY=1\\nMAINPID=%d' % child,os.environ['NOTIFY_SOCKET'])\n\
         time.sleep(3)\n";
    format!("[\"python3\", \"-c\", {script:?}]")
}

#[test]
fn a_named_main_process_is_followed_and_its_death_is_the_programs() {
    let config = format!(
        "[[program]]\nid = \"forker\"\nargv = {}\nsd_notify = true\n",
        forker()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let first = env.running_pid("forker");
    wait_for("the named main process to be followed", || {
        env.pid_of("forker").is_some_and(|p| p != first)
    });
    let named = env.pid_of("forker").unwrap();
    // The first process exits 0 after 3 s: the program goes on in the named one.
    wait_for("the first process to end", || !common::alive(first));
    std::thread::sleep(Duration::from_millis(1500));
    let p = program(&env, "forker");
    assert_eq!(p["state"]["pid"], named, "{p}");
    assert_eq!(
        p["restarts"], 0,
        "no restart for the first process's exit: {p}"
    );
    assert_eq!(p["ready"], true, "READY=1 kept with MAINPID=: {p}");
    let history = env.json(&["history", "--program", "forker"]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "main_changed" && e["pid"] == named),
        "{history}"
    );
    // Its death is the program's: restarted.
    common::kill(named, libc::SIGKILL);
    wait_for("a restart after the named process's death", || {
        env.pid_of("forker")
            .is_some_and(|p| p != named && p != first)
    });
}
