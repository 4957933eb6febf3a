//! Finding a program that already runs without Lifeguard — started by the session at
//! login, or by hand before the daemon came up — so start-up adopts it instead of
//! starting a second copy. PIDs from before a reboot mean nothing, so the match is on
//! what the process is: the same user, the same executable and the same argv.
//!
//! A process that carries a Lifeguard instance marker belongs to a supervisor. It is
//! taken only when its program marker names this very program: a daemon of this user
//! that was killed before its state file caught up with a start left it orphaned, and
//! its token lets the adoption find its whole tree. Other marked processes are left alone,
//! and so is every marked process that left the session its program was started in
//! (`setsid`: a tmux server, a `setsid -f` job, a terminal's shell): the user's detached
//! jobs are neither adopted as the program nor stopped as leftovers.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use lifeguard_engine::{
    procfs, Instance, ProcessInfo, ProgramId, ProgramSpec, INSTANCE_VAR, PROGRAM_VAR,
};

/// A running copy of a program, and the instance to adopt it as.
pub(super) struct Found {
    /// What the process is (argv, cwd, identity).
    pub info: ProcessInfo,
    /// Its instance: with the previous daemon's token when it carries one.
    pub instance: Instance,
}

/// What a scan of `/proc` found for some programs.
#[derive(Default)]
pub(super) struct Scan {
    /// Per program, the process to adopt.
    pub found: BTreeMap<ProgramId, Found>,
    /// Per program, processes left by older instances (marked with another token, or with
    /// a token saved as running and found dead): the helpers of a main process that died
    /// while no daemon watched. Stopped, never adopted.
    pub stale: BTreeMap<ProgramId, Vec<procfs::Identity>>,
}

/// One marked process of a program, while scanning.
struct Marked {
    pid: u32,
    token: Option<String>,
    start_time: u64,
    session: u32,
}

impl Marked {
    fn identity(&self) -> procfs::Identity {
        procfs::Identity {
            pid: self.pid,
            start_time: self.start_time,
        }
    }
}

/// An instance saved as running whose main process is gone: its token, process group and
/// a launcher heir's session.
pub(super) struct Dead<'a> {
    /// Its `LIFEGUARD_INSTANCE` token.
    pub token: &'a str,
    /// Its process group, if Lifeguard started it.
    pub pgid: Option<u32>,
    /// The session its launcher's heir started, if any.
    pub session: Option<u32>,
}

/// For each of `specs`, what to adopt. A program's marked processes (left by a daemon of
/// this session) win: the newest instance among them (by token; its oldest process is
/// its main process, or a launcher's heir). Of a `dead` instance, the processes still in
/// its process group are its helpers (stale); one that left the group (a launcher's heir,
/// after `setsid`) may still be followed. Otherwise the oldest unmarked process of this
/// user running the same executable with the same argv. `sessions` are those Lifeguard
/// started programs in (the previous daemon's and ours): a marked process elsewhere left
/// its program and is skipped. One pass over `/proc`.
pub(super) fn find(specs: &[&ProgramSpec], dead: &[Dead<'_>], sessions: &[u32]) -> Scan {
    let mut scan = Scan::default();
    if specs.is_empty() {
        return scan;
    }
    let wanted: Vec<(&ProgramSpec, Option<PathBuf>)> = specs
        .iter()
        .map(|s| (*s, crate::single_instance::executable(s)))
        .collect();
    let (me, uid) = (std::process::id(), crate::server::euid());
    let home = std::env::var("HOME").ok();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return scan;
    };
    let mut marked: BTreeMap<ProgramId, Vec<Marked>> = BTreeMap::new();
    let mut unmarked: BTreeMap<ProgramId, (u64, u32)> = BTreeMap::new();
    // Marked processes that lead their own session: they (and what runs in their
    // session) called `setsid` while being the program's, so they are the user's.
    let mut leaders: BTreeSet<(ProgramId, u32)> = BTreeSet::new();
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me || !entry.metadata().is_ok_and(|m| m.uid() == uid) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let Some(stat) = lifeguard_engine::inspect::stat(pid).filter(|s| !s.is_zombie()) else {
            continue;
        };
        let argv = procfs::nul_list(&cmdline);
        let marks = markers(&entry.path());
        for (spec, exe) in &wanted {
            if marks.0.as_deref() == Some(spec.id.as_str()) && marks.2 == home {
                let helper_of_dead = dead.iter().any(|d| {
                    marks.1.as_deref() == Some(d.token)
                        && (d.pgid.is_none_or(|g| g == stat.pgrp)
                            || d.session == Some(stat.session))
                });
                if pid == stat.session {
                    leaders.insert((spec.id.clone(), pid));
                }
                let m = Marked {
                    pid,
                    token: marks.1.clone(),
                    start_time: stat.start_time,
                    session: stat.session,
                };
                if helper_of_dead {
                    scan.stale
                        .entry(spec.id.clone())
                        .or_default()
                        .push(m.identity());
                } else {
                    marked.entry(spec.id.clone()).or_default().push(m);
                }
            } else if marks.1.is_none()
                && spec.argv == argv
                && same_exe(&entry.path(), exe.as_deref())
            {
                let oldest = unmarked.entry(spec.id.clone()).or_insert((u64::MAX, 0));
                if stat.start_time < oldest.0 {
                    *oldest = (stat.start_time, pid);
                }
            }
        }
    }
    for (spec, _) in &wanted {
        let id = &spec.id;
        // A marked process is the user's when it left the sessions Lifeguard started
        // programs in for one that a marked process leads (`setsid`: a tmux server, a
        // `setsid -f` job, what runs under them). One whose session leader is not marked
        // (a daemon that died before saving its session) is still the program's.
        let procs: Vec<Marked> = marked
            .remove(id)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| {
                sessions.contains(&m.session) || !leaders.contains(&(id.clone(), m.session))
            })
            .collect();
        // Each instance's oldest process: its main process, or a launcher's heir.
        let mut mains: BTreeMap<Option<&str>, &Marked> = BTreeMap::new();
        for m in &procs {
            let main = mains.entry(m.token.as_deref()).or_insert(m);
            if (m.start_time, m.pid) < (main.start_time, main.pid) {
                *main = m;
            }
        }
        let newest = mains.into_values().max_by_key(|m| (m.start_time, m.pid));
        let pick = newest
            .map(|m| (m.pid, m.token.clone()))
            .or_else(|| unmarked.get(id).map(|(_, pid)| (*pid, None)));
        let adopted = pick.and_then(|(pid, token)| {
            let info = ProcessInfo::read(pid).ok()?;
            let mut instance = info.instance();
            instance.token = token;
            Some(Found { info, instance })
        });
        let kept = adopted.as_ref().and_then(|f| f.instance.token.clone());
        let stale = procs
            .iter()
            .filter(|m| m.token.is_none() || m.token != kept)
            .filter(|m| {
                adopted
                    .as_ref()
                    .is_none_or(|f| f.info.identity.pid != m.pid)
            })
            .map(Marked::identity);
        scan.stale.entry(id.clone()).or_default().extend(stale);
        if let Some(f) = adopted {
            scan.found.insert(id.clone(), f);
        }
    }
    scan
}

/// Whether the process at `dir` runs `exe` (unknown executable: no match).
fn same_exe(dir: &Path, exe: Option<&Path>) -> bool {
    let Some(exe) = exe else {
        return false;
    };
    std::fs::read_link(dir.join("exe")).is_ok_and(|running| running == exe)
}

/// The process's Lifeguard markers (program id, instance token) and its HOME, which ties
/// it to a daemon of this session rather than another one of the same user (tests run
/// many daemons side by side, each in its own HOME).
fn markers(dir: &Path) -> (Option<String>, Option<String>, Option<String>) {
    let Ok(bytes) = std::fs::read(dir.join("environ")) else {
        return (None, None, None);
    };
    let mut environ = procfs::environ(&bytes);
    (
        environ.remove(PROGRAM_VAR),
        environ.remove(INSTANCE_VAR),
        environ.remove("HOME"),
    )
}

/// SIGKILLs the stale leftovers of dead instances, each only if its pid still names the
/// same process (same start time), through a pidfd opened before that check, so a pid
/// reused after it is never signalled.
pub(super) fn stop_stale(id: &ProgramId, stale: &[procfs::Identity]) {
    for who in stale {
        let Ok(fd) = lifeguard_engine::PidFd::open(who.pid) else {
            continue; // gone already
        };
        if lifeguard_engine::inspect::stat(who.pid).is_some_and(|s| who.matches(&s)) {
            tracing::info!(program = %id, pid = who.pid, "stopping a leftover of a dead instance");
            let _ = fd.send(lifeguard_engine::Signal::KILL);
        }
    }
}
