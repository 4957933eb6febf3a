//! The history methods: `history` (keyset pages) and `stats`, each read on a blocking
//! thread so a slow disk never holds the socket.

use std::time::Duration;

use lifeguard_engine::{duration, ProgramId};

use super::state::Daemon;
use crate::protocol::methods::*;
use crate::protocol::{ErrorKind, RpcError};

impl Daemon {
    pub(super) async fn history(&self, p: HistoryParams) -> Result<crate::history::Page, RpcError> {
        let db = self.0.options.paths.history_db();
        let filter = crate::history::EventFilter {
            program_id: p.program,
            kinds: p.kinds,
            since_ms: p.since_ms,
            until_ms: p.until_ms,
        };
        let limit = p.limit.unwrap_or(100).clamp(1, 1000);
        // Committed events only: flush so a client sees what just happened.
        let _ = self.0.history.flush().await;
        blocking(move || crate::history::HistoryReader::open(&db)?.page(&filter, p.after, limit))
            .await
    }

    pub(super) async fn stats(
        &self,
        p: StatsParams,
    ) -> Result<Vec<crate::history::ProgramStats>, RpcError> {
        let window = match &p.window {
            Some(w) => {
                let d = duration::parse(w)
                    .map_err(|e| RpcError::invalid_params(format!("window: {e}")))?;
                // No history is kept longer than this.
                let max = crate::config::MAX_HISTORY_AGE;
                lifeguard_engine::ranges::at_most("window", d, max).map_err(|e| {
                    RpcError::invalid_params(format!("window: {} — {}", e.problem, e.fix))
                })?;
                d
            }
            None => Duration::from_secs(7 * 86_400),
        };
        let ids: Vec<ProgramId> = match p.program {
            Some(id) => vec![id],
            None => self
                .0
                .store
                .current()
                .program
                .iter()
                .map(|e| e.spec.id.clone())
                .collect(),
        };
        let db = self.0.options.paths.history_db();
        let _ = self.0.history.flush().await;
        blocking(move || {
            let reader = crate::history::HistoryReader::open(&db)?;
            let now = crate::history::now_ms();
            ids.iter()
                .map(|id| reader.program_stats(id.as_str(), now, window))
                .collect()
        })
        .await
    }
}

pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::history::Result<T> + Send + 'static,
) -> Result<T, RpcError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| RpcError::internal(e.to_string()))?
        .map_err(|e| RpcError::new(ErrorKind::History, e.to_string()))
}
