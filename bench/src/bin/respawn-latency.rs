//! Kill-to-respawn latency of `lifeguard run`: SIGKILL a program that has run, and measure
//! from the kill to the new instance's first instruction (the CLOCK_MONOTONIC stamp
//! `lg-testprog --stamp` writes first thing in main), beside the bare fork+exec baseline
//! taken in the same run. Prints p50/p95/p99/max; asserts nothing.
//!
//! Usage: `respawn-latency [--defaults] [ROUNDS]`.
//! - `--defaults`: `lifeguard run` with no flags (what a person gets), each instance killed
//!   after 2 s of uptime (default 30 rounds, about a minute).
//! - without it, a tuned trial: `--min-uptime 100ms --no-breaker`, each instance killed
//!   after 150 ms (default 200 rounds).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use lifeguard_bench::{lifeguard_bin, monotonic_ns, percentile};

fn main() -> anyhow::Result<()> {
    let mut defaults = false;
    let mut rounds = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--defaults" => defaults = true,
            n => rounds = Some(n.parse::<usize>().context("ROUNDS is a number")?),
        }
    }
    let (flags, uptime, label): (&[&str], _, _) = if defaults {
        (
            &[],
            Duration::from_secs(2),
            "defaults (`lifeguard run` with no flags)",
        )
    } else {
        (
            &["--min-uptime", "100ms", "--no-breaker"],
            Duration::from_millis(150),
            "tuned (--min-uptime 100ms --no-breaker)",
        )
    };
    let rounds = rounds.unwrap_or(if defaults { 30 } else { 200 });
    let dir = tempfile::tempdir()?;
    let stamp = dir.path().join("stamp");
    let pids = dir.path().join("pid");
    let mut lifeguard = Command::new(lifeguard_bin()?)
        .arg("run")
        .args(flags)
        .arg("--")
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
        // Past the minimum uptime: a real run, whose death is answered at once.
        std::thread::sleep(uptime);
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
    let mut floor = baseline(&stamp, 50)?;
    floor.sort_by(f64::total_cmp);
    println!(
        "respawn latency, {label}: {rounds} rounds, each instance SIGKILLed after {} ms of \
         uptime (SIGKILL → new instance's first instruction)",
        uptime.as_millis()
    );
    println!("               p50        p95        p99        max");
    let row = |name: &str, v: &[f64]| {
        let p = |q| percentile(v, q);
        println!(
            "  {name:<10} {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms",
            p(50.0),
            p(95.0),
            p(99.0),
            p(100.0)
        );
    };
    row("lifeguard", &samples);
    row("fork+exec", &floor);
    println!(
        "  p50 ratio: {:.2}× the bare fork+exec baseline (same machine, same run; target ≤ 1.5×)",
        percentile(&samples, 50.0) / percentile(&floor, 50.0)
    );
    Ok(())
}

/// The bare fork+exec baseline: this process spawns the test program directly (no
/// supervisor) and measures spawn → first instruction.
fn baseline(stamp: &Path, rounds: usize) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let _ = std::fs::remove_file(stamp);
        let t0 = monotonic_ns();
        let status = Command::new(lifeguard_testprog::path())
            .arg("--stamp")
            .arg(stamp)
            .args(["--exit", "0"])
            .status()?;
        anyhow::ensure!(status.success(), "lg-testprog failed: {status}");
        out.push(read_stamp(stamp)?.saturating_sub(t0) as f64 / 1e6);
    }
    Ok(out)
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
