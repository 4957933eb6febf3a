//! Idle cost of `lifeguard daemon` protecting 1 and then 100 sleeping programs: CPU time,
//! context switches (all threads, including those born or ended in the window) over a
//! window, thread count and RSS. Prints figures; asserts nothing.
//!
//! `lifeguard daemon` is a small keeper that runs the real daemon as its child
//! (`daemon --kept-by PID`): the figures are the daemon's, with the keeper's RSS beside them.
//!
//! Usage: `daemon-idle [SECONDS]` (default 60). Each run uses fresh temporary XDG dirs.
//! With `DAEMON_IDLE_SMAPS=DIR`, the daemon's `/proc/PID/smaps` at the end of each window is
//! kept as `DIR/smaps-1.txt` and `DIR/smaps-100.txt`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_bench::roulette::daemon::env;
use lifeguard_bench::roulette::procs::kept_daemon;
use lifeguard_bench::{proc_stats, thread_switches, SwitchesBetween};

fn main() -> anyhow::Result<()> {
    let secs: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(60);
    println!("idle cost of `lifeguard daemon`, window {secs} s (after 2 s of settling):");
    println!(
        "programs  threads  cpu_ms  voluntary_cs  involuntary_cs  threads_ended  wakeups_per_min  rss_mib  rss_anon_mib  keeper_rss_mib"
    );
    for n in [1usize, 100] {
        measure(n, secs)?;
    }
    Ok(())
}

fn measure(n: usize, secs: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/lifeguard"))?;
    let prog = lifeguard_testprog::path();
    let config: String = (0..n)
        .map(|i| {
            format!(
                "[[program]]\nid = \"p{i}\"\nargv = [{:?}]\n\n",
                prog.display().to_string()
            )
        })
        .collect();
    let (bin, mut daemon) = lifeguard_bench::start_daemon(root, &config)?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while running(&bin, root) < n {
        anyhow::ensure!(Instant::now() < deadline, "{n} programs did not all start");
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(2));
    let keeper = daemon.id();
    let pid = i32::try_from(keeper)
        .ok()
        .and_then(kept_daemon)
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(keeper);
    let (before, threads_before) = (proc_stats(pid)?, thread_switches(pid)?);
    std::thread::sleep(Duration::from_secs(secs));
    let (after, threads_after) = (proc_stats(pid)?, thread_switches(pid)?);
    let switches = SwitchesBetween::new(&threads_before, &threads_after);
    let anon_kib = status_kib(pid, "RssAnon:");
    // For working out where the RSS is: `DAEMON_IDLE_SMAPS=DIR` keeps the daemon's smaps.
    if let Some(dir) = std::env::var_os("DAEMON_IDLE_SMAPS") {
        let smaps = std::fs::read(format!("/proc/{pid}/smaps"))?;
        std::fs::write(Path::new(&dir).join(format!("smaps-{n}.txt")), smaps)?;
    }
    let keeper_kib = if pid == keeper {
        0
    } else {
        status_kib(keeper, "VmRSS:")
    };
    let mut stop = Command::new(&bin);
    env(&mut stop, root);
    stop.args(["shutdown", "--stop-programs"])
        .stdout(Stdio::null())
        .status()?;
    daemon.wait()?;
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    println!(
        "{n:>8}  {:>7}  {:>6.1}  {:>12}  {:>14}  {:>13}  {:>15.1}  {:>7.1}  {:>12.1}  {:>14.1}",
        after.threads,
        (after.cpu_ticks - before.cpu_ticks) as f64 * 1000.0 / hz,
        switches.voluntary,
        switches.involuntary,
        switches.ended,
        switches.wakeups() as f64 * 60.0 / secs as f64,
        after.rss_kib as f64 / 1024.0,
        anon_kib as f64 / 1024.0,
        keeper_kib as f64 / 1024.0,
    );
    Ok(())
}

/// Programs running, per `lifeguard status --json`.
fn running(bin: &Path, root: &Path) -> usize {
    let mut cmd = Command::new(bin);
    env(&mut cmd, root);
    let Ok(out) = cmd.args(["status", "--json"]).output() else {
        return 0;
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
        return 0;
    };
    v["programs"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["state"]["state"] == "running")
                .count()
        })
        .unwrap_or(0)
}

/// A `kB` field of `/proc/<pid>/status` (0 if missing).
fn status_kib(pid: u32, name: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
