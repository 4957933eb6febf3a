//! Issue 14, the crash-loop trial: a program that exits 1 at once and one that segfaults at
//! once, added with no flags, are given up on after the breaker's default count, each with
//! exactly one "keeps crashing" notification seen on a real notification server (dunst,
//! watched with dbus-monitor), and `lifeguard retry` brings them back (and, still
//! crashing, they are given up on again after the same count).
//! Run under `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-cli --test crash_loop`.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::notify_bus::{Dunst, Monitor, PrivateBus};
use common::{testprog, text, wait_for, Env};
use serde_json::Value;

fn program<'a>(status: &'a Value, id: &str) -> &'a Value {
    status["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

fn count(env: &Env, id: &str, kind: &str) -> usize {
    let h = env.json(&[
        "history",
        "--program",
        id,
        "--kind",
        kind,
        "--limit",
        "1000",
    ]);
    h.as_array().unwrap().len()
}

#[test]
fn crash_loops_give_up_after_the_default_count_notify_once_and_retry_brings_them_back() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "this trial needs a session bus and a display: run it under \
         `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-cli --test crash_loop`"
    );
    let _bus = PrivateBus::start();
    let monitor = Monitor::start();
    let _dunst = Dunst::start();
    let max_deaths = lifeguard_engine::BreakerSpec::default().max_deaths as usize;
    let loops = [
        ("exit-loop", "Exit Loop", ["--exit", "1"]),
        ("segv-loop", "Segv Loop", ["--signal", "SIGSEGV"]),
    ];
    // One daemon each: notifications are capped per daemon (5 a minute), and one crash
    // loop's restart notices and its gave-up notice already fill that.
    for (id, name, args) in &loops {
        let mut env = Env::new(None);
        env.start_daemon(&[]);
        let tp = testprog();
        let argv = [
            &["add", "--id", id, "--name", name, "--"][..],
            &[&tp],
            &args[..],
        ]
        .concat();
        let out = env.cli(&argv);
        assert!(out.status.success(), "{}", text(&out.stderr));
        wait_for(&format!("{id} to give up"), || {
            program(&env.json(&["status"]), id)["state"]["state"] == "gave_up"
        });
        let status = env.json(&["status"]);
        assert_eq!(
            program(&status, id)["state"]["deaths"],
            max_deaths,
            "{status:#}"
        );
        assert_eq!(count(&env, id, "exited"), max_deaths, "{id}");
        let summary = format!("{name} keeps crashing");
        wait_for(&format!("the {summary:?} notification"), || {
            monitor.count(&summary) >= 1
        });
        // Time for a repeat, if one were coming: there must be none.
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!(monitor.count(&summary), 1, "{}", monitor.text());

        // `lifeguard retry` brings it back: started afresh, and (still crashing) given up
        // again after the same count.
        let out = env.cli(&["retry", id]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        wait_for(&format!("{id} retried and given up again"), || {
            count(&env, id, "gave_up") == 2
        });
        assert_eq!(count(&env, id, "retried"), 1);
        assert_eq!(count(&env, id, "exited"), 2 * max_deaths, "{id}");
        let status = env.json(&["status"]);
        assert_eq!(program(&status, id)["state"]["deaths"], max_deaths);
    }
}
