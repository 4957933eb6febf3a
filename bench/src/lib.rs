//! Helpers shared by Lifeguard's benchmark programs: finding the binaries under test,
//! the monotonic clock, and reading `/proc`.

use std::path::PathBuf;

/// The `lifeguard` binary next to the running benchmark (`$LIFEGUARD_BIN` overrides).
pub fn lifeguard_bin() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os("LIFEGUARD_BIN") {
        return Ok(p.into());
    }
    let exe = std::env::current_exe()?;
    let bin = exe.with_file_name("lifeguard");
    anyhow::ensure!(
        bin.exists(),
        "{} is missing: run `cargo build --release -p lifeguard-cli` first (or set LIFEGUARD_BIN)",
        bin.display()
    );
    Ok(bin)
}

/// CLOCK_MONOTONIC now, in ns (the clock `lg-testprog --stamp` writes).
pub fn monotonic_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u128) * 1_000_000_000 + ts.tv_nsec as u128
}

/// CPU time and context switches of a process, summed over its threads, and its RSS.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcStats {
    /// User + system CPU time, in clock ticks.
    pub cpu_ticks: u64,
    /// Voluntary context switches.
    pub voluntary: u64,
    /// Involuntary context switches.
    pub involuntary: u64,
    /// Resident set size, in KiB.
    pub rss_kib: u64,
    /// Threads.
    pub threads: u64,
}

/// Reads `/proc/<pid>` (every thread under `task/`).
pub fn proc_stats(pid: u32) -> anyhow::Result<ProcStats> {
    let mut s = ProcStats::default();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let dir = task?.path();
        let status = std::fs::read_to_string(dir.join("status"))?;
        s.voluntary += field(&status, "voluntary_ctxt_switches:");
        s.involuntary += field(&status, "nonvoluntary_ctxt_switches:");
        let stat = std::fs::read_to_string(dir.join("stat"))?;
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        // After the command name: state is field 3, utime 14 and stime 15 (1-based).
        let num = |i: usize| {
            fields
                .get(i - 3)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        s.cpu_ticks += num(14) + num(15);
        s.threads += 1;
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    s.rss_kib = field(&status, "VmRSS:");
    Ok(s)
}

fn field(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The value at percentile `p` (0–100) of sorted `xs`.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
pub mod roulette;

/// Writes `config` as the config file under `root` and starts `lifeguard daemon` there,
/// in `root`'s own XDG directories, with its output discarded. Returns the `lifeguard`
/// binary (for CLI calls) and the daemon's process.
pub fn start_daemon(
    root: &std::path::Path,
    config: &str,
) -> anyhow::Result<(PathBuf, std::process::Child)> {
    let dir = root.join("config/lifeguard");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("config.toml"), config)?;
    let bin = lifeguard_bin()?;
    let mut cmd = std::process::Command::new(&bin);
    roulette::daemon::env(&mut cmd, root);
    let daemon = cmd
        .arg("daemon")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    Ok((bin, daemon))
}
