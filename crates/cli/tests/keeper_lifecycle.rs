//! The keeper's life as `lifeguard daemon` starts it by default: `shutdown` (with or
//! without `--stop-programs`) ends the keeper too and leaves nothing of Lifeguard's, and
//! under systemd (`$NOTIFY_SOCKET`) the daemon proper says READY=1 and, when the keeper
//! (systemd's main process) is killed, exits so that systemd restarts the unit instead
//! of becoming a process systemd no longer counts.
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use common::{alive, testprog, text, wait_for, Env, PATIENCE};

fn sleeper() -> String {
    format!("[[program]]\nid = \"one\"\nargv = [\"{}\"]\n", testprog())
}

/// Waits for the keeper the test started to exit; its exit code.
fn keeper_exit(env: &mut Env) -> Option<i32> {
    let mut keeper = env.daemon.take().unwrap();
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = keeper.try_wait().unwrap() {
            return status.code();
        }
        assert!(Instant::now() < deadline, "the keeper outlived the daemon");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Live processes of this test's user environment (its HOME) running the lifeguard binary.
fn lifeguards(env: &Env) -> Vec<u32> {
    let marker = format!("HOME={}", env.root().display());
    let bin = common::bin();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            alive(*pid)
                && common::real::exe(*pid).is_some_and(|e| e == bin)
                && std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|b| b.split(|c| *c == 0).any(|e| e == marker.as_bytes()))
        })
        .collect()
}

#[test]
fn shutdown_ends_the_keeper_too_with_or_without_the_programs() {
    let mut env = Env::new(Some(&sleeper()));
    env.start_daemon(&[]);
    let daemon = env.daemon_pid();
    let program = env.running_pid("one");
    assert_eq!(lifeguards(&env).len(), 2, "one keeper and one daemon");
    assert!(env.cli(&["shutdown"]).status.success());
    assert_eq!(keeper_exit(&mut env), Some(0));
    wait_for("the daemon to exit", || !alive(daemon));
    assert!(alive(program), "programs outlive a plain shutdown");
    assert_eq!(
        lifeguards(&env),
        Vec::<u32>::new(),
        "a lifeguard process is left"
    );

    env.start_daemon(&[]);
    assert_eq!(env.running_pid("one"), program, "re-adopted");
    let out = env.cli(&["shutdown", "--stop-programs"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(keeper_exit(&mut env), Some(0));
    wait_for("the program to stop", || !alive(program));
    assert_eq!(
        lifeguards(&env),
        Vec::<u32>::new(),
        "a lifeguard process is left"
    );
}

#[test]
fn under_systemd_the_daemon_is_ready_and_exits_when_its_keeper_is_killed() {
    let mut env = Env::new(Some(&sleeper()));
    let notify = env.root().join("notify");
    let listener = UnixDatagram::bind(&notify).unwrap();
    listener.set_read_timeout(Some(PATIENCE)).unwrap();
    let keeper = env
        .command(&common::bin())
        .arg("daemon")
        .env("NOTIFY_SOCKET", &notify)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(env.root().join("daemon.err")).unwrap())
        .spawn()
        .unwrap();
    env.daemon = Some(keeper);
    let mut buf = [0u8; 64];
    let n = listener
        .recv(&mut buf)
        .expect("no READY=1 within the patience");
    assert_eq!(&buf[..n], b"READY=1");
    assert!(env.cli(&["status"]).status.success());
    let daemon = env.daemon_pid();
    let program = env.running_pid("one");

    // systemd's main process dies; systemd (Restart=on-failure) restarts the unit.
    let mut keeper = env.daemon.take().unwrap();
    keeper.kill().unwrap();
    keeper.wait().unwrap();
    wait_for("the daemon to exit", || !alive(daemon));
    assert!(alive(program), "the program was stopped");
    assert_eq!(lifeguards(&env), Vec::<u32>::new(), "no keeper of its own");
    // The restart: the program is re-adopted, not duplicated.
    env.start_daemon(&[]);
    assert_eq!(env.running_pid("one"), program);
}
