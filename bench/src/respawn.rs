//! The parts of `respawn-latency`: kill rounds against any supervisor, the two baselines
//! (a bare supervisor loop killed the same way, and a bare spawn), and the stamp file.
//!
//! Every figure is (the new instance's own CLOCK_MONOTONIC stamp, written first thing in
//! its `main`) − (the clock read just before the SIGKILL). When the benchmark reads the
//! stamp does not change it; how it waits only changes how much CPU it takes from the
//! processes measured, so it sleeps 1 ms between looks (two cores: a tighter poll is a
//! third busy process beside the supervisor and the new instance).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::monotonic_ns;

/// How often the stamp and pid files are looked at.
const LOOK_EVERY: Duration = Duration::from_millis(1);

/// Starts `supervisor` (which must run `lg-testprog --stamp STAMP --pid-file PIDS` and
/// restart it), and `rounds` times: waits for a new instance, lets it run `uptime`,
/// SIGKILLs it and measures kill → the new instance's stamp, in ms. Ends the supervisor
/// with SIGTERM (and SIGKILLs the last instance, for supervisors that leave it).
pub fn kill_rounds(
    mut supervisor: Command,
    stamp: &Path,
    pids: &Path,
    rounds: usize,
    uptime: Duration,
) -> anyhow::Result<Vec<f64>> {
    let _ = std::fs::remove_file(stamp);
    let _ = std::fs::remove_file(pids);
    let mut child = supervisor
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut last_pid = 0;
    let mut samples = Vec::with_capacity(rounds);
    let result = (|| {
        for _ in 0..rounds {
            let pid = wait_new_pid(pids, last_pid)?;
            read_stamp(stamp)?;
            // Past the minimum uptime: a real run, whose death is answered at once.
            std::thread::sleep(uptime);
            std::fs::remove_file(stamp)?;
            let killed_at = monotonic_ns();
            anyhow::ensure!(kill(pid, libc::SIGKILL), "kill {pid}");
            let started_at = read_stamp(stamp)?;
            samples.push((started_at.saturating_sub(killed_at)) as f64 / 1e6);
            last_pid = pid;
        }
        Ok(())
    })();
    // The instance running now, held by a pidfd so that a reused pid is never signalled.
    let last = wait_new_pid(pids, last_pid).ok().and_then(pidfd_open);
    kill(child.id(), libc::SIGTERM);
    child.wait()?;
    if let Some(fd) = last {
        // SAFETY: pidfd_send_signal with our fd, a signal number and no siginfo.
        unsafe { libc::syscall(libc::SYS_pidfd_send_signal, fd, libc::SIGKILL, 0, 0) };
        // SAFETY: our fd, closed once.
        unsafe { libc::close(fd) };
    }
    result.map(|()| samples)
}

fn pidfd_open(pid: u32) -> Option<i32> {
    let pid = i32::try_from(pid).ok()?;
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    i32::try_from(fd).ok().filter(|fd| *fd >= 0)
}

/// The bare spawn baseline: this process spawns the test program directly (no
/// supervisor, no death) and measures spawn → first instruction.
pub fn spawn_baseline(stamp: &Path, rounds: usize) -> anyhow::Result<Vec<f64>> {
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

/// The bare supervisor: start `argv` in its own process group (as Lifeguard does), wait
/// for it, start it again, forever — fork+exec+waitpid and nothing else, the floor of
/// any supervisor's kill → respawn path. Ends on SIGTERM (the default action).
pub fn bare_supervisor(argv: &[String]) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let (program, args) = argv.split_first().context("no program to supervise")?;
    loop {
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .process_group(0)
            .spawn()?
            .wait()?;
    }
}

fn kill(pid: u32, signal: i32) -> bool {
    // SAFETY: kill(2) with plain integers; pids here are our child or its live instance.
    i32::try_from(pid).is_ok_and(|p| p > 1 && unsafe { libc::kill(p, signal) } == 0)
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
        std::thread::sleep(LOOK_EVERY);
    }
    anyhow::bail!("no new instance within 10 s")
}

/// Waits for the stamp file (the benchmark may poll; the supervisor under test does not).
fn read_stamp(file: &Path) -> anyhow::Result<u128> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(file) {
            if let Some(line) = text.strip_suffix('\n') {
                return line.parse().context("bad stamp");
            }
        }
        std::thread::sleep(LOOK_EVERY);
    }
    anyhow::bail!("no stamp within 10 s")
}
