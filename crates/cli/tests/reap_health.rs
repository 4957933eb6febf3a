//! The daemon reaps the orphans it inherits as a subreaper, but never its own
//! health-check commands: reaping one hands tokio ECHILD, a failed check for no reason.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{testprog, Env};

#[test]
fn a_command_health_check_that_passes_never_fails_from_the_orphan_reaper() {
    // A check every 100 ms, restarting at the first failure: over 15 s that is >100
    // checks, each exiting child racing the reaper's SIGCHLD.
    let config = format!(
        "[[program]]\nid = \"checked\"\nargv = [\"{}\"]\n\n[program.health]\n\
         command = [\"/bin/true\"]\ninterval = \"100ms\"\nstart_grace = \"100ms\"\nfailures = 1\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let pid = env.running_pid("checked");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(env.pid_of("checked"), Some(pid), "the program was restarted");
    }
    let history = env.json(&["history", "--program", "checked"]);
    let failed: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "health_failed")
        .collect();
    assert!(failed.is_empty(), "spurious health failures: {failed:#?}");
}
