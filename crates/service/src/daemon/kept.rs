//! A daemon under a keeper (see [`crate::keeper`]): its engine reads adopted programs'
//! exit statuses from the keeper's records, and it notices the keeper's death at once
//! through a parent-death signal, to take the keeper's place.

use std::sync::Arc;

use lifeguard_engine::{OsSpawner, Supervisor};
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::keeper::records::{self, RecordDir};
use crate::paths::Paths;

/// The engine: with the keeper's records when there is a keeper.
pub(super) fn supervisor(kept_by: Option<u32>, paths: &Paths) -> Supervisor {
    match kept_by {
        Some(_) => {
            let dir = RecordDir(records::dir(&paths.runtime_dir));
            Supervisor::with_spawner(Arc::new(OsSpawner::with_exit_records(Arc::new(dir))))
        }
        None => Supervisor::new(),
    }
}

/// How the keeper's death is noticed.
pub(super) enum Keeper {
    /// No keeper: never gone.
    None,
    /// Gone already when the daemon looked.
    Gone,
    /// The parent-death signal (SIGUSR1) arrives when it (pid `.1`) dies.
    Watched(Signal, u32),
}

impl Keeper {
    /// Returns once the keeper is gone (never without one).
    pub(super) async fn gone(&mut self) {
        match self {
            Keeper::None => std::future::pending().await,
            Keeper::Gone => {}
            Keeper::Watched(sig, keeper) => loop {
                // A SIGUSR1 from anyone else, while the keeper is still our parent, is not
                // its death.
                if sig.recv().await.is_none() || !is_parent(*keeper) {
                    return;
                }
            },
        }
    }
}

/// Asks for SIGUSR1 when the keeper `kept_by` dies, and checks it is still our parent.
pub(super) fn watch(kept_by: Option<u32>) -> std::io::Result<Keeper> {
    let Some(keeper) = kept_by else {
        return Ok(Keeper::None);
    };
    // The handler first, so the signal cannot arrive with its default action (exit).
    let sig = signal(SignalKind::user_defined1())?;
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::USR1))?;
    if !is_parent(keeper) {
        return Ok(Keeper::Gone);
    }
    Ok(Keeper::Watched(sig, keeper))
}

fn is_parent(pid: u32) -> bool {
    rustix::process::getppid().and_then(|parent| u32::try_from(parent.as_raw_nonzero().get()).ok())
        == Some(pid)
}
