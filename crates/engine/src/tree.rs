//! Finding the processes of an instance's tree. Scanned only when needed — a death, a
//! stop, a launcher's exit — never periodically.
//!
//! Two reaches. What is stopped with the program ([`Reach::Own`]) is its main process and
//! whatever stays in the program's own process group or session: descendants by parentage
//! that did not start a session of their own, and orphans carrying its environment marker
//! that are still in its group or session (a killed `sh -c app` wrapper's app). A process
//! that left with `setsid` (a tmux or screen server, a `setsid -f` job, the shell of a
//! terminal) is the user's and is never signalled. Where a launcher's heir is looked for
//! ([`Reach::Launched`]), every process carrying the marker counts, wherever it went: a
//! launcher's hand-off often goes through `setsid`.

use std::collections::BTreeSet;

use crate::procfs::Stat;
use crate::{inspect, spawned, subreaper, Instance};

/// Which processes of an instance a scan gathers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// What belongs to the program and is stopped with it.
    Own,
    /// Everything it started, wherever it went: candidates for a launcher's heir.
    Launched,
}

/// The processes stopped with `inst` as seen now (zombies included), never this process.
pub(crate) fn members(inst: &Instance) -> Vec<Stat> {
    members_scanning(inst, Reach::Own, false)
}

/// The processes of `inst` within `reach`; with `every_process`, marked processes are
/// looked for among every process even when our orphans should all be our children: a
/// process being reparented to us can be missing from our `children` lists for a moment
/// (proc(5)).
pub(crate) fn members_scanning(inst: &Instance, reach: Reach, every_process: bool) -> Vec<Stat> {
    // Read once per scan: a death's scan is on the restart path of every program, and
    // with many programs each listing of our children is as long as their number.
    let me = inspect::stat(std::process::id());
    let children = spawned::without_mains(inspect::our_children(), 0);
    let main = inspect::stat(inst.main.pid).filter(|s| inst.main.matches(s));
    let own = Own::of(inst, main.as_ref(), me.as_ref());
    let within = |s: &Stat| reach == Reach::Launched || own.holds(s);
    let mut roots: Vec<Stat> = main.into_iter().collect();
    if let Some(marker) = inst.marker() {
        // Our orphans come back to us when we are a subreaper: only our children need a
        // look. Otherwise they went to init, and every process has to be checked.
        // Other programs' main processes are our children too, but never of this tree.
        let candidates = if inst.local && subreaper::enabled() && !every_process {
            children.clone()
        } else {
            inspect::all_pids()
        };
        roots.extend(
            candidates
                .into_iter()
                .filter(|p| *p != inst.main.pid)
                .filter(|p| inspect::environ_has(*p, &marker))
                .filter_map(inspect::stat)
                .filter(|s| within(s) || own.started_in(s)),
        );
    }
    let my_pid = std::process::id();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while let Some(stat) = roots.pop() {
        if stat.pid <= 1 || stat.pid == my_pid || !seen.insert(stat.pid) {
            continue;
        }
        roots.extend(
            inspect::children_of(stat.pid)
                .into_iter()
                .filter_map(inspect::stat)
                // A child that started a session of its own left the program.
                .filter(|c| c.session == stat.session || within(c)),
        );
        out.push(stat);
    }
    let groups = groups_except(inst, &out, me.as_ref());
    out.extend(zombies(inst, &children, &seen, &groups));
    out
}

/// The program's own process groups and sessions: the group Lifeguard made for it, and
/// the group and session its main process leads or a launcher's heir started. Never our
/// own: other programs live there.
struct Own {
    groups: BTreeSet<u32>,
    sessions: BTreeSet<u32>,
    /// Our session, where Lifeguard starts programs: a marked process still in it never
    /// left the session it was started in.
    ours: Option<u32>,
}

impl Own {
    fn of(inst: &Instance, main: Option<&Stat>, me: Option<&Stat>) -> Self {
        let mut groups: BTreeSet<u32> = inst.pgid.into_iter().collect();
        let mut sessions: BTreeSet<u32> = inst.session.into_iter().collect();
        if let Some(m) = main {
            if m.pgrp == m.pid {
                groups.insert(m.pid);
            }
            if m.session == m.pid {
                sessions.insert(m.pid);
            }
        }
        if let Some(me) = me {
            groups.remove(&me.pgrp);
            sessions.remove(&me.session);
        }
        Self {
            groups,
            sessions,
            ours: me.map(|m| m.session),
        }
    }

    fn holds(&self, s: &Stat) -> bool {
        self.groups.contains(&s.pgrp) || self.sessions.contains(&s.session)
    }

    /// For a process carrying the marker: whether it is still in the session it was
    /// started in (it moved to another group at most).
    fn started_in(&self, s: &Stat) -> bool {
        self.ours == Some(s.session)
    }
}

/// Our zombie children (`children`, mains excluded) in the tree's `groups` and sessions
/// (a zombie's environment is gone, so its group and session are what tie it to the
/// tree), except the main process, whose watcher reaps it.
fn zombies(
    inst: &Instance,
    children: &[u32],
    seen: &BTreeSet<u32>,
    groups: &BTreeSet<u32>,
) -> Vec<Stat> {
    children
        .iter()
        .filter(|p| **p != inst.main.pid && !seen.contains(p))
        .filter_map(|p| inspect::stat(*p))
        .filter(|s| s.is_zombie() && (groups.contains(&s.pgrp) || groups.contains(&s.session)))
        .collect()
}

/// The process groups and sessions of the tree, never our own: other children of the
/// embedding program live there.
pub(crate) fn groups(inst: &Instance, members: &[Stat]) -> BTreeSet<u32> {
    groups_except(inst, members, inspect::stat(std::process::id()).as_ref())
}

/// [`groups`] with our own stat already read.
fn groups_except(inst: &Instance, members: &[Stat], me: Option<&Stat>) -> BTreeSet<u32> {
    let mut groups: BTreeSet<u32> = members.iter().flat_map(|s| [s.pgrp, s.session]).collect();
    groups.extend(inst.pgid);
    groups.extend(inst.session);
    if let Some(me) = me {
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

/// The session `pid` leads or joined, when it is not ours: how a launcher's heir that
/// started a session of its own keeps its helpers tied to the program.
pub(crate) fn own_session_of(pid: u32, start_time: u64) -> Option<u32> {
    let s = inspect::stat(pid).filter(|s| s.start_time == start_time)?;
    let me = inspect::stat(std::process::id())?;
    (s.session != me.session && s.session > 1).then_some(s.session)
}
