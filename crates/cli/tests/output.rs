//! Programs' output goes to their own log files, rotates at the limit, and a program
//! never dies because the daemon did.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{alive, kill, text, wait_for, Env};

/// A program that writes a numbered line every 5 ms, forever (a shell command on purpose).
fn chatty(id: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [\"/bin/sh\", \"-c\", \"i=0; while :; do i=$((i+1)); echo \\\"line $i of some output, padded to make the log grow faster: 0123456789012345678901234567890123456789\\\"; sleep 0.005; done\"]\n"
    )
}

#[test]
fn output_is_captured_and_rotated_at_the_limit() {
    let mut env = Env::new(Some(&chatty("chatty")));
    env.start_daemon(common::FAST_ROTATION);
    let log = env.log_dir().join("chatty.log");
    common::two_rotations(&env, "chatty.log", "line ");
    // The live file keeps growing from the start after a truncation, without a hole.
    wait_for("new output", || {
        std::fs::metadata(&log).is_ok_and(|m| m.len() > 0)
    });
    let head = std::fs::read(&log).unwrap();
    assert_ne!(
        head.first(),
        Some(&0u8),
        "the file has a hole of zeros: not O_APPEND"
    );

    // Right after a truncation the live file may hold fewer than 3 lines (rotation runs
    // every second or so here), so ask again until it has them.
    let mut lines = String::new();
    wait_for("3 lines from `logs -n 3`", || {
        let out = env.cli(&["logs", "chatty", "-n", "3"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        lines = text(&out.stdout);
        lines.lines().count() == 3
    });
    assert!(lines.lines().all(|l| l.starts_with("line ")), "{lines}");
}

/// Rotation follows the writes, not a timer: with size checks at most once an hour, a
/// program that writes past the limit after start-up (in one `write`, so the first check
/// sees the whole of it) is rotated at once. Only the inotify path can do this: the
/// timer's next check would be an hour away.
#[test]
fn a_write_past_the_limit_is_rotated_without_waiting_for_a_timer() {
    let mut env = Env::new(None);
    let go = env.root().join("go");
    let payload = env.root().join("payload");
    let text: String = (0..400)
        .map(|i| format!("line {i:04} of a burst written in one go, 0123456789012345678\n"))
        .collect();
    assert!(text.len() > 20_000);
    std::fs::write(&payload, &text).unwrap();
    let script = format!(
        "while [ ! -e {go} ]; do sleep 0.05; done; dd if={payload} bs=1M status=none; exec sleep 1000",
        go = go.display(),
        payload = payload.display()
    );
    std::fs::write(
        env.config_dir().join("config.toml"),
        format!("[[program]]\nid = \"burst\"\nargv = [\"/bin/sh\", \"-c\", {script:?}]\n"),
    )
    .unwrap();
    env.start_daemon(&["--log-max-bytes", "20000", "--log-check-every", "1h"]);
    // Running means the daemon is serving, which it does after its start-up check.
    env.running_pid("burst");
    std::fs::write(&go, b"").unwrap();
    let rotated = env.log_dir().join("burst.log.1");
    wait_for("the burst's rotation", || rotated.exists());
    assert_eq!(std::fs::read_to_string(&rotated).unwrap(), text);
    wait_for("the live file's truncation", || {
        std::fs::metadata(env.log_dir().join("burst.log")).is_ok_and(|m| m.len() == 0)
    });
}

#[test]
fn logs_follow_prints_new_lines() {
    let mut env = Env::new(Some(&chatty("follow")));
    env.start_daemon(&[]);
    env.running_pid("follow");
    let (mut child, rx) = env.lines_of(&["logs", "follow", "-n", "0", "--follow"]);
    let line = rx.recv_timeout(common::PATIENCE).expect("no followed line");
    assert!(line.starts_with("line "), "{line}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_program_writing_continuously_survives_a_sigkill_of_the_daemon() {
    let mut env = Env::new(Some(&chatty("survivor")));
    env.start_daemon_piped(&[]);
    let pid = env.running_pid("survivor");
    let log = env.log_dir().join("survivor.log");
    // The keeper and the daemon proper: both hold the pipes.
    let pipes = env.kill_daemon_pipes();
    // Close the daemon's pipes: a program writing to them would now get SIGPIPE.
    drop(pipes);
    let size = std::fs::metadata(&log).unwrap().len();
    wait_for("more output after the daemon died", || {
        std::fs::metadata(&log).is_ok_and(|m| m.len() > size + 1000)
    });
    std::thread::sleep(Duration::from_millis(500));
    assert!(alive(pid), "the program died with the daemon");
    kill(pid, libc::SIGKILL);
}
