//! Hooks: `on_restart` and `on_give_up` run after the restart (or the give-up) with the
//! cause in `LIFEGUARD_*` variables; a hook that fails or outlives `hook_timeout` is
//! recorded in the history and never delays the restart. Real processes, real kills.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::procs::{kill_tagged, tagged, unique};
use common::{kill, testprog, wait_for, Env};
use serde_json::Value;

/// A hook that writes its `LIFEGUARD_*` variables to `file` (the user's own shell).
fn env_writer(file: &Path) -> String {
    let f = file.display();
    format!("[\"sh\", \"-c\", \"env | grep ^LIFEGUARD_ > {f}.tmp && mv {f}.tmp {f}\"]")
}

fn read_vars(file: &Path) -> BTreeMap<String, String> {
    wait_for("the hook to write its environment", || file.exists());
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn history(env: &Env, id: &str, kind: &str) -> Vec<Value> {
    let h = env.json(&["history", "--program", id, "--kind", kind]);
    h.as_array().unwrap().clone()
}

#[test]
fn an_on_restart_hook_gets_the_death_in_its_environment() {
    let tag = unique("hooks");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("restart.env");
    let config = format!(
        "[[program]]\nid = \"hooked\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\non_restart = {}\n",
        testprog(),
        env_writer(&out)
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let first = env.running_pid("hooked");
    std::thread::sleep(Duration::from_millis(1200));
    kill(first, libc::SIGKILL);
    wait_for("the restart", || {
        env.pid_of("hooked").is_some_and(|p| p != first)
    });
    let second = env.pid_of("hooked").unwrap();
    let vars = read_vars(&out);
    let exited = &history(&env, "hooked", "exited")[0];
    let want = [
        ("LIFEGUARD_HOOK", "on_restart".to_owned()),
        ("LIFEGUARD_EVENT", "restarted".to_owned()),
        ("LIFEGUARD_PROGRAM", "hooked".to_owned()),
        ("LIFEGUARD_SIGNAL", "SIGKILL".to_owned()),
        ("LIFEGUARD_OLD_PID", first.to_string()),
        ("LIFEGUARD_PID", second.to_string()),
        ("LIFEGUARD_UPTIME_MS", exited["uptime_ms"].to_string()),
    ];
    for (k, v) in want {
        assert_eq!(vars.get(k), Some(&v), "{k} in {vars:?}");
    }
    assert!(!vars.contains_key("LIFEGUARD_EXIT_CODE"), "{vars:?}");
    assert!(
        !vars.contains_key("LIFEGUARD_INSTANCE"),
        "the hook is not the program"
    );
    drop(env);
    kill_tagged(&tag);
}

#[test]
fn a_failing_or_slow_hook_is_recorded_and_never_delays_the_restart() {
    let tag = unique("hooks-slow");
    let slow = unique("hook-itself");
    let prog = testprog();
    let config = format!(
        "[[program]]\nid = \"failing\"\nargv = [\"{prog}\", \"--tag\", \"{tag}\"]\n\
         on_restart = [\"false\"]\n\n\
         [[program]]\nid = \"slow\"\nargv = [\"{prog}\", \"--tag\", \"{tag}\"]\n\
         on_restart = [\"{prog}\", \"--helpers\", \"1\", \"--sleep\", \"30s\", \"--tag\", \"{slow}\"]\n\
         hook_timeout = \"1s\"\n"
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let failing = env.running_pid("failing");
    let slow_pid = env.running_pid("slow");
    std::thread::sleep(Duration::from_millis(1100));
    kill(failing, libc::SIGKILL);
    let killed = Instant::now();
    kill(slow_pid, libc::SIGKILL);
    wait_for("both restarts", || {
        env.pid_of("failing").is_some_and(|p| p != failing)
            && env.pid_of("slow").is_some_and(|p| p != slow_pid)
    });
    assert!(
        killed.elapsed() < Duration::from_millis(900),
        "waited for a hook"
    );
    wait_for("the slow hook to run", || !tagged(&slow).is_empty());
    wait_for("both failures recorded", || {
        !history(&env, "failing", "hook_failed").is_empty()
            && !history(&env, "slow", "hook_failed").is_empty()
    });
    let reason = |id| {
        history(&env, id, "hook_failed")[0]["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        reason("failing"),
        "on_restart hook \"false\" failed: exited with code 1"
    );
    assert!(
        reason("slow").ends_with("ran longer than 1 s: killed"),
        "{}",
        reason("slow")
    );
    // Killed with its group: the helper it forked is gone too.
    wait_for("the slow hook's processes to end", || {
        tagged(&slow).is_empty()
    });
    drop(env);
    kill_tagged(&tag);
}

/// A tuned breaker (2 quick deaths) so the give-up comes at once.
#[test]
fn an_on_give_up_hook_gets_the_last_death_and_the_reason() {
    let tag = unique("hooks-giveup");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gave-up.env");
    let config = format!(
        "[[program]]\nid = \"crasher\"\nargv = [\"{}\", \"--exit\", \"3\", \"--tag\", \"{tag}\"]\n\
         on_give_up = {}\n[program.breaker]\nmax_deaths = 2\n",
        testprog(),
        env_writer(&out)
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let vars = read_vars(&out);
    assert_eq!(
        vars.get("LIFEGUARD_HOOK").map(String::as_str),
        Some("on_give_up")
    );
    assert_eq!(
        vars.get("LIFEGUARD_EXIT_CODE").map(String::as_str),
        Some("3")
    );
    assert!(
        vars["LIFEGUARD_REASON"].starts_with("2 deaths within 2 min"),
        "{vars:?}"
    );
    assert!(!vars.contains_key("LIFEGUARD_SIGNAL"), "{vars:?}");
    drop(env);
    kill_tagged(&tag);
}
