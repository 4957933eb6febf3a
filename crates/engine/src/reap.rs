//! Reaping the zombies we inherit as a subreaper — by pid, never `waitpid(-1)`, which
//! would steal the children of other libraries in the embedding process.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::pidfd::PidFd;
use crate::procfs::Stat;

/// Reaps `pid` if it is a zombie child of ours (no wait; anything else is left alone).
pub(crate) fn reap(pid: u32) {
    if let Ok(fd) = PidFd::open(pid) {
        let _ = fd.try_reap();
    }
}

/// Reaps the zombies among `members` that are our children.
pub(crate) fn reap_zombies(members: &[Stat]) {
    let me = std::process::id();
    for s in members.iter().filter(|s| s.is_zombie() && s.ppid == me) {
        reap(s.pid);
    }
}

/// Once every process in `signalled` has ended, reaps those that are (or by then became,
/// as orphans) our children, and the zombies of the tree left among our children. Runs in
/// the background so a restart does not wait for it. `patience` bounds the wait for each
/// (a process may ignore a stop signal until its SIGKILL, or be stuck in the kernel).
pub(crate) fn when_ended(
    signalled: Vec<PidFd>,
    groups: BTreeSet<u32>,
    except: u32,
    patience: Duration,
) {
    if (signalled.is_empty() && groups.is_empty()) || tokio::runtime::Handle::try_current().is_err()
    {
        return;
    }
    tokio::spawn(async move {
        let started = tokio::time::Instant::now();
        let mut ended = Vec::new();
        for fd in signalled {
            let pid = fd.pid();
            if let Ok(fd) = fd.into_async() {
                let _ = tokio::time::timeout(patience, fd.readable()).await;
                let _ = fd.get_ref().try_reap();
            }
            ended.push(pid);
        }
        // Orphans of killed parents were reparented to us before those parents' pidfds
        // became readable, and a process being reparented can be missing from every
        // children list for a moment (proc(5)), so the tree scan may not have listed it:
        // the group signal still reached it, and nothing else reaps it when no embedder
        // sweeps on SIGCHLD. So sweep until none of our children of the tree is alive
        // (each look is a read of our children and their stat, only after a teardown),
        // then once more a little later.
        loop {
            let left = sweep(&groups, except, &ended);
            if left == 0 || started.elapsed() >= patience {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        sweep(&groups, except, &ended);
    });
}

/// Reaps the zombies among our children that are of `groups` or were `ended`; returns how
/// many of those children are still alive (on their way out).
fn sweep(groups: &BTreeSet<u32>, except: u32, ended: &[u32]) -> usize {
    let mut alive = 0;
    for pid in crate::spawned::without_mains(crate::inspect::our_children(), 0) {
        let Some(s) = crate::inspect::stat(pid) else {
            continue;
        };
        let ours = groups.contains(&s.pgrp) || groups.contains(&s.session);
        if pid == except || !(ours || ended.contains(&pid)) {
            continue;
        }
        if s.is_zombie() {
            reap(pid);
        } else {
            alive += 1;
        }
    }
    alive
}
