//! The control socket: a Unix listener in a 0700 directory, the socket itself 0600, and
//! a uid check on every connection (`SO_PEERCRED`), since file modes alone can be
//! loosened by mistake. Each connection is its own task: a slow or hostile client only
//! ever holds up itself.

mod conn;
pub mod line;

use std::future::Future;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tokio::net::UnixListener;
use tokio::sync::watch;

use crate::paths::Paths;
use crate::protocol::RpcError;

pub use conn::Outbox;

/// The socket's file name inside the runtime directory.
pub const SOCKET_NAME: &str = "lifeguard.sock";

/// The control socket's path for these directories: `$LIFEGUARD_SOCKET` if set, else
/// `runtime_dir/lifeguard.sock`.
pub fn socket_path(paths: &Paths) -> PathBuf {
    match std::env::var_os("LIFEGUARD_SOCKET") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => paths.runtime_dir.join(SOCKET_NAME),
    }
}

/// What the daemon does with each request. Implemented by the daemon; tests plug in
/// their own.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request. Streaming methods (subscribe, logs with follow) return their
    /// result and keep sending notifications through `outbox` from a task of their own.
    fn call(
        &self,
        method: String,
        params: Value,
        outbox: Outbox,
    ) -> impl Future<Output = Result<Value, RpcError>> + Send;
}

/// Why the socket could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Creating or securing the directory, or binding the socket, failed.
    #[error("cannot set up the control socket {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The socket's directory belongs to another user: someone could swap the socket.
    #[error("{} belongs to uid {owner}, not to us (uid {us}); remove it or set XDG_RUNTIME_DIR", path.display())]
    NotOurs {
        /// The directory.
        path: PathBuf,
        /// Its owner.
        owner: u32,
        /// Our uid.
        us: u32,
    },
}

/// A bound control socket, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: UnixListener,
    path: PathBuf,
}

/// The process's effective uid.
pub fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

impl Server {
    /// Creates the directory (0700) if needed, replaces a stale socket file and binds.
    /// The caller must hold the daemon lock, which is what makes an existing socket stale.
    pub fn bind(path: &Path) -> Result<Self, ServerError> {
        let io = |p: &Path| {
            let p = p.to_owned();
            move |source| ServerError::Io { path: p, source }
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            secure_dir(dir)?;
        }
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(path)(e)),
            _ => {}
        }
        let listener = UnixListener::bind(path).map_err(io(path))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io(path))?;
        Ok(Self {
            listener,
            path: path.to_owned(),
        })
    }

    /// The socket's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Accepts connections until `stop` turns true, one task per connection. Connections
    /// already open are closed when `stop` turns true.
    pub async fn run<H: Handler>(self, handler: Arc<H>, stop: watch::Receiver<bool>) {
        let uid = euid();
        let mut watch_stop = stop.clone();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let handler = Arc::clone(&handler);
                        tokio::spawn(conn::serve(stream, uid, handler, stop.clone()));
                    }
                    // EMFILE and friends: keep serving the connections we have.
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                },
                () = stopped(&mut watch_stop) => break,
            }
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Creates `dir` with mode 0700, or checks and tightens an existing one we own.
pub fn secure_dir(dir: &Path) -> Result<(), ServerError> {
    let io = |source| ServerError::Io {
        path: dir.to_owned(),
        source,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io)?;
    let meta = std::fs::metadata(dir).map_err(io)?;
    let us = euid();
    if meta.uid() != us {
        return Err(ServerError::NotOurs {
            path: dir.to_owned(),
            owner: meta.uid(),
            us,
        });
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(())
}

/// Resolves once `stop` is true (or its sender is gone). The guard `wait_for` returns is
/// dropped here, so callers' futures stay `Send`.
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}
