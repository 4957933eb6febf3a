//! A single-instance app that is already running (mousepad: one process per session bus,
//! `org.xfce.mousepad`), protected with `lifeguard add -- mousepad`: the start hands its
//! request to the running copy and exits 0 at once, and Lifeguard watches that copy
//! instead of leaving the program unprotected. SIGKILLed, it is relaunched: one copy.
//! Needs a display and a session bus (`xvfb-run … dbus-run-session --`, as scripts/test.sh).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{kill, text, wait_for, Env};

const MOUSEPAD: &str = "/usr/bin/mousepad";

/// The live mousepad processes of this test's environment (its HOME): other tests and
/// people may run their own.
fn copies(env: &Env) -> Vec<u32> {
    let home = format!("HOME={}", env.root().display());
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|e| e == Path::new(MOUSEPAD))
        })
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == home.as_bytes()))
        })
        .filter(|pid| common::alive(*pid))
        .collect()
}

/// Whether the session bus has an owner for mousepad's name yet.
fn owns_its_name() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.xfce.mousepad",
        ])
        .output()
        .is_ok_and(|o| text(&o.stdout).contains("boolean true"))
}

/// Kills this environment's copies when the test ends, passed or failed.
struct Copies<'a>(&'a Env, Option<Child>);

impl Drop for Copies<'_> {
    fn drop(&mut self) {
        copies(self.0)
            .into_iter()
            .for_each(|p| kill(p, libc::SIGKILL));
        if let Some(mut c) = self.1.take() {
            let _ = c.wait();
        }
    }
}

#[test]
fn a_running_mousepad_is_adopted_when_add_hands_it_the_request_then_relaunched_once() {
    assert!(
        Path::new(MOUSEPAD).exists(),
        "mousepad is missing: scripts/install-deps.sh --test installs it"
    );
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run under dbus-run-session (see scripts/test.sh)"
    );
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    // The person's own mousepad, started outside Lifeguard.
    let users = env
        .command(Path::new(MOUSEPAD))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let first = users.id();
    let copies_guard = Copies(&env, Some(users));
    wait_for("mousepad on the session bus", owns_its_name);

    let out = env.cli(&["add", "--id", "pad", "--", "mousepad"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Running under the started pid for a moment, until that start exits and hands over.
    wait_for("the running copy to be watched", || {
        env.pid_of("pad") == Some(first)
    });
    let history = env.json(&["history", "--program", "pad"]);
    let handed = format!("handed to the copy already running (PID {first}); watching it");
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "adopted"
                && e["reason"].as_str().is_some_and(|r| r.contains(&handed))),
        "{history:#}"
    );
    // The hand-over took a moment, in words ("after 47 ms"), not "46ms826us349ns".
    let reason = history
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| (e["kind"] == "adopted").then(|| e["reason"].as_str().unwrap().to_owned()))
        .unwrap();
    assert!(
        reason.contains(" ms: ") || reason.contains(" s: "),
        "{reason}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(copies(&env), [first], "one copy");

    kill(first, libc::SIGKILL);
    wait_for("a relaunch", || {
        env.pid_of("pad").is_some_and(|p| p != first)
    });
    let again = env.running_pid("pad");
    wait_for("the relaunched copy on the bus", owns_its_name);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(copies(&env), [again], "one copy after the relaunch");
    assert_eq!(
        env.running_pid("pad"),
        again,
        "the relaunched copy stayed up"
    );
    drop(copies_guard);
}
