//! `usage`: the engine's reading of each live instance's tree, taken now and forgotten.
//! Nothing runs between two calls, so an idle daemon still makes no wake-ups.

use crate::protocol::usage::{monotonic_ms, ProgramUsage, UsageReport};
use crate::protocol::RpcError;

use super::state::Daemon;

impl Daemon {
    /// Reads `/proc` for every program that has a live instance.
    pub(super) async fn usage(&self) -> Result<UsageReport, RpcError> {
        let snapshot = self.0.sup.snapshot().await?;
        let instances: Vec<_> = snapshot
            .programs
            .into_iter()
            .filter_map(|p| Some((p.id, p.instance?)))
            .collect();
        tokio::task::spawn_blocking(move || {
            let programs = instances
                .into_iter()
                .map(|(id, instance)| ProgramUsage {
                    id,
                    pid: instance.main.pid,
                    usage: instance.usage(),
                })
                // A tree that ended between the snapshot and the reading is down.
                .filter(|p| p.usage.processes > 0)
                .collect();
            UsageReport {
                at_ms: monotonic_ms(),
                programs,
            }
        })
        .await
        .map_err(|e| RpcError::internal(e.to_string()))
    }
}
