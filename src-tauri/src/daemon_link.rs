//! The app's link to the daemon: connect (starting a daemon when none runs), forward its
//! events to the window as one typed event stream, keep the tray in step, and start a new
//! daemon at once when the connection drops (the daemon was killed): "process roulette"
//! hits Lifeguard too.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lifeguard_engine::{Origin, RequestedBy, Snapshot};
use lifeguard_service::client::{Client, ClientError, Update};
use lifeguard_service::session_env::SESSION_VARS;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::{Notify, RwLock};

use crate::{daemon_spawn, session_bus, tray};

/// Tauri event carrying one engine event (its flat JSON line object).
pub const EVENT: &str = "lifeguard://event";
/// Tauri event carrying the daemon's whole snapshot after a burst of events: the state
/// the window shows, as the engine's machine moved it.
pub const SNAPSHOT: &str = "lifeguard://snapshot";
/// Tauri event saying whether the app is connected to a daemon.
pub const CONNECTION: &str = "lifeguard://connection";

/// How long a freshly started daemon may take to open its socket.
const DAEMON_START: Duration = Duration::from_secs(10);

/// Shared state: the current client, if connected.
#[derive(Default)]
pub struct DaemonLink {
    client: RwLock<Option<Arc<Client>>>,
    /// Woken whenever the tray should be rebuilt from the latest snapshot.
    tray_dirty: Notify,
    /// The daemon's latest snapshot from the event stream; `None` while disconnected.
    latest: std::sync::Mutex<Option<Snapshot>>,
    /// Set when the person quit the tray: stop restarting the daemon.
    quitting: std::sync::atomic::AtomicBool,
}

impl DaemonLink {
    /// The connected client, or the `no_daemon` error the UI shows.
    pub async fn client(&self) -> Result<Arc<Client>, ClientError> {
        match self.client.read().await.as_ref() {
            Some(client) => Ok(client.clone()),
            None => Err(ClientError::NoDaemon {
                socket: Client::default_socket()?,
            }),
        }
    }

    /// Asks for the tray to be rebuilt from the latest snapshot.
    pub fn refresh_tray(&self) {
        self.tray_dirty.notify_one();
    }

    fn set_latest(&self, snapshot: Option<Snapshot>) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = snapshot;
        }
        self.refresh_tray();
    }

    fn latest(&self) -> Option<Snapshot> {
        self.latest.lock().ok().and_then(|latest| latest.clone())
    }

    /// Stops the link from starting daemons (the app is quitting).
    pub fn quit(&self) {
        self.quitting
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn quitting(&self) -> bool {
        self.quitting.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Starts the link's tasks; returns at once.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    app.manage(DaemonLink::default());
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { keep_connected(handle).await });
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { keep_tray_fresh(handle).await });
}

/// Connects, forwards events until the connection drops, and starts over: a dropped
/// connection means the daemon died, so a new one is started right away.
async fn keep_connected<R: Runtime>(app: AppHandle<R>) {
    let link = app.state::<DaemonLink>();
    loop {
        if link.quitting() {
            return;
        }
        let client = match connect_or_start().await {
            Ok(client) => Arc::new(client),
            Err(error) => {
                tracing::warn!("cannot reach or start the Lifeguard daemon: {error}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let mut updates = match client.subscribe_with_snapshots().await {
            Ok(events) => events,
            Err(error) => {
                tracing::warn!("cannot subscribe to the daemon's events: {error}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        introduce(&client).await;
        *link.client.write().await = Some(client);
        let _ = app.emit(CONNECTION, serde_json::json!({ "connected": true }));
        while let Some(update) = updates.recv_update().await {
            match update {
                Update::Event(event) => {
                    let _ = app.emit(EVENT, &*event);
                }
                Update::Snapshot(snapshot) => {
                    let _ = app.emit(SNAPSHOT, &*snapshot);
                    link.set_latest(Some(*snapshot));
                }
            }
        }
        *link.client.write().await = None;
        link.set_latest(None);
        let _ = app.emit(CONNECTION, serde_json::json!({ "connected": false }));
        tracing::warn!("the Lifeguard daemon went away");
        wait_for_revival().await;
    }
}

/// How long a daemon that went away gets to come back before this app starts one: its
/// keeper revives it within a fraction of a second.
const REVIVAL: Duration = Duration::from_secs(2);

/// Waits until a daemon answers again or [`REVIVAL`] has passed. Starting one at once
/// would race the keeper's: the loser's keeper would then hold the programs' exit
/// statuses, and only lends them to the winner through its records.
async fn wait_for_revival() {
    let deadline = Instant::now() + REVIVAL;
    while Instant::now() < deadline {
        if Client::connect_default().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tracing::warn!("no daemon came back within {REVIVAL:?}; starting a new one");
}

/// Tells a (new) daemon about this desktop session: its environment, which programs
/// started later need (DISPLAY, the session bus…), and this app's pid, so the daemon
/// relaunches the app if it is killed. Failures only cost those extras.
async fn introduce(client: &Client) {
    let vars: BTreeMap<String, String> = SESSION_VARS
        .iter()
        .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_string(), v)))
        .collect();
    if let Err(error) = client.set_session_env(vars).await {
        tracing::warn!("could not give the daemon this session's environment: {error}");
    }
    // Under WebDriver the test harness owns the app's life: a relaunch would outlive it.
    if crate::under_automation() {
        return;
    }
    let argv = match std::env::current_exe() {
        Ok(exe) => vec![exe.display().to_string(), crate::HIDDEN_FLAG.to_string()],
        Err(error) => return tracing::warn!("cannot find this app's binary: {error}"),
    };
    let origin = Origin::new(RequestedBy::Tray).with_reason("the desktop app connected");
    if let Err(error) = client.guard(std::process::id(), argv, None, origin).await {
        tracing::warn!("the daemon cannot guard this app: {error}");
    }
}

/// Connects to the user's daemon, starting one when nothing listens: through systemd
/// when its user unit is enabled (one daemon, the one `systemctl --user` shows), else
/// as this app's own detached child.
async fn connect_or_start() -> Result<Client, ClientError> {
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

/// Rebuilds the tray from the latest snapshot the event stream brought whenever asked;
/// snapshots arriving during a rebuild coalesce into one more.
async fn keep_tray_fresh<R: Runtime>(app: AppHandle<R>) {
    let link = app.state::<DaemonLink>();
    loop {
        link.tray_dirty.notified().await;
        tray::update(&app, link.latest().as_ref());
    }
}
