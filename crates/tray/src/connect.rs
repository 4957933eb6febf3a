//! Reaching the user's daemon: connect, starting one when nothing listens (through
//! systemd when its user unit is enabled, else as a detached child), and tell it about
//! this desktop session. The tray and the window both use it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use lifeguard_engine::{Origin, RequestedBy};
use lifeguard_service::client::{Client, ClientError};
use lifeguard_service::session_env::SESSION_VARS;

use crate::{daemon_spawn, session_bus};

/// How long a freshly started daemon may take to open its socket.
const DAEMON_START: Duration = Duration::from_secs(10);

/// Connects to the user's daemon, starting one when nothing listens: through systemd
/// when its user unit is enabled (one daemon, the one `systemctl --user` shows), else
/// as this process's own detached child. The tray and the window often find no daemon
/// at the same moment: starts are taken in turn (`daemon-start.lock`), and whoever comes
/// second connects to the daemon the first one started.
pub async fn connect_or_start() -> Result<Client, ClientError> {
    if let Ok(client) = Client::connect_default().await {
        return Ok(client);
    }
    let _turn = start_turn().await;
    match Client::connect_default().await {
        Err(ClientError::NoDaemon { socket }) => {
            let by_systemd = session_bus::start_unit_if_enabled()
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!("systemd could not start {}: {error}", session_bus::UNIT);
                    false
                });
            if by_systemd {
                // systemd's job ends when the daemon says READY=1; wait for the socket.
            } else if let Err(error) = daemon_spawn::start_daemon() {
                tracing::error!(
                    "could not start {}: {error}",
                    daemon_spawn::daemon_binary().display()
                );
                return Err(ClientError::NoDaemon { socket });
            }
            let deadline = Instant::now() + DAEMON_START;
            loop {
                match Client::connect(&socket).await {
                    Err(ClientError::NoDaemon { .. }) if Instant::now() < deadline => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                    outcome => return outcome,
                }
            }
        }
        outcome => outcome,
    }
}

/// How long a daemon that went away gets to come back before the tray or the window
/// starts one: its keeper revives it within a fraction of a second.
const REVIVAL: Duration = Duration::from_secs(2);

/// Waits until a daemon answers again or [`REVIVAL`] has passed. Starting one at once
/// would race the keeper's: the loser's keeper would then hold the programs' exit
/// statuses, and only lend them to the winner through its records.
pub async fn wait_for_revival() {
    let deadline = Instant::now() + REVIVAL;
    while Instant::now() < deadline {
        if Client::connect_default().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tracing::warn!("no daemon came back within {REVIVAL:?}; starting a new one");
}

/// Tells a (new) daemon this desktop session's environment, which programs started
/// later need (DISPLAY, the session bus…). A failure only costs that.
pub async fn give_session_env(client: &Client) {
    let vars: BTreeMap<String, String> = SESSION_VARS
        .iter()
        .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_string(), v)))
        .collect();
    if let Err(error) = client.set_session_env(vars).await {
        tracing::warn!("could not give the daemon this session's environment: {error}");
    }
}

/// Asks the daemon to guard this process (relaunched from `argv` when it dies).
pub async fn ask_to_be_guarded(client: &Client, argv: Vec<String>) {
    let origin = Origin::new(RequestedBy::Tray).with_reason("the tray connected");
    if let Err(error) = client.guard(std::process::id(), argv, None, origin).await {
        tracing::warn!("the daemon cannot guard the tray: {error}");
    }
}

/// Waits for this process's turn to start a daemon; the turn ends when the value is
/// dropped. `None` (no state directory, no lock): start without waiting.
async fn start_turn() -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    let paths = lifeguard_service::paths::Paths::from_env().ok()?;
    std::fs::create_dir_all(&paths.state_dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(paths.state_dir.join("daemon-start.lock"))
        .ok()?;
    tokio::task::spawn_blocking(move || {
        // SAFETY: flock(2) on a descriptor we own; no memory is passed.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        (rc == 0).then_some(file)
    })
    .await
    .ok()
    .flatten()
}
