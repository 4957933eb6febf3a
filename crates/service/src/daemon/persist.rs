//! The daemon's state file (`state.json` in the state directory): the running instance
//! of every program (pid, start time, token, group), so the next daemon re-adopts them
//! instead of starting duplicates — after a SIGKILL of the daemon, or when programs
//! outlive it on purpose.
//!
//! A small task fed by the engine's events rewrites it after every event that changes a
//! running instance, coalescing bursts; it is never on a restart's path. The file is
//! written atomically with mode 0600: an adopted program's instance comes with nothing
//! secret today, but the same file may one day carry captured environments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lifeguard_engine::{Event, EventKind, Instance, ProgramId, Supervisor};
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
    /// Program id → its running instance.
    pub programs: BTreeMap<ProgramId, Instance>,
    /// The session the writing daemon started its programs in: their processes that are
    /// elsewhere left with `setsid` and are the user's (see `running.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
}

/// This process's session.
pub(super) fn own_session() -> Option<u32> {
    // SAFETY: getsid(0) takes a plain integer and touches no memory.
    let sid = unsafe { libc::getsid(0) };
    u32::try_from(sid).ok()
}

/// The sessions programs of the saved daemon and of this one were started in.
pub(super) fn sessions(saved: &Saved) -> Vec<u32> {
    saved.session.into_iter().chain(own_session()).collect()
}

/// The state file of a daemon whose state directory is `dir`.
pub(super) fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// Reads the file; missing or unreadable is "nothing saved" (a debug log, never fatal:
/// the fallback is starting the programs, which is what happened before adoption).
pub(super) fn load(path: &Path) -> Saved {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            tracing::debug!(file = %path.display(), error = %e, "no saved instances");
            return Saved::default();
        }
    };
    serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        tracing::warn!(file = %path.display(), error = %e, "state file ignored");
        Saved::default()
    })
}

/// Writes the running instances of `sup` now.
pub(super) async fn save(sup: &Supervisor, path: &Path) {
    let Ok(snapshot) = sup.snapshot().await else {
        return;
    };
    let programs = snapshot
        .programs
        .into_iter()
        .filter_map(|p| p.instance.map(|i| (p.id, i)))
        .collect();
    write(path, programs).await;
}

/// Records that nothing runs (every program was stopped with the daemon).
pub(super) async fn clear(path: &Path) {
    write(path, BTreeMap::new()).await;
}

async fn write(path: &Path, programs: BTreeMap<ProgramId, Instance>) {
    let saved = Saved {
        version: 1,
        programs,
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

/// Whether `kind` changes which instance runs.
fn changes_instance(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Started
            | EventKind::Restarted
            | EventKind::HandedOff
            | EventKind::Adopted
            | EventKind::Exited
            | EventKind::Stopped
            | EventKind::Removed
            | EventKind::NothingLeft
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
