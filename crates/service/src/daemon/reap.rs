//! Reaping the orphans the daemon inherits as a child subreaper (the engine's
//! [`enable_child_subreaper`](lifeguard_engine::enable_child_subreaper)): descendants
//! orphaned by a program (a launcher that forked and exited, a helper left behind) are
//! reparented to the daemon, and must be reaped when they die.
//!
//! Who owns which zombie: whoever started one of the daemon's own short-lived children
//! (a health-check command, `systemctl`) waits for it, so those are registered in
//! [`own_children`] and skipped. The engine owns every program's main process (the one started,
//! adopted or handed off to), whose exit status it records — the daemon never touches
//! those (they are read from the snapshot, taken after the listing, so a main process
//! that is a zombie is still listed as running). Everything else is an orphan that
//! nobody waits for, and the daemon reaps it on SIGCHLD. The engine's teardown of a tree
//! also reaps the zombies of that tree it meets; both sides reap by pidfd (`waitid
//! P_PIDFD`), never `waitpid(-1)` and never by a bare pid, so whichever comes second
//! just finds nothing (ECHILD) and a reused pid is never waited for.

use std::collections::HashSet;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use lifeguard_engine::{own_children, Observed, Supervisor};
use tokio::signal::unix::{signal, SignalKind};

/// Reaps orphans on every SIGCHLD, until the process ends. Sleeps between signals.
pub async fn reap_orphans(sup: Supervisor) {
    let Ok(mut sigchld) = signal(SignalKind::child()) else {
        tracing::warn!("cannot watch SIGCHLD; orphaned descendants will not be reaped");
        return;
    };
    while sigchld.recv().await.is_some() {
        // Pidfds first: from here on these pids cannot be reused under us. Our own
        // children (health-check commands…) are waited for by whoever started them:
        // reaping one would hand them ECHILD (a spurious health failure).
        let zombies: Vec<(u32, OwnedFd)> = {
            let _no_spawns = own_children::hold();
            zombie_children()
                .into_iter()
                .filter(|pid| !own_children::is_own(*pid))
                .filter_map(|pid| pidfd_open(pid).map(|fd| (pid, fd)))
                .collect()
        };
        if zombies.is_empty() {
            continue;
        }
        let Ok(snapshot) = sup.snapshot().await else {
            return;
        };
        let owned: HashSet<u32> = snapshot
            .programs
            .iter()
            .filter_map(|p| p.instance.as_ref().map(|i| i.main.pid))
            .chain(snapshot.programs.iter().filter_map(|p| match p.state {
                Observed::Running { pid, .. } | Observed::Stopping { pid, .. } => Some(pid),
                _ => None,
            }))
            .collect();
        for (_, fd) in zombies.iter().filter(|(pid, _)| !owned.contains(pid)) {
            reap(fd);
        }
    }
}

/// Our children that are zombies, from `/proc/self/task/*/children`.
fn zombie_children() -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for task in tasks.flatten() {
        let Ok(text) = std::fs::read_to_string(task.path().join("children")) else {
            continue;
        };
        out.extend(
            lifeguard_engine::procfs::children(&text)
                .into_iter()
                // The programs' main processes are the engine's to reap: skipping them
                // unread keeps this sweep from growing with the number of programs.
                .filter(|p| !lifeguard_engine::is_unreaped_main(*p) && is_zombie(*p)),
        );
    }
    out
}

fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|t| lifeguard_engine::procfs::Stat::parse(&t))
        .is_some_and(|s| s.is_zombie())
}

fn pidfd_open(pid: u32) -> Option<OwnedFd> {
    let raw = i32::try_from(pid).ok()?;
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, raw, 0) };
    let fd = i32::try_from(fd).ok().filter(|fd| *fd >= 0)?;
    // SAFETY: the kernel just gave us this fd; nobody else owns it.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Reaps the process behind `fd` if it is our child and has ended (no wait).
fn reap(fd: &OwnedFd) {
    let Ok(id) = libc::id_t::try_from(fd.as_raw_fd()) else {
        return;
    };
    // SAFETY: an all-zero siginfo_t is a valid value for waitid to overwrite.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: waitid on exactly this pidfd, writing into `info`; WNOHANG never blocks.
    unsafe { libc::waitid(libc::P_PIDFD, id, &mut info, libc::WEXITED | libc::WNOHANG) };
}
