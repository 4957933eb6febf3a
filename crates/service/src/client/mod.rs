//! [`Client`]: the async client of the daemon's socket, shared by the CLI and the desktop
//! app. One typed method per RPC method; streams (`subscribe`, `logs` with follow) use a
//! connection of their own, so a stream never delays the answers to other calls.

mod conn;
mod desktop;
mod methods;
mod stream;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::Mutex;

use crate::paths::Paths;
use crate::protocol::{Method, RpcError};

use conn::Conn;
pub use stream::{LogFollow, Subscription, Update};

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Nothing listens on the socket (no file, or connection refused).
    #[error("no daemon running (nothing listens on {}) — start one with `lifeguard daemon` (or systemctl --user start lifeguard)", socket.display())]
    NoDaemon {
        /// The socket tried.
        socket: PathBuf,
    },
    /// The daemon answered with an error; branch on `.kind()`.
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// The connection failed or closed mid-call (the daemon died or shut down).
    #[error("lost the connection to the daemon on {}", socket.display())]
    Io {
        /// The socket.
        socket: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The daemon sent something that is not the expected answer (a version mismatch?).
    #[error("unexpected answer from the daemon: {0}")]
    Protocol(String),
    /// The user's directories could not be found, so neither could the socket.
    #[error(transparent)]
    NoHome(#[from] crate::paths::NoHomeDir),
}

/// A client of one daemon. Calls on one `Client` are serialized on one connection; clone
/// the socket path into another `Client` for parallel calls.
#[derive(Debug)]
pub struct Client {
    socket: PathBuf,
    conn: Mutex<Option<Conn>>,
    next_id: AtomicU64,
}

impl Client {
    /// Connects to the daemon listening on `socket`.
    pub async fn connect(socket: impl AsRef<Path>) -> Result<Self, ClientError> {
        let socket = socket.as_ref().to_owned();
        let conn = Conn::open(&socket).await?;
        Ok(Self {
            socket,
            conn: Mutex::new(Some(conn)),
            next_id: AtomicU64::new(1),
        })
    }

    /// Connects to the current user's daemon (`$LIFEGUARD_SOCKET`, else the runtime
    /// directory's `lifeguard.sock`).
    pub async fn connect_default() -> Result<Self, ClientError> {
        Self::connect(Self::default_socket()?).await
    }

    /// Where [`Client::connect_default`] looks.
    pub fn default_socket() -> Result<PathBuf, ClientError> {
        Ok(crate::server::socket_path(&Paths::from_env()?))
    }

    /// The socket this client talks to.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Calls any method by its type. A connection lost earlier is reopened first (never
    /// in the middle of a call, so a request is never sent twice).
    pub async fn call<M: Method>(&self, params: M::Params) -> Result<M::Result, ClientError> {
        let params =
            serde_json::to_value(params).map_err(|e| ClientError::Protocol(e.to_string()))?;
        let value = self.call_raw(M::NAME, params).await?;
        serde_json::from_value(value)
            .map_err(|e| ClientError::Protocol(format!("{} result: {e}", M::NAME)))
    }

    /// Calls a method by name with untyped params (for scripts and forwarding shells).
    pub async fn call_raw(&self, method: &str, params: Value) -> Result<Value, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut guard = self.conn.lock().await;
        if guard.is_none() {
            *guard = Some(Conn::open(&self.socket).await?);
        }
        let Some(conn) = guard.as_mut() else {
            return Err(ClientError::Protocol("no connection".into()));
        };
        let outcome = conn.call(id, method, params).await;
        if matches!(outcome, Err(ClientError::Io { .. })) {
            // Reconnect now without resending (the request may have been applied): if
            // nothing listens any more, say so, which is what callers act on.
            *guard = None;
            match Conn::open(&self.socket).await {
                Ok(fresh) => *guard = Some(fresh),
                Err(e @ ClientError::NoDaemon { .. }) => return Err(e),
                Err(_) => {}
            }
        }
        outcome
    }
}
