//! Readiness for systemd (`Type=notify`): `READY=1` to `$NOTIFY_SOCKET` once the daemon's
//! socket listens. The protocol is one datagram, so no libsystemd is needed.
//!
//! The variable is taken out of the environment at start-up, before any thread exists,
//! so programs the daemon starts do not inherit a socket that is not theirs.

use std::ffi::OsString;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::sync::OnceLock;

static SOCKET: OnceLock<Option<OsString>> = OnceLock::new();

/// Takes `$NOTIFY_SOCKET` out of the environment. Call first in `main`, single-threaded.
pub fn take_from_env() {
    let value = std::env::var_os("NOTIFY_SOCKET");
    if value.is_some() {
        // Single-threaded at this point: nothing reads the environment concurrently.
        std::env::remove_var("NOTIFY_SOCKET");
    }
    let _ = SOCKET.set(value);
}

/// Whether systemd started this daemon and waits for its readiness (`$NOTIFY_SOCKET` was
/// set). The keeper keeps the variable, so the daemon it starts is the one that answers.
pub fn under_systemd() -> bool {
    matches!(SOCKET.get(), Some(Some(_)))
}

/// Tells systemd the daemon is ready; does nothing when systemd did not ask.
pub fn ready() {
    let Some(Some(path)) = SOCKET.get() else {
        return;
    };
    if let Err(error) = send(path, b"READY=1") {
        tracing::warn!("could not tell systemd the daemon is ready: {error}");
    }
}

fn send(path: &OsString, message: &[u8]) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_bytes();
    let address = match bytes.strip_prefix(b"@") {
        // A leading '@' names Linux's abstract namespace.
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            SocketAddr::from_abstract_name(name)?
        }
        None => SocketAddr::from_pathname(std::path::Path::new(path))?,
    };
    let socket = UnixDatagram::unbound()?;
    socket.send_to_addr(message, &address)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_ready_to_a_path_socket() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).expect("bind");
        send(&path.clone().into_os_string(), b"READY=1").expect("send");
        let mut buf = [0u8; 32];
        let n = listener.recv(&mut buf).expect("recv");
        assert_eq!(&buf[..n], b"READY=1");
    }
}
