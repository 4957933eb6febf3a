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
    if signalled.is_empty() || tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    tokio::spawn(async move {
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
        // became readable: sweep our children once more for zombies of the tree. Once
        // more a little later: on a loaded machine a process being reparented to us can
        // be missing from our children lists for a moment (proc(5)), and nothing else
        // reaps it when no embedder sweeps on SIGCHLD.
        sweep(&groups, except, &ended);
        tokio::time::sleep(Duration::from_millis(250)).await;
        sweep(&groups, except, &ended);
    });
}

/// Reaps the zombies among our children that are of `groups` or were `ended`.
fn sweep(groups: &BTreeSet<u32>, except: u32, ended: &[u32]) {
    for pid in crate::spawned::without_mains(crate::inspect::our_children(), 0) {
        let Some(s) = crate::inspect::stat(pid) else {
            continue;
        };
        let ours = groups.contains(&s.pgrp) || groups.contains(&s.session);
        if s.is_zombie() && pid != except && (ours || ended.contains(&pid)) {
            reap(pid);
        }
    }
}
