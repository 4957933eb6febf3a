//! The daemon reaps the orphans it inherits as a subreaper, but never its own
//! health-check commands: reaping one hands tokio ECHILD, a failed check for no reason.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{testprog, Env};

#[test]
fn a_command_health_check_that_passes_never_fails_from_the_orphan_reaper() {
    // Six programs, each checked every 20 ms and restarted at the first failure: over
    // 15 s that is thousands of checks, each exiting child racing the reaper's SIGCHLD
    // (and every check's exit wakes the reaper while the others' zombies wait for tokio).
    let mut config = String::new();
    for i in 0..6 {
        config += &format!(
            "[[program]]\nid = \"checked{i}\"\nargv = [\"{}\"]\n\n[program.health]\n\
             command = [\"/bin/true\"]\ninterval = \"20ms\"\nstart_grace = \"20ms\"\nfailures = 1\n\n",
            testprog()
        );
    }
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let pids: Vec<u32> = (0..6)
        .map(|i| env.running_pid(&format!("checked{i}")))
        .collect();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(500));
        for (i, pid) in pids.iter().enumerate() {
            assert_eq!(
                env.pid_of(&format!("checked{i}")),
                Some(*pid),
                "checked{i} was restarted: {:#}",
                env.json(&["history", "--program", &format!("checked{i}")])
            );
        }
    }
    let history = env.json(&["history"]);
    let failed: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "health_failed")
        .collect();
    assert!(failed.is_empty(), "spurious health failures: {failed:#?}");
}
