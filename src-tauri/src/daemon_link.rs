//! The window's link to the daemon: connect (starting a daemon when none runs), forward
//! its events to the window as one typed event stream, and start a new daemon at once
//! when the connection drops (the daemon was killed): "process roulette" hits Lifeguard
//! too. The tray (`lifeguard tray`) keeps its own link; this one lives with the window.

use std::sync::Arc;
use std::time::Duration;

use lifeguard_service::client::{Client, ClientError, Update};
use lifeguard_tray::connect;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::RwLock;

/// Tauri event carrying one engine event (its flat JSON line object).
pub const EVENT: &str = "lifeguard://event";
/// Tauri event carrying the daemon's snapshot (what `status` returns) after each burst
/// of events: the window assigns it, and works out no state of its own.
pub const SNAPSHOT: &str = "lifeguard://snapshot";
/// Tauri event carrying the restarts no notification showed (`{"missed": [...]}`), once
/// on connecting and on every change of the list.
pub const MISSED: &str = "lifeguard://missed";
/// Tauri event saying whether the app is connected to a daemon.
pub const CONNECTION: &str = "lifeguard://connection";

/// Shared state: the current client, if connected.
#[derive(Default)]
pub struct DaemonLink {
    client: RwLock<Option<Arc<Client>>>,
    /// Set when the person quit Lifeguard: stop restarting the daemon.
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

    /// Stops the link from starting daemons (the app is quitting).
    pub fn quit(&self) {
        self.quitting
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn quitting(&self) -> bool {
        self.quitting.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Starts the link's task; returns at once.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    app.manage(DaemonLink::default());
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { keep_connected(handle).await });
}

/// Connects, forwards events until the connection drops, and starts over: a dropped
/// connection means the daemon died, so a new one is started right away.
async fn keep_connected<R: Runtime>(app: AppHandle<R>) {
    let link = app.state::<DaemonLink>();
    loop {
        if link.quitting() {
            return;
        }
        let client = match connect::connect_or_start().await {
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
        connect::give_session_env(&client).await;
        *link.client.write().await = Some(client);
        let _ = app.emit(CONNECTION, serde_json::json!({ "connected": true }));
        while let Some(update) = updates.recv_update().await {
            match update {
                Update::Event(event) => {
                    let _ = app.emit(EVENT, &*event);
                }
                Update::Snapshot(snapshot) => {
                    let _ = app.emit(SNAPSHOT, &*snapshot);
                }
                Update::Missed(missed) => {
                    let _ = app.emit(MISSED, serde_json::json!({ "missed": missed }));
                }
            }
        }
        *link.client.write().await = None;
        let _ = app.emit(CONNECTION, serde_json::json!({ "connected": false }));
        if !link.quitting() {
            tracing::warn!("the Lifeguard daemon went away");
            connect::wait_for_revival().await;
        }
    }
}
