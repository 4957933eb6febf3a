//! A daemon whose session leader lies outside its PID namespace: in a container, under
//! `unshare --pid`, or started by a service manager that did not make it a session of its
//! own. The kernel says its session is 0 then. The daemon must start and supervise as
//! anywhere else (it once panicked at start-up, in rustix's `getsid`).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{testprog, text, wait_for, Env, PATIENCE};

/// Whether this machine lets us make a PID namespace (root, or user namespaces allowed).
fn can_unshare() -> bool {
    Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_daemon_whose_session_leader_is_out_of_sight_starts_and_restarts_programs() {
    let mut env = Env::new(Some(&format!(
        "[[program]]\nid = \"victim\"\nargv = [\"{}\"]\n",
        testprog()
    )));
    let stderr = std::fs::File::create(env.root().join("daemon.err")).unwrap();
    let mut daemon = if can_unshare() {
        // A new PID namespace: the test's session leader is not in it, so its session is 0.
        let mut cmd = env.command(Path::new("unshare"));
        cmd.args(["--pid", "--fork", "--mount-proc", "--kill-child"])
            .arg(common::bin())
            .arg("daemon");
        cmd
    } else {
        // Where namespaces are refused we are in a container already; it only
        // reproduces the case if our own session is 0, so say so rather than pass.
        assert_eq!(
            common::real::session(std::process::id()),
            Some(0),
            "cannot make a PID namespace here, and this session is visible: the test cannot \
             reproduce a session of 0"
        );
        let mut cmd = env.command(&common::bin());
        cmd.arg("daemon");
        cmd
    };
    env.daemon = Some(daemon.stdout(Stdio::null()).stderr(stderr).spawn().unwrap());
    let deadline = Instant::now() + PATIENCE;
    while !env.cli(&["status"]).status.success() {
        let gone = env.daemon.as_mut().unwrap().try_wait().unwrap();
        assert!(
            gone.is_none() && Instant::now() < deadline,
            "the daemon did not answer ({gone:?}); its log:\n{}",
            env.daemon_log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Pids are the namespace's own, so the test asks the daemon to restart rather than
    // signalling from outside; what it compares is the daemon's own view.
    let first = env.running_pid("victim");
    let out = env.cli(&["restart", "victim"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    wait_for("victim back with a new pid", || {
        env.pid_of("victim").is_some_and(|p| p != first)
    });
    assert!(
        !env.daemon_log().contains("panicked"),
        "{}",
        env.daemon_log()
    );
}
