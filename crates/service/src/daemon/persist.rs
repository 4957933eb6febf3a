//! The daemon's state file (`state.json` in the state directory): the running instance
//! of every program (pid, start time, token, group), so the next daemon re-adopts them
//! instead of starting duplicates — after a SIGKILL of the daemon, or when programs
//! outlive it on purpose — and what the person said: the programs they stopped and the
//! pauses in force, which a restarted daemon keeps.
//!
//! The file names the boot it was written in (`/proc/sys/kernel/random/boot_id`): after a
//! reboot every pid in it names another process, so a file from another boot is ignored.
//! A saved process group is only kept when its leader now is the saved instance (pid and
//! start time) or carries its token (or no process has that pid): a group id reused by
//! someone else is never signalled.
//!
//! A small task fed by the engine's events rewrites it after every event that changes a
//! running instance, coalescing bursts; it is never on a restart's path. The file is
//! written atomically with mode 0600: an adopted program's instance comes with nothing
//! secret today, but the same file may one day carry captured environments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use lifeguard_engine::{procfs, Event, EventKind, Instance, ProgramId, Supervisor, Wanted};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// The file's name in the state directory.
pub(super) const FILE: &str = "state.json";

/// How long a burst of events is gathered before one rewrite.
const SETTLE: Duration = Duration::from_millis(150);

/// What the file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Saved {
    /// Format version.
    pub version: u32,
    /// The boot it was written in; a file from another boot is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_id: Option<String>,
    /// Program id → its running instance.
    pub programs: BTreeMap<ProgramId, Instance>,
    /// What the person said, kept across a restart of the daemon.
    #[serde(default)]
    pub wishes: Wishes,
    /// The session the writing daemon started its programs in: their processes that are
    /// elsewhere left with `setsid` and are the user's (see `running.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
}

/// What the person asked for that a new daemon must not forget.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Wishes {
    /// Programs stopped on purpose (`lifeguard stop`, the window): they stay stopped.
    #[serde(default)]
    pub stopped: BTreeSet<ProgramId>,
    /// The pause of every program, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<Paused>,
    /// Programs with a pause of their own.
    #[serde(default)]
    pub paused_programs: BTreeMap<ProgramId, Paused>,
}

/// A pause: until `until` (ms since the epoch), or until resumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Paused {
    /// Its end, if it has one.
    pub until: Option<u64>,
}

impl Paused {
    /// Its end as a wall-clock time; `Err`: it has ended already.
    pub fn end(self) -> Result<Option<std::time::SystemTime>, ()> {
        match self.until {
            None => Ok(None),
            Some(ms) if i64::try_from(ms).unwrap_or(i64::MAX) > crate::history::now_ms() => {
                Ok(Some(std::time::UNIX_EPOCH + Duration::from_millis(ms)))
            }
            Some(_) => Err(()),
        }
    }
}

/// This process's session; `None` when its leader is outside our PID namespace (the
/// kernel says 0 then: a container, `unshare --pid`, a stand-in service manager).
/// Read from `/proc`, because rustix's `getsid` asserts a non-zero id and so panics there.
pub(super) fn own_session() -> Option<u32> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    lifeguard_engine::procfs::Stat::parse(&text)
        .map(|stat| stat.session)
        .filter(|&sid| sid > 0)
}

/// The sessions programs of the saved daemon and of this one were started in.
pub(super) fn sessions(saved: &Saved) -> Vec<u32> {
    saved.session.into_iter().chain(own_session()).collect()
}

/// The state file of a daemon whose state directory is `dir`.
pub(super) fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// This boot's id, if the kernel says.
fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Reads the file; missing or unreadable is "nothing saved" (a debug log, never fatal:
/// the fallback is starting the programs, which is what happened before adoption). A
/// file from another boot is ignored; saved process groups are checked (see the module).
pub(super) fn load(path: &Path) -> Saved {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            tracing::debug!(file = %path.display(), error = %e, "no saved instances");
            return Saved::default();
        }
    };
    let mut saved: Saved = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        tracing::warn!(file = %path.display(), error = %e, "state file ignored");
        Saved::default()
    });
    let now = boot_id();
    if saved.boot_id.is_some() && now.is_some() && saved.boot_id != now {
        tracing::info!(file = %path.display(), "state file from another boot ignored");
        return Saved::default();
    }
    for (id, instance) in &mut saved.programs {
        if let Some(g) = instance.pgid {
            if !group_is_ours(g, instance) {
                tracing::info!(program = %id, pgid = g, "saved process group now led by another process: it will not be signalled");
                instance.pgid = None;
            }
        }
    }
    saved
}

/// Whether process group `pgid` is still the saved instance's: its leader (the process
/// whose pid is `pgid`) is the saved main process (same start time) or carries the
/// instance's token. With no process of that pid the group is kept: the kernel does not
/// hand out a pid that is still some group's id, so the group is either ours (the leader
/// ended, members remain) or gone (signalling it is then a no-op).
fn group_is_ours(pgid: u32, instance: &Instance) -> bool {
    let dir = PathBuf::from(format!("/proc/{pgid}"));
    let Ok(text) = std::fs::read_to_string(dir.join("stat")) else {
        return true;
    };
    let Some(stat) = procfs::Stat::parse(&text) else {
        return false;
    };
    if stat.pgrp != pgid {
        return false;
    }
    if pgid == instance.main.pid {
        return stat.start_time == instance.main.start_time;
    }
    let Some(token) = &instance.token else {
        return false;
    };
    let marker = format!("{}={token}", lifeguard_engine::INSTANCE_VAR);
    std::fs::read(dir.join("environ")).is_ok_and(|env| procfs::environ_has(&env, &marker))
}

/// What the person said, as the engine has it now.
pub(super) fn wishes(snapshot: &lifeguard_engine::Snapshot) -> Wishes {
    let paused = snapshot.paused.then_some(Paused {
        until: snapshot.paused_until,
    });
    let mut w = Wishes {
        paused,
        ..Wishes::default()
    };
    for p in &snapshot.programs {
        if p.wanted == Wanted::Down && p.instance.is_none() {
            w.stopped.insert(p.id.clone());
        }
        // A program's own pause: with an end it shows as `paused_until`; without one it
        // can only be told apart while no global pause holds it too.
        let own = match (p.paused_until, snapshot.paused) {
            (Some(t), _) => Some(Paused { until: Some(t) }),
            (None, false) if p.paused => Some(Paused { until: None }),
            _ => None,
        };
        if let Some(own) = own {
            w.paused_programs.insert(p.id.clone(), own);
        }
    }
    w
}

/// Writes the running instances of `sup` now, with what the person said.
pub(super) async fn save(sup: &Supervisor, path: &Path) {
    let Ok(snapshot) = sup.snapshot().await else {
        return;
    };
    let wishes = wishes(&snapshot);
    let programs = snapshot
        .programs
        .into_iter()
        .filter_map(|p| p.instance.map(|i| (p.id, i)))
        .collect();
    write(path, programs, wishes).await;
}

/// Records that nothing runs (every program was stopped with the daemon); `wishes` (taken
/// before the shutdown held and stopped everything) are kept.
pub(super) async fn clear(path: &Path, wishes: Wishes) {
    write(path, BTreeMap::new(), wishes).await;
}

async fn write(path: &Path, programs: BTreeMap<ProgramId, Instance>, wishes: Wishes) {
    let saved = Saved {
        version: 1,
        boot_id: boot_id(),
        programs,
        wishes,
        session: own_session(),
    };
    let bytes = match serde_json::to_vec_pretty(&saved) {
        Ok(b) => b,
        Err(e) => return tracing::error!(error = %e, "state not serialized"),
    };
    let path = path.to_owned();
    let written =
        tokio::task::spawn_blocking(move || crate::config::write_atomic(&path, &bytes)).await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "state file not written"),
        Err(e) => tracing::warn!(error = %e, "state file not written"),
    }
}

/// Whether `kind` changes which instance runs, or what the person said.
fn changes_instance(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Started
            | EventKind::Restarted
            | EventKind::HandedOff
            | EventKind::MainChanged
            | EventKind::Adopted
            | EventKind::Exited
            | EventKind::Stopped
            | EventKind::Removed
            | EventKind::NothingLeft
            | EventKind::Paused
            | EventKind::Resumed
    )
}

/// Rewrites the file after events that change a running instance, forever.
pub(super) async fn keep_saved(
    sup: Supervisor,
    mut events: broadcast::Receiver<Event>,
    path: PathBuf,
) {
    loop {
        match events.recv().await {
            Ok(e) if !changes_instance(e.kind) => continue,
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
            Err(broadcast::error::RecvError::Closed) => return,
        }
        // Gather the rest of the burst (a mass kill, a start-up) into one write.
        tokio::time::sleep(SETTLE).await;
        while let Ok(_) | Err(broadcast::error::TryRecvError::Lagged(_)) = events.try_recv() {}
        save(&sup, &path).await;
    }
}
