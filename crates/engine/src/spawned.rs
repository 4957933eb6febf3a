//! The main processes this process spawned and has not reaped yet, so a tree scan can
//! skip them: they are our children, but each is the root of its own program's tree, with
//! its own marker. Without this, every death read `/proc/PID/environ` (and `stat`) of every
//! other program's main process to look for marked orphans among our children: work that
//! grew with the number of programs, on the restart path, and with 100 programs killed at
//! once, with the square of it.
//!
//! A pid leaves the set right after its reaping; in the moment between, the pid could be
//! reused by a new orphan of ours, which one scan would then miss (a liveness matter: never
//! a wrong process signalled, and the tree's group and the later sweep still reach it).

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

static MAINS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

fn mains() -> MutexGuard<'static, BTreeSet<u32>> {
    // A panic while holding the lock cannot leave the set half-updated.
    MAINS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Records a main process just spawned.
pub(crate) fn insert(pid: u32) {
    mains().insert(pid);
}

/// Forgets a main process once it is reaped.
pub(crate) fn remove(pid: u32) {
    mains().remove(&pid);
}

/// Whether `pid` is the main process of a program this process started and has not
/// reaped yet: the engine reaps it, and a scan for other zombies can skip it unread.
pub fn is_unreaped_main(pid: u32) -> bool {
    mains().contains(&pid)
}

/// `pids` without the main processes we spawned, except `keep` (the instance's own).
pub(crate) fn without_mains(mut pids: Vec<u32>, keep: u32) -> Vec<u32> {
    let mains = mains();
    pids.retain(|p| *p == keep || !mains.contains(p));
    pids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_other_mains_only() {
        insert(4_000_001);
        insert(4_000_002);
        let left = without_mains(vec![4_000_001, 4_000_002, 4_000_003], 4_000_002);
        assert_eq!(left, [4_000_002, 4_000_003]);
        remove(4_000_001);
        remove(4_000_002);
        assert_eq!(without_mains(vec![4_000_001], 0), [4_000_001]);
    }
}
