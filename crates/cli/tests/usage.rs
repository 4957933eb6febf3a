//! The `usage` RPC, for real: a program whose tree holds a known amount of memory is
//! reported with at least that much resident, a busy program's CPU time grows between
//! two readings while an idle one's barely moves, and a stopped program is absent.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::procs::{kill_tagged, unique};
use common::{testprog, wait_for, Env};
use serde_json::{json, Value};

/// 60 MB, held by a helper-carrying program: its tree has more than one process.
const HELD: u64 = 60_000_000;

fn entry(report: &Value, id: &str) -> Option<Value> {
    report["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
}

#[test]
fn usage_reports_each_running_trees_memory_and_cpu_time_and_nothing_for_stopped_ones() {
    let tag = unique("usage");
    let prog = testprog();
    let config = format!(
        "[[program]]\nid = \"holder\"\nargv = [\"{prog}\", \"--helpers\", \"1\", \"--grow-mb\", \"300/s\", \"--grow-to\", \"60\", \"--tag\", \"{tag}\"]\n\n\
         [[program]]\nid = \"busy\"\nargv = [\"{prog}\", \"--spin\", \"--tag\", \"{tag}\"]\n\n\
         [[program]]\nid = \"idle\"\nargv = [\"{prog}\", \"--tag\", \"{tag}\"]\n\n\
         [[program]]\nid = \"off\"\nargv = [\"{prog}\", \"--tag\", \"{tag}\"]\nautostart = false\n"
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let holder = env.running_pid("holder");
    env.running_pid("busy");
    env.running_pid("idle");

    let mut report = Value::Null;
    wait_for("the holder's tree to hold 60 MB", || {
        report = env.rpc("usage", json!({}));
        entry(&report, "holder").is_some_and(|h| h["rss_bytes"].as_u64().unwrap() >= HELD)
    });
    let held = entry(&report, "holder").unwrap();
    assert_eq!(held["pid"], holder, "{held}");
    assert_eq!(
        held["processes"], 2,
        "the main process and its helper: {held}"
    );
    assert!(
        entry(&report, "off").is_none(),
        "a stopped program: {report}"
    );

    let first = env.rpc("usage", json!({}));
    std::thread::sleep(Duration::from_millis(1500));
    let second = env.rpc("usage", json!({}));
    let cpu = |r: &Value, id: &str| entry(r, id).unwrap()["cpu_ms"].as_u64().unwrap();
    let wall = second["at_ms"].as_u64().unwrap() - first["at_ms"].as_u64().unwrap();
    assert!(wall >= 1400, "the daemon's clock moved {wall} ms");
    let busy = cpu(&second, "busy") - cpu(&first, "busy");
    assert!(
        busy >= wall / 4,
        "a spinning program used {busy} ms of CPU in {wall} ms: {first} {second}"
    );
    let idle = cpu(&second, "idle") - cpu(&first, "idle");
    assert!(idle < 100, "a sleeping program used {idle} ms of CPU");

    // `lifeguard status ID` says the same in words.
    let out = env.cli(&["status", "holder"]);
    let text = common::text(&out.stdout);
    let memory = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("memory:"))
        .unwrap_or_else(|| panic!("no memory line: {text}"));
    let mb: u64 = memory.trim().split(' ').next().unwrap().parse().unwrap();
    assert!(mb >= HELD / 1_000_000, "{text}");
    assert!(memory.ends_with("(2 processes)"), "{text}");
    assert!(text.contains("cpu time:"), "{text}");
    assert!(
        !common::text(&env.cli(&["status", "off"]).stdout).contains("memory:"),
        "a stopped program has no figures"
    );
    drop(env);
    kill_tagged(&tag);
}
