//! Prometheus metrics (OpenMetrics text) on `/metrics`, loopback only.
//!
//! Gauges are read from an engine snapshot at scrape time, so they are never stale and
//! cost nothing between scrapes; exits by reason are counted from the event stream
//! ([`ExitCounts`]), since a snapshot only knows the last exit.

mod http;
mod render;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use lifeguard_engine::{Event, EventKind, Exit};

pub use http::serve;
pub use render::render;

/// Why the metrics endpoint cannot start.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The bind address does not parse.
    #[error("settings.metrics.bind: {0:?} is not an address — write e.g. \"127.0.0.1:9464\"")]
    BadAddress(String),
    /// The bind address is not a loopback address.
    #[error("settings.metrics.bind: {0} is not a loopback address — metrics are served on 127.0.0.1 or [::1] only; scrape through an SSH tunnel or a local agent")]
    NotLoopback(SocketAddr),
    /// Binding failed (port in use…).
    #[error("cannot listen on {addr} for metrics: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Parses `bind` and refuses anything but a loopback address.
pub fn loopback_addr(bind: &str) -> Result<SocketAddr, MetricsError> {
    let addr: SocketAddr = bind
        .trim()
        .parse()
        .map_err(|_| MetricsError::BadAddress(bind.to_owned()))?;
    if !addr.ip().is_loopback() {
        return Err(MetricsError::NotLoopback(addr));
    }
    Ok(addr)
}

/// Binds the metrics listener on a loopback address.
pub async fn bind(bind: &str) -> Result<tokio::net::TcpListener, MetricsError> {
    let addr = loopback_addr(bind)?;
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| MetricsError::Bind { addr, source })
}

/// Exits per (program, reason) since the daemon started.
#[derive(Debug, Default)]
pub struct ExitCounts {
    counts: Mutex<BTreeMap<(String, String), u64>>,
}

impl ExitCounts {
    /// Counts an `exited` or `spawn_failed` event; other events are ignored.
    pub fn observe(&self, event: &Event) {
        let reason = match (event.kind, event.exit) {
            (EventKind::SpawnFailed, _) => "spawn_failed".to_owned(),
            (EventKind::Exited, Some(exit)) => reason(exit),
            _ => return,
        };
        let key = (event.program.as_str().to_owned(), reason);
        *self.lock().entry(key).or_default() += 1;
    }

    /// A copy of the counts.
    pub fn get(&self) -> BTreeMap<(String, String), u64> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, String), u64>> {
        // Each update is one insert: a poisoned map is still consistent.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The `reason` label: `SIGKILL`… for signals, `exit_<code>` for exit codes, `unknown`.
pub fn reason(exit: Exit) -> String {
    match exit {
        Exit::Code(c) => format!("exit_{c}"),
        Exit::Signal { signal, .. } => signal.to_string(),
        Exit::Unknown => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_loopback() {
        assert!(loopback_addr("127.0.0.1:9464").is_ok());
        assert!(loopback_addr("[::1]:9464").is_ok());
        let err = loopback_addr("0.0.0.0:9464").err().map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("not a loopback"));
        assert!(matches!(
            loopback_addr("localhost"),
            Err(MetricsError::BadAddress(_))
        ));
    }
}
