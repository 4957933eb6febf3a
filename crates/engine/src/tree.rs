//! Finding every process of an instance's tree: its main process and descendants by
//! parentage, plus processes carrying its environment marker (orphans, `setsid`'d
//! daemons), plus our zombie children from the tree's groups and sessions. Scanned only
//! when needed — a death, a stop, a launcher's exit — never periodically.

use std::collections::BTreeSet;

use crate::procfs::Stat;
use crate::{inspect, spawned, subreaper, Instance};

/// The processes of `inst`'s tree as seen now (zombies included), never this process.
pub(crate) fn members(inst: &Instance) -> Vec<Stat> {
    members_scanning(inst, false)
}

/// Like [`members`]; with `every_process`, marked processes are looked for among every
/// process even when our orphans should all be our children: a process being reparented
/// to us can be missing from our `children` lists for a moment (proc(5)).
pub(crate) fn members_scanning(inst: &Instance, every_process: bool) -> Vec<Stat> {
    let me = std::process::id();
    let mut roots = Vec::new();
    if inspect::stat(inst.main.pid).is_some_and(|s| inst.main.matches(&s)) {
        roots.push(inst.main.pid);
    }
    if let Some(marker) = inst.marker() {
        // Our orphans come back to us when we are a subreaper: only our children need a
        // look. Otherwise they went to init, and every process has to be checked.
        // Other programs' main processes are our children too, but never of this tree.
        let candidates = if inst.local && subreaper::enabled() && !every_process {
            spawned::without_mains(inspect::our_children(), inst.main.pid)
        } else {
            inspect::all_pids()
        };
        roots.extend(
            candidates
                .into_iter()
                .filter(|p| inspect::environ_has(*p, &marker)),
        );
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while let Some(pid) = roots.pop() {
        if pid <= 1 || pid == me || !seen.insert(pid) {
            continue;
        }
        if let Some(stat) = inspect::stat(pid) {
            roots.extend(inspect::children_of(pid));
            out.push(stat);
        }
    }
    out.extend(zombies(inst, &out, &seen));
    out
}

/// Our zombie children in the groups or sessions of the tree (a zombie's environment is
/// gone, so its group and session are what tie it to the tree), except the main process,
/// whose watcher reaps it.
fn zombies(inst: &Instance, members: &[Stat], seen: &BTreeSet<u32>) -> Vec<Stat> {
    let groups = groups(inst, members);
    spawned::without_mains(inspect::our_children(), 0)
        .into_iter()
        .filter(|p| *p != inst.main.pid && !seen.contains(p))
        .filter_map(inspect::stat)
        .filter(|s| s.is_zombie() && (groups.contains(&s.pgrp) || groups.contains(&s.session)))
        .collect()
}

/// The process groups and sessions of the tree, never our own: other children of the
/// embedding program live there.
pub(crate) fn groups(inst: &Instance, members: &[Stat]) -> BTreeSet<u32> {
    let mut groups: BTreeSet<u32> = members.iter().flat_map(|s| [s.pgrp, s.session]).collect();
    groups.extend(inst.pgid);
    if let Some(me) = inspect::stat(std::process::id()) {
        groups.remove(&me.pgrp);
        groups.remove(&me.session);
    }
    groups
}

/// The process a launcher handed off to: the oldest live member other than the main.
pub(crate) fn heir(inst: &Instance, members: &[Stat]) -> Option<Stat> {
    members
        .iter()
        .filter(|s| !s.is_zombie() && s.pid != inst.main.pid)
        .min_by_key(|s| (s.start_time, s.pid))
        .copied()
}
