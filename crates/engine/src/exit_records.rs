//! Exit statuses of processes that are not our children. Only a parent learns how its
//! child ended; after a restart of the supervising process, its programs are the
//! children of whatever outlived it. A keeper that is their parent (and a child
//! subreaper) reaps them and records each status; [`ExitRecords`] is how the engine reads
//! such records back, for the adopted processes it watches.

use std::sync::Arc;
use std::time::Duration;

use crate::procfs::Identity;
use crate::Exit;

/// How long a watched process that ended, and is not our child, may wait for its record:
/// its parent records it as soon as it reaps it, within milliseconds.
pub const RECORD_PATIENCE: Duration = Duration::from_secs(1);

/// A source of recorded exit statuses (the service reads the keeper's records).
pub trait ExitRecords: Send + Sync + 'static {
    /// The recorded exit of `who`, if it has been recorded (taking it: each is read once).
    fn take(&self, who: Identity) -> Option<Exit>;
}

/// Waits until `deadline` for the record of `who`, which ended. The caller keeps the
/// deadline across calls: a wait cancelled by the actor's other work (a status request
/// every 50 ms from a window) and polled again must not start its patience over.
pub(crate) async fn wait_for(
    records: &Arc<dyn ExitRecords>,
    who: Identity,
    deadline: tokio::time::Instant,
) -> Option<Exit> {
    loop {
        if let Some(exit) = records.take(who) {
            return Some(exit);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
