//! Kill-to-respawn latency of `lifeguard run`: SIGKILL a program that has run stably, and
//! measure from the kill to the new instance's first instruction (the CLOCK_MONOTONIC stamp
//! `lg-testprog --stamp` writes first thing in main). Prints p50/p95/p99/max; asserts nothing.
//!
//! Usage: `respawn-latency [ROUNDS]` (default 200).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use lifeguard_bench::{lifeguard_bin, monotonic_ns, percentile};

fn main() -> anyhow::Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(200);
    let dir = tempfile::tempdir()?;
    let stamp = dir.path().join("stamp");
    let pids = dir.path().join("pid");
    // A short stable_after makes every kill "after a stable run" (restart at once), and the
    // breaker is off because 200 kills in a row are the point here.
    let mut lifeguard = Command::new(lifeguard_bin()?)
        .args(["run", "--stable-after", "20ms", "--no-breaker", "--"])
        .arg(lifeguard_testprog::path())
        .arg("--stamp")
        .arg(&stamp)
        .arg("--pid-file")
        .arg(&pids)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut last_pid = 0;
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let pid = wait_new_pid(&pids, last_pid)?;
        read_stamp(&stamp)?;
        std::thread::sleep(Duration::from_millis(40)); // run "stably" (> stable_after)
        std::fs::remove_file(&stamp)?;
        let killed_at = monotonic_ns();
        // SAFETY: kill(2) with plain integers.
        anyhow::ensure!(
            unsafe { libc::kill(pid as i32, libc::SIGKILL) } == 0,
            "kill {pid}"
        );
        let started_at = read_stamp(&stamp)?;
        samples.push((started_at.saturating_sub(killed_at)) as f64 / 1e6);
        last_pid = pid;
    }
    // SAFETY: as above.
    unsafe { libc::kill(lifeguard.id() as i32, libc::SIGTERM) };
    lifeguard.wait()?;
    samples.sort_by(f64::total_cmp);
    println!("respawn latency over {rounds} rounds (SIGKILL → new instance's first instruction):");
    for (name, p) in [("p50", 50.0), ("p95", 95.0), ("p99", 99.0), ("max", 100.0)] {
        println!("  {name}: {:.3} ms", percentile(&samples, p));
    }
    println!(
        "  min: {:.3} ms",
        samples.first().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

fn wait_new_pid(file: &Path, old: u32) -> anyhow::Result<u32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let pid = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| t.lines().next()?.parse().ok());
        if let Some(pid) = pid.filter(|p| *p != old) {
            return Ok(pid);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    anyhow::bail!("no new instance within 10 s")
}

/// Polls the stamp file (the benchmark may poll; the supervisor under test does not).
fn read_stamp(file: &Path) -> anyhow::Result<u128> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(file) {
            if let Some(line) = text.strip_suffix('\n') {
                return line.parse().context("bad stamp");
            }
        }
        std::thread::sleep(Duration::from_micros(50));
    }
    anyhow::bail!("no stamp within 10 s")
}
