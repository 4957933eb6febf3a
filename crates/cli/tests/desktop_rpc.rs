//! The desktop app's RPCs against a real daemon, with `lg-testprog` standing in for the
//! app: `session.env` reaches programs started later; `guard` protects the app (SIGKILL
//! → relaunched from the argv it gave, one copy); `unguard` before a quit → not
//! relaunched. Raw JSON-RPC lines over the socket, as any client sends them.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::procs::{count_settles, kill_tagged, tagged, unique};
use common::{kill, testprog, text, wait_for, Env};
use serde_json::json;

fn environ(pid: u32) -> Vec<String> {
    let raw = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    raw.split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

#[test]
fn session_env_reaches_programs_started_afterwards() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let set = env.rpc(
        "session.env",
        json!({"vars": {"DISPLAY": ":77", "WAYLAND_DISPLAY": "wayland-9", "PATH": "/nope"}}),
    );
    assert_eq!(set["vars"], json!(["DISPLAY", "WAYLAND_DISPLAY"]));
    let out = env.cli(&["add", "--id", "gui", "--", &testprog()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let vars = environ(env.running_pid("gui"));
    assert!(vars.contains(&"DISPLAY=:77".to_owned()), "{vars:?}");
    assert!(vars.contains(&"WAYLAND_DISPLAY=wayland-9".to_owned()));
    assert!(
        !vars.contains(&"PATH=/nope".to_owned()),
        "not a session variable"
    );
}

#[test]
fn the_guarded_app_is_relaunched_after_sigkill_and_not_after_unguard() {
    let tag = unique("app");
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let argv = [testprog(), "--tag".into(), tag.clone()];
    let mut app = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .spawn()
        .unwrap();
    wait_for("the app to run", || tagged(&tag).contains(&app.id()));
    let guarded = env.rpc(
        "guard",
        json!({"pid": app.id(), "argv": argv, "requested_by": "ui"}),
    );
    assert_eq!(guarded["id"], "lifeguard-desktop");
    assert_eq!(env.running_pid("lifeguard-desktop"), app.id());
    assert!(env.json(&["list"]).as_array().unwrap().is_empty(), "listed");

    kill(app.id(), libc::SIGKILL);
    app.wait().unwrap();
    let mut second = 0;
    wait_for("the app to be relaunched", || {
        second = env.pid_of("lifeguard-desktop").unwrap_or(app.id());
        second != app.id()
    });
    assert_eq!(count_settles(&tag, 1), 1, "one copy of the app");
    // The relaunched app connects and asks again: nothing changes.
    let again = env.rpc(
        "guard",
        json!({"pid": second, "argv": argv, "requested_by": "ui"}),
    );
    assert_eq!(again["state"]["pid"], second);

    // Quit from the tray: unguard first, then exit.
    let released = env.rpc("unguard", json!({"requested_by": "tray"}));
    assert_eq!(released["left_running"], second);
    kill(second, libc::SIGTERM);
    wait_for("the app to end", || tagged(&tag).is_empty());
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        tagged(&tag).is_empty(),
        "relaunched after a deliberate quit"
    );
    assert_eq!(env.pid_of("lifeguard-desktop"), None);
    let config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap_or_default();
    assert!(
        !config.contains("lifeguard-desktop"),
        "written to the config"
    );
    kill_tagged(&tag);
}
