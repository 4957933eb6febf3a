//! Issue 20 item 1, hung windows: a real GTK program (mousepad, which lists `_NET_WM_PING`
//! in `WM_PROTOCOLS`) under `window_ping` answers the daemon's pings and is left alone;
//! stopped with SIGSTOP (a hang: its windows stay, nothing answers), it is reported "not
//! responding" in the history and on a real notification server (dunst on a private bus,
//! watched with dbus-monitor) with Wait / Restart / Stop protecting, then restarted after
//! `restart_after` with its stop signal first, as a new process.
//! Run under `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-cli --test hung_window`.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::notify_bus::{Dunst, Monitor, PrivateBus};
use common::real::need;
use common::{alive, kill, wait_for, Env};

/// Whether a window of `pid` is on the display (a program is judged by its windows only;
/// the other test's mousepad may share the display).
fn window_shown(pid: u32) -> bool {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(args[0])
            .args(&args[1..])
            .output();
        out.map(|o| common::text(&o.stdout)).unwrap_or_default()
    };
    let tree = run(&["xwininfo", "-root", "-children"]);
    tree.lines()
        .filter(|l| l.contains("- Mousepad\""))
        .filter_map(|l| l.split_whitespace().next())
        .any(|id| {
            run(&["xprop", "-id", id, "_NET_WM_PID"])
                .trim_end()
                .ends_with(&format!("= {pid}"))
        })
}

fn rows(env: &Env, kind: &str) -> Vec<serde_json::Value> {
    let v = env.json(&["history", "--program", "pad", "--kind", kind]);
    v.as_array().unwrap().clone()
}

#[test]
fn a_hung_window_is_notified_then_restarted_and_an_answering_one_is_never_touched() {
    need("mousepad");
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no X display: run under xvfb-run -a dbus-run-session"
    );
    let _bus = PrivateBus::start();
    let monitor = Monitor::start();
    let _dunst = Dunst::start();
    let config = "[[program]]\nid = \"pad\"\nname = \"Pad\"\nargv = [\"mousepad\"]\n\
                  env = { GDK_BACKEND = \"x11\", NO_AT_BRIDGE = \"1\" }\nstop_grace = \"2s\"\n\
                  window_ping = { interval = \"1s\", after = \"3s\", restart_after = \"8s\" }\n";
    let mut env = Env::new(Some(config));
    env.start_daemon(&[]);
    let pid = env.running_pid("pad");
    // Answering: pinged every second for 6 s (twice `after`), never judged.
    wait_for("the pinger to start", || {
        env.daemon_log().contains("pinging windows")
    });
    std::thread::sleep(Duration::from_secs(6));
    assert!(
        rows(&env, "not_responding").is_empty(),
        "{}",
        env.daemon_log()
    );
    assert_eq!(env.pid_of("pad"), Some(pid));
    assert_eq!(monitor.count("Pad is not responding"), 0);
    // Hung: stopped, its windows stay and answer nothing.
    kill(pid, libc::SIGSTOP);
    wait_for("the not responding row", || {
        !rows(&env, "not_responding").is_empty()
    });
    let row = &rows(&env, "not_responding")[0];
    let reason = row["reason"].as_str().unwrap().to_owned();
    assert!(reason.starts_with("not responding for "), "{reason}");
    wait_for("the notification", || {
        monitor.count("Pad is not responding") == 1
    });
    let text = monitor.text();
    for label in ["Wait", "Restart", "Stop protecting"] {
        assert!(text.contains(&format!("string \"{label}\"")), "{text}");
    }
    assert_eq!(
        env.pid_of("pad"),
        Some(pid),
        "not restarted before restart_after"
    );
    // After restart_after: stopped with its stop signal first, then started anew.
    wait_for("a new mousepad", || {
        env.pid_of("pad").is_some_and(|p| p != pid)
    });
    assert!(!alive(pid), "the hung one is gone");
    // Its stop signal first; a stopped process cannot act on it, so SIGKILL after the
    // grace (the newest row says so).
    let stopping = rows(&env, "stopping");
    assert_eq!(stopping.len(), 2, "{stopping:?}");
    let killed = stopping[0]["reason"].as_str().unwrap_or_default();
    assert!(killed.contains("after SIGTERM: SIGKILL"), "{stopping:?}");
    assert!(stopping[1]["reason"].is_null(), "{stopping:?}");
    let exited = rows(&env, "exited");
    assert!(
        exited[0]["reason"]
            .as_str()
            .unwrap()
            .contains("stopped responding"),
        "{exited:?}"
    );
    // The new instance answers: no second report.
    let new = env.pid_of("pad").unwrap();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(env.pid_of("pad"), Some(new));
    assert_eq!(monitor.count("Pad is not responding"), 1);
}

#[test]
fn a_window_that_answers_again_is_recorded_responding_and_left_running() {
    need("mousepad");
    need("xwininfo");
    need("xprop");
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no X display: run under xvfb-run -a dbus-run-session"
    );
    let _bus = PrivateBus::start();
    let _dunst = Dunst::start();
    let config = "[[program]]\nid = \"pad\"\nname = \"Pad\"\nargv = [\"mousepad\"]\n\
                  env = { GDK_BACKEND = \"x11\", NO_AT_BRIDGE = \"1\" }\n\
                  window_ping = { interval = \"1s\", after = \"2s\" }\n";
    let mut env = Env::new(Some(config));
    env.start_daemon(&[]);
    let pid = env.running_pid("pad");
    wait_for("the pinger to start", || {
        env.daemon_log().contains("pinging windows")
    });
    wait_for("its window", || window_shown(pid));
    std::thread::sleep(Duration::from_secs(2)); // pinged and answered
    kill(pid, libc::SIGSTOP);
    wait_for("the not responding row", || {
        !rows(&env, "not_responding").is_empty()
    });
    kill(pid, libc::SIGCONT);
    wait_for("the responding row", || {
        !rows(&env, "responding").is_empty()
    });
    let reason = rows(&env, "responding")[0]["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reason.starts_with("responding again after "), "{reason}");
    // Without restart_after it is only reported, never restarted.
    assert_eq!(env.pid_of("pad"), Some(pid));
    assert!(rows(&env, "stopping").is_empty());
}
