//! `lifeguard run -- CMD…` with real processes: what a person sees on stdout and in `ps`.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

const PATIENCE: Duration = Duration::from_secs(15);

/// `lifeguard run` with its stdout lines delivered on a channel.
fn lifeguard_run(flags: &[&str], program: &[&str]) -> (Child, mpsc::Receiver<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lifeguard"))
        .arg("run")
        .args(flags)
        .arg("--")
        .arg(lifeguard_testprog::path())
        .args(program)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
            if tx.send(value).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The next JSON line whose `event` is `kind`.
fn next(rx: &mpsc::Receiver<Value>, kind: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {kind} line"));
        if line["event"] == kind {
            return line;
        }
    }
}

fn signal(pid: u32, sig: i32) {
    // SAFETY: kill(2) with plain integers.
    assert_eq!(unsafe { libc::kill(pid as i32, sig) }, 0);
}

fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, r)| !r.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("lifeguard run did not exit");
}

fn pids_in(file: &Path, n: usize) -> Vec<u32> {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let pids: Vec<u32> = text.lines().filter_map(|l| l.parse().ok()).collect();
        if pids.len() >= n {
            return pids;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never listed {n} pids", file.display());
}

#[test]
fn sigkill_to_the_program_prints_a_sigkill_line_and_a_restart_with_a_new_pid() {
    let (mut lifeguard, rx) = lifeguard_run(&[], &[]);
    let started = next(&rx, "started");
    let first = started["pid"].as_u64().unwrap() as u32;
    assert_eq!(started["program"], "lg-testprog");

    signal(first, libc::SIGKILL);
    let exited = next(&rx, "exited");
    assert_eq!(exited["pid"], first);
    assert_eq!(exited["signal"], "SIGKILL");
    assert_eq!(exited["exit_code"], Value::Null);
    for key in ["ts", "attempt", "uptime_ms", "delay_ms", "reason"] {
        assert!(exited.get(key).is_some(), "{key} missing: {exited}");
    }
    let restarted = next(&rx, "restarted");
    let second = restarted["pid"].as_u64().unwrap() as u32;
    assert_ne!(second, first);
    assert!(alive(second));

    signal(lifeguard.id(), libc::SIGTERM);
    assert!(wait_exit(&mut lifeguard).success());
    assert!(!alive(second));
}

#[test]
fn sigterm_to_lifeguard_run_stops_the_whole_group_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pids");
    let program = [
        "--helpers",
        "2",
        "--ignore-term",
        "--pid-file",
        pid_file.to_str().unwrap(),
    ];
    let (mut lifeguard, rx) = lifeguard_run(&["--grace", "300ms"], &program);
    next(&rx, "started");
    let group = pids_in(&pid_file, 3);
    assert!(group.iter().all(|p| alive(*p)));

    signal(lifeguard.id(), libc::SIGTERM);
    let status = wait_exit(&mut lifeguard);
    assert_eq!(status.code(), Some(0));
    let stopped = next(&rx, "stopped");
    assert_eq!(
        stopped["signal"], "SIGKILL",
        "ignored SIGTERM, so killed after the grace"
    );
    assert_eq!(stopped["requested_by"], "cli");
    let deadline = Instant::now() + PATIENCE;
    while group.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<_> = group.iter().filter(|p| alive(**p)).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_clean_exit_ends_lifeguard_run_with_the_programs_code() {
    let (mut lifeguard, rx) = lifeguard_run(&["--clean-exit-codes", "0,3"], &["--exit", "3"]);
    assert_eq!(next(&rx, "exited")["exit_code"], 3);
    assert_eq!(wait_exit(&mut lifeguard).code(), Some(3));
}
