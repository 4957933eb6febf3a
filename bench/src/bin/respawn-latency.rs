//! Kill-to-respawn latency of `lifeguard run`: SIGKILL a program that has run, and measure
//! from the kill to the new instance's first instruction (the CLOCK_MONOTONIC stamp
//! `lg-testprog --stamp` writes first thing in main), beside two baselines taken in the
//! same run: a bare supervisor loop (fork+exec+waitpid, nothing else) killed the same way,
//! and a bare spawn (fork+exec → first instruction, no death). Prints p50/p95/p99/max;
//! asserts nothing.
//!
//! Usage: `respawn-latency [--defaults] [ROUNDS]`.
//! - `--defaults`: `lifeguard run` with no flags (what a person gets), each instance killed
//!   after 2 s of uptime (default 30 rounds of each, about two minutes).
//! - without it, a tuned trial: `--min-uptime 100ms --no-breaker`, each instance killed
//!   after 150 ms (default 200 rounds).
//!
//! (`respawn-latency --bare-supervisor -- PROG ARGS…` is the bare loop itself, which the
//! benchmark starts.)

use std::process::Command;
use std::time::Duration;

use anyhow::Context;
use lifeguard_bench::respawn::{bare_supervisor, kill_rounds, spawn_baseline};
use lifeguard_bench::{lifeguard_bin, percentile};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bare-supervisor") {
        return bare_supervisor(args.get(2..).unwrap_or_default());
    }
    let mut defaults = false;
    let mut rounds = None;
    for arg in &args {
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
    let (stamp, pids) = (dir.path().join("stamp"), dir.path().join("pid"));
    let program = |cmd: &mut Command| {
        cmd.arg("--")
            .arg(lifeguard_testprog::path())
            .arg("--stamp")
            .arg(&stamp)
            .arg("--pid-file")
            .arg(&pids);
    };
    let mut lifeguard = Command::new(lifeguard_bin()?);
    lifeguard.arg("run").args(flags);
    program(&mut lifeguard);
    let mut bare = Command::new(std::env::current_exe()?);
    bare.arg("--bare-supervisor");
    program(&mut bare);

    let mut samples = kill_rounds(lifeguard, &stamp, &pids, rounds, uptime)?;
    let mut floor = kill_rounds(bare, &stamp, &pids, rounds, uptime)?;
    let mut spawn = spawn_baseline(&stamp, 50)?;
    for v in [&mut samples, &mut floor, &mut spawn] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "respawn latency, {label}: {rounds} rounds, each instance SIGKILLed after {} ms of \
         uptime (SIGKILL → new instance's first instruction)",
        uptime.as_millis()
    );
    println!("                    p50        p95        p99        max");
    let row = |name: &str, v: &[f64]| {
        let p = |q| percentile(v, q);
        println!(
            "  {name:<15} {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>7.3} ms",
            p(50.0),
            p(95.0),
            p(99.0),
            p(100.0)
        );
    };
    row("lifeguard", &samples);
    row("bare loop", &floor);
    row("bare spawn", &spawn);
    let p50 = |v: &[f64]| percentile(v, 50.0);
    println!(
        "  (bare loop: fork+exec+waitpid, killed the same way, {rounds} rounds; bare spawn: \
         fork+exec → first instruction, no death, 50 rounds)"
    );
    println!(
        "  p50 ratio: {:.2}× the bare fork+exec+waitpid loop, {:.2}× the bare spawn \
         (same machine, same run; target ≤ 1.5×)",
        p50(&samples) / p50(&floor),
        p50(&samples) / p50(&spawn)
    );
    Ok(())
}
