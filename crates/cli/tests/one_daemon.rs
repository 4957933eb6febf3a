//! One daemon per user whatever its environment: a second daemon started without
//! `XDG_RUNTIME_DIR` (so with another runtime directory and socket) still finds the
//! first one's lock in the shared state directory and exits 4, touching nothing.
#![allow(clippy::unwrap_used)]

mod common;

use common::{testprog, text, Env};

#[test]
fn a_daemon_without_xdg_runtime_dir_refuses_to_start_beside_the_first() {
    let config = format!("[[program]]\nid = \"one\"\nargv = [\"{}\"]\n", testprog());
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    // The lock holder is the daemon proper, under its keeper.
    let first = env.daemon_pid();
    let pid = env.running_pid("one");

    let mut second = env.command(&common::bin());
    second.arg("daemon").env_remove("XDG_RUNTIME_DIR");
    let mut child = second
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // On the old code the second daemon runs (its own lock, its own socket): give up
    // waiting after a while, stop it, and fail.
    let deadline = std::time::Instant::now() + common::PATIENCE;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if std::time::Instant::now() > deadline {
            common::kill(child.id(), libc::SIGKILL);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    let status = status.expect("a second daemon without XDG_RUNTIME_DIR kept running");
    assert_eq!(status.code(), Some(4), "{err}");
    assert!(
        err.contains("already running") && err.contains(&format!("pid {first}")),
        "{err}"
    );
    // The first daemon and its program were not disturbed.
    let status = env.cli(&["status"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    assert_eq!(env.pid_of("one"), Some(pid), "the program was restarted");
}
