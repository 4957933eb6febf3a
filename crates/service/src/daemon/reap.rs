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

use lifeguard_engine::{inspect, own_children, Observed, PidFd, Supervisor};
use std::collections::HashSet;
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
        let zombies: Vec<(u32, PidFd)> = {
            let _no_spawns = own_children::hold();
            zombie_children()
                .into_iter()
                .filter(|pid| !own_children::is_own(*pid))
                .filter_map(|pid| PidFd::open(pid).ok().map(|fd| (pid, fd)))
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
            // ECHILD: someone else reaped it first, which is all we wanted.
            let _ = fd.try_reap();
        }
    }
}

/// Our children that are zombies. The programs' main processes are the engine's to reap:
/// skipping them unread keeps this sweep from growing with the number of programs.
fn zombie_children() -> Vec<u32> {
    inspect::our_children()
        .into_iter()
        .filter(|p| !lifeguard_engine::is_unreaped_main(*p))
        .filter(|p| inspect::stat(*p).is_some_and(|s| s.is_zombie()))
        .collect()
}
