//! The user's own running programs, read from `/proc` and grouped by executable, for the
//! "Running now" picker.
//!
//! Caveats: kernel threads have no executable and are skipped; processes of other users
//! are skipped (their `exe` link is unreadable anyway); Lifeguard's own processes (the
//! daemon, the app, its WebKit helpers) and everything they started are left out, since
//! those are either Lifeguard or already protected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use lifeguard_engine::procfs;
use serde::Serialize;

/// Executable names that are Lifeguard itself.
const OWN_NAMES: &[&str] = &[
    "lifeguard",
    lifeguard_service::protocol::desktop::DESKTOP_BINARY,
];

/// One program: every process running the same executable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RunningProgram {
    /// The executable's file name.
    pub name: String,
    /// The executable's path.
    pub exe: String,
    /// Its oldest process (usually the one that started the rest): the one adopted when
    /// the person protects it.
    pub pid: u32,
    /// The command line of that process.
    pub argv: Vec<String>,
    /// That process's working directory, when readable.
    pub cwd: Option<String>,
    /// Every process of the program, ascending.
    pub pids: Vec<u32>,
    /// Resident memory of all its processes, in bytes.
    pub memory_bytes: u64,
    /// When its oldest process started, ms since the Unix epoch.
    pub started_at: u64,
}

/// One process as read from `/proc/<pid>`.
#[derive(Debug, Clone)]
struct Proc {
    pid: u32,
    ppid: u32,
    uid: u32,
    exe: PathBuf,
    argv: Vec<String>,
    cwd: Option<String>,
    rss_bytes: u64,
    start_ticks: u64,
}

/// The current user's running programs, largest memory first.
pub fn running_programs() -> Vec<RunningProgram> {
    // SAFETY: getuid and sysconf have no preconditions and cannot fail in a harmful way.
    let (uid, ticks) = unsafe { (libc::getuid(), libc::sysconf(libc::_SC_CLK_TCK)) };
    let ticks = u64::try_from(ticks).ok().filter(|t| *t > 0).unwrap_or(100);
    let boot_ms = boot_time_s(Path::new("/proc/stat")).unwrap_or(0) * 1000;
    scan(Path::new("/proc"), uid, std::process::id(), boot_ms, ticks)
}

/// Reads every process under `proc_root` owned by `uid`, leaves out Lifeguard (`own_pid`,
/// executables named like Lifeguard, and their descendants) and groups the rest.
fn scan(
    proc_root: &Path,
    uid: u32,
    own_pid: u32,
    boot_ms: u64,
    ticks_per_s: u64,
) -> Vec<RunningProgram> {
    let procs: Vec<Proc> = std::fs::read_dir(proc_root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| read_proc(&proc_root.join(pid.to_string()), pid))
        .collect();
    let parent: HashMap<u32, u32> = procs.iter().map(|p| (p.pid, p.ppid)).collect();
    let own: HashSet<u32> = procs
        .iter()
        .filter(|p| p.pid == own_pid || is_lifeguard(&p.exe))
        .map(|p| p.pid)
        .collect();
    let mut groups: BTreeMap<PathBuf, Vec<Proc>> = BTreeMap::new();
    for p in procs {
        if p.uid == uid && !descends_from(p.pid, &own, &parent) {
            groups.entry(p.exe.clone()).or_default().push(p);
        }
    }
    let mut out: Vec<RunningProgram> = groups
        .into_iter()
        .filter_map(|(exe, mut procs)| {
            procs.sort_by_key(|p| (p.start_ticks, p.pid));
            let oldest = procs.first()?.clone();
            let mut pids: Vec<u32> = procs.iter().map(|p| p.pid).collect();
            pids.sort_unstable();
            Some(RunningProgram {
                name: exe.file_name()?.to_string_lossy().into_owned(),
                exe: exe.to_string_lossy().into_owned(),
                pid: oldest.pid,
                argv: oldest.argv,
                cwd: oldest.cwd,
                pids,
                memory_bytes: procs.iter().map(|p| p.rss_bytes).sum(),
                started_at: boot_ms + oldest.start_ticks * 1000 / ticks_per_s,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.memory_bytes
            .cmp(&a.memory_bytes)
            .then(a.name.cmp(&b.name))
    });
    out
}

fn is_lifeguard(exe: &Path) -> bool {
    exe.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| OWN_NAMES.contains(&n))
}

fn descends_from(pid: u32, ancestors: &HashSet<u32>, parent: &HashMap<u32, u32>) -> bool {
    let mut current = pid;
    // Bounded walk: a pid table read while processes come and go can hold a cycle.
    for _ in 0..64 {
        if ancestors.contains(&current) {
            return true;
        }
        match parent.get(&current) {
            Some(&p) if p != 0 && p != current => current = p,
            _ => return false,
        }
    }
    false
}

/// One process, or `None` for kernel threads and processes gone or not readable.
fn read_proc(dir: &Path, pid: u32) -> Option<Proc> {
    // Kernel threads have no executable link and an empty command line.
    let exe = std::fs::read_link(dir.join("exe")).ok()?;
    let exe = PathBuf::from(exe.to_string_lossy().trim_end_matches(" (deleted)"));
    let argv = procfs::nul_list(&std::fs::read(dir.join("cmdline")).ok()?);
    if argv.is_empty() {
        return None;
    }
    let status = std::fs::read_to_string(dir.join("status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    let stat = procfs::Stat::parse(&std::fs::read_to_string(dir.join("stat")).ok()?)?;
    Some(Proc {
        pid,
        ppid: stat.ppid,
        uid: u32::try_from(field("Uid:")?).ok()?,
        exe,
        argv,
        cwd: std::fs::read_link(dir.join("cwd"))
            .ok()
            .map(|p| p.to_string_lossy().into_owned()),
        rss_bytes: field("VmRSS:").unwrap_or(0) * 1024,
        start_ticks: stat.start_time,
    })
}

/// The boot time in seconds since the epoch (`btime` in `/proc/stat`).
fn boot_time_s(stat: &Path) -> Option<u64> {
    std::fs::read_to_string(stat)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
#[path = "processes_tests.rs"]
mod tests;
