//! The daemon as a child subreaper: descendants orphaned by a program (a launcher that
//! forked and exited, a helper left behind) are reparented to the daemon rather than to
//! init, so they stay within reach — and the daemon must reap them when they die.
//!
//! Reaping is by pid, never `waitpid(-1)`, which would steal the exit statuses tokio waits
//! for on the engine's own children: on SIGCHLD, zombie children of ours that the engine
//! does not own (by the snapshot taken after listing them) are reaped.

use std::collections::HashSet;

use lifeguard_engine::{Observed, Supervisor};
use tokio::signal::unix::{signal, SignalKind};

/// Makes this process a child subreaper (`PR_SET_CHILD_SUBREAPER`).
pub fn become_subreaper() -> std::io::Result<()> {
    // SAFETY: prctl(2) with integer arguments only.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Reaps orphans on every SIGCHLD, until the process ends. Sleeps between signals.
pub async fn reap_orphans(sup: Supervisor) {
    let Ok(mut sigchld) = signal(SignalKind::child()) else {
        tracing::warn!("cannot watch SIGCHLD; orphaned descendants will not be reaped");
        return;
    };
    while sigchld.recv().await.is_some() {
        let zombies = zombie_children();
        if zombies.is_empty() {
            continue;
        }
        // Taken after the listing: a pid the engine still owns shows up as running or
        // stopping until tokio has reaped it.
        let Ok(snapshot) = sup.snapshot().await else {
            return;
        };
        let owned: HashSet<u32> = snapshot
            .programs
            .iter()
            .filter_map(|p| match p.state {
                Observed::Running { pid, .. } | Observed::Stopping { pid, .. } => Some(pid),
                _ => None,
            })
            .collect();
        for pid in zombies.into_iter().filter(|p| !owned.contains(p)) {
            let Ok(pid) = i32::try_from(pid) else {
                continue;
            };
            let mut status = 0;
            // SAFETY: waitpid on one pid with a valid out pointer; WNOHANG never blocks.
            unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
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
        for pid in text
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
        {
            if is_zombie(pid) {
                out.push(pid);
            }
        }
    }
    out
}

fn is_zombie(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the command name, which is in parentheses and may hold spaces.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|state| state == "Z")
}
