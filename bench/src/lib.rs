//! Helpers shared by Lifeguard's benchmark programs: finding the binaries under test,
//! the monotonic clock, and reading `/proc`.

use std::collections::BTreeMap;
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

/// Reads `/proc/<pid>` (every thread under `task/`). CPU time is the process's own
/// total, which includes threads that have already exited; the context switches are
/// summed over the live threads only (see [`thread_switches`] for a window in which
/// threads come and go).
pub fn proc_stats(pid: u32) -> anyhow::Result<ProcStats> {
    let mut s = ProcStats::default();
    for (vol, invol) in thread_switches(pid)?.values() {
        s.voluntary += vol;
        s.involuntary += invol;
        s.threads += 1;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the command name: state is field 3, utime 14 and stime 15 (1-based).
    let num = |i: usize| {
        fields
            .get(i - 3)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    s.cpu_ticks = num(14) + num(15);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    s.rss_kib = field(&status, "VmRSS:");
    Ok(s)
}

/// Voluntary and involuntary context switches of each live thread, by thread id.
pub fn thread_switches(pid: u32) -> anyhow::Result<BTreeMap<u32, (u64, u64)>> {
    let mut out = BTreeMap::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let task = task?;
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
            continue;
        };
        // A thread that ends while we read is simply not counted.
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue;
        };
        let switches = (
            field(&status, "voluntary_ctxt_switches:"),
            field(&status, "nonvoluntary_ctxt_switches:"),
        );
        out.insert(tid, switches);
    }
    Ok(out)
}

/// Context switches between two [`thread_switches`] readings.
#[derive(Debug, Clone, Copy, Default)]
pub struct SwitchesBetween {
    /// Voluntary: of threads alive at both ends, the difference; of threads born in
    /// between, all of theirs.
    pub voluntary: u64,
    /// Involuntary, counted the same way.
    pub involuntary: u64,
    /// Threads alive at the start and gone at the end: their last switches are unknown
    /// (lost with the thread), so each counts at least one wake-up, its exit.
    pub ended: u64,
    /// Threads born in between.
    pub born: u64,
}

impl SwitchesBetween {
    /// Compares `before` with `after`.
    pub fn new(before: &BTreeMap<u32, (u64, u64)>, after: &BTreeMap<u32, (u64, u64)>) -> Self {
        let mut s = Self::default();
        for (tid, (vol, invol)) in after {
            let (v0, i0) = match before.get(tid) {
                Some(b) => *b,
                None => {
                    s.born += 1;
                    (0, 0)
                }
            };
            s.voluntary += vol.saturating_sub(v0);
            s.involuntary += invol.saturating_sub(i0);
        }
        s.ended = before.keys().filter(|t| !after.contains_key(t)).count() as u64;
        s
    }

    /// Every switch counted, plus one per ended thread: a lower bound on wake-ups.
    pub fn wakeups(&self) -> u64 {
        self.voluntary + self.involuntary + self.ended
    }
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
pub mod respawn;
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
