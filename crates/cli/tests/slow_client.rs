//! What the daemon sends is bounded: one `logs` answer stays under 1 MiB (and says how
//! many lines it left out), and a client that stops reading is dropped once a bounded
//! amount is queued for it, instead of growing the daemon.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use common::{testprog, text, Env};
use serde_json::Value;

/// The daemon's resident memory in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A daemon whose program "big" has a 1.2 MB log of 12 000 lines.
fn with_a_big_log() -> (Env, String) {
    let config = format!("[[program]]\nid = \"big\"\nargv = [\"{}\"]\n", testprog());
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    env.running_pid("big");
    let log: String = (0..12_000)
        .map(|i| format!("{i:06} {}\n", "x".repeat(98)))
        .collect();
    std::fs::write(env.log_dir().join("big.log"), &log).unwrap();
    (env, log)
}

const ALL_LINES: &[u8] =
    b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"logs\",\"params\":{\"program\":\"big\",\"lines\":1000000}}\n";

#[test]
fn a_logs_answer_is_capped_and_says_what_it_left_out() {
    let (env, log) = with_a_big_log();
    let stream = UnixStream::connect(env.socket()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    (&stream).write_all(ALL_LINES).unwrap();
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).unwrap();
    assert!(
        line.len() <= 1024 * 1024 + 4096,
        "a {} byte answer for one logs request",
        line.len()
    );
    let answer: Value = serde_json::from_str(&line).unwrap();
    let lines = answer["result"]["lines"].as_array().unwrap();
    let omitted = answer["result"]["omitted"].as_u64().unwrap();
    assert!(omitted > 0, "the answer does not say lines were left out");
    assert_eq!(lines.len() as u64 + omitted, 12_000);
    // The newest lines are the ones kept.
    assert_eq!(lines.last().unwrap(), log.lines().last().unwrap());

    let out = env.cli(&["logs", "big", "--lines", "100000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("older lines left out"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_the_daemon_does_not_grow() {
    let (env, _) = with_a_big_log();
    let daemon = env.daemon_pid();
    let before = rss_kib(daemon);
    // A client asks for the whole log 300 times and never reads an answer.
    let stuck = UnixStream::connect(env.socket()).unwrap();
    for _ in 0..300 {
        if (&stuck).write_all(ALL_LINES).is_err() {
            break; // already dropped
        }
    }
    let mut peak = before;
    let start = std::time::Instant::now();
    while !env.daemon_log().contains("does not read") {
        peak = peak.max(rss_kib(daemon));
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the client that does not read was never dropped (daemon at {} KiB, from {before})",
            rss_kib(daemon)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        peak < before + 150 * 1024,
        "the daemon grew from {before} KiB to {peak} KiB for a client that does not read"
    );
    // Others are served meanwhile.
    let status = env.cli(&["status"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    // The stuck client was dropped: what is left for it ends, well short of 300 answers.
    stuck
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut received = 0usize;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match (&stuck).read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received += n,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the connection stayed open after {received} bytes: {e}"),
        }
    }
    assert!(
        received < 40 * 1024 * 1024,
        "{received} bytes were still sent"
    );
}
