//! The tray's loop (`lifeguard tray`): one instance per user; the icon and the menu on
//! the session bus, registered with every StatusNotifier watcher that appears; a link
//! to the daemon that starts a new daemon when the connection drops and asks the daemon
//! to guard the tray; and the menu's clicks carried out. A single-threaded runtime: the
//! tray waits on the bus and the socket and does nothing in between.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use lifeguard_engine::{Origin, RequestedBy};
use lifeguard_service::client::{Client, ClientError, Update};
use tokio::sync::{mpsc, Notify, RwLock};
use zbus::object_server::SignalEmitter;
use zbus::Connection;

use crate::dbusmenu::{self, DbusMenu, MenuEvent};
use crate::instance::{self, Instance};
use crate::layout::Layout;
use crate::menu::TrayAction;
use crate::model::{TrayIcon, TrayView};
use crate::{autostart, connect, sni, window};

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";

/// Why the tray could not run.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    /// No home directory to find the state directory in.
    #[error(transparent)]
    NoHome(#[from] lifeguard_service::paths::NoHomeDir),
    /// The single-instance lock could not be taken.
    #[error(transparent)]
    Lock(#[from] lifeguard_service::daemon::DaemonError),
    /// The async runtime could not start.
    #[error("cannot start the tray's runtime: {0}")]
    Runtime(#[from] std::io::Error),
    /// The session bus refused the tray.
    #[error("the tray needs the D-Bus session bus: {0}")]
    Bus(#[from] zbus::Error),
}

/// Runs the tray until the person quits it from its menu. Returns at once when another
/// tray of this user runs.
pub fn run() -> Result<(), TrayError> {
    let paths = lifeguard_service::paths::Paths::from_env()?;
    let _lock = match instance::acquire(&paths)? {
        Instance::First(lock) => lock,
        Instance::Running(pid) => {
            let pid = pid.map_or_else(|| "pid unknown".into(), |p| format!("pid {p}"));
            tracing::info!("the Lifeguard tray already runs ({pid})");
            return Ok(());
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve())
}

/// The daemon link: the current client, and whether the tray is quitting.
#[derive(Default)]
struct Link {
    client: RwLock<Option<Arc<Client>>>,
    dirty: Notify,
    /// The daemon's latest snapshot from the event stream (it sends one after each burst
    /// of events); `None` while disconnected or before the first.
    latest: Mutex<Option<lifeguard_engine::Snapshot>>,
    /// The daemon's missed restarts (its `missed` notification), for the menu's line.
    missed: Mutex<Vec<lifeguard_service::notify::MissedRestart>>,
    quitting: std::sync::atomic::AtomicBool,
}

impl Link {
    async fn client(&self) -> Result<Arc<Client>, ClientError> {
        match self.client.read().await.as_ref() {
            Some(client) => Ok(client.clone()),
            None => Err(ClientError::NoDaemon {
                socket: Client::default_socket()?,
            }),
        }
    }

    fn quitting(&self) -> bool {
        self.quitting.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// What the menu shows now, so it changes (and renumbers) only when that changes.
struct Shown {
    view: Option<TrayView>,
    at_login: bool,
    revision: u32,
}

async fn serve() -> Result<(), TrayError> {
    autostart::apply_default();
    let (events, mut clicks) = mpsc::unbounded_channel();
    let at_login = autostart::is_enabled();
    let layout = Arc::new(Mutex::new(Layout::of(None, at_login, 1)));
    let icon = Arc::new(Mutex::new(TrayIcon::Restarting));
    let item = sni::Item {
        icon: icon.clone(),
        events: events.clone(),
    };
    let menu = DbusMenu {
        layout: layout.clone(),
        events,
    };
    let bus = zbus::connection::Builder::session()
        .serve_at(sni::PATH, item)
        .serve_at(dbusmenu::PATH, menu)
        .build()
        .await?;
    let name = format!("org.kde.StatusNotifierItem-{}-1", std::process::id());
    bus.request_name(name.as_str()).await?;
    tokio::spawn(register_with_watchers(bus.clone(), name));

    let link = Arc::new(Link::default());
    tokio::spawn(keep_connected(link.clone()));
    let mut shown = Shown {
        view: None,
        at_login,
        revision: 1,
    };
    loop {
        tokio::select! {
            () = link.dirty.notified() => {
                let latest = link.latest.lock().ok().and_then(|l| l.clone());
                let snapshot = match link.client().await {
                    Ok(_) if latest.is_some() => latest,
                    Ok(client) => client.status().await.ok(),
                    Err(_) => None,
                };
                let missed = link.missed.lock().map(|m| m.clone()).unwrap_or_default();
                let view = snapshot.map(|s| TrayView::of(&s, now_ms()).with_missed(&missed));
                show(&bus, &layout, &icon, &mut shown, view).await;
            }
            event = clicks.recv() => match event {
                Some(MenuEvent::Opening) => {
                    let view = shown.view.clone();
                    show(&bus, &layout, &icon, &mut shown, view).await;
                }
                Some(MenuEvent::Clicked(action)) => {
                    if act(&bus, &link, action).await {
                        return Ok(());
                    }
                }
                None => return Ok(()),
            },
        }
    }
}

/// Puts a view in the menu and the icon, telling the panels when something changed.
async fn show(
    bus: &Connection,
    layout: &Mutex<Layout>,
    icon: &Mutex<TrayIcon>,
    shown: &mut Shown,
    view: Option<TrayView>,
) {
    let at_login = autostart::is_enabled();
    if shown.view == view && shown.at_login == at_login && shown.revision > 1 {
        return;
    }
    shown.revision += 1;
    shown.at_login = at_login;
    let state = view.as_ref().map_or(TrayIcon::Restarting, |v| v.icon);
    if let Ok(mut layout) = layout.lock() {
        *layout = Layout::of(view.as_ref(), at_login, shown.revision);
    }
    shown.view = view;
    let icon_changed = icon.lock().is_ok_and(|mut current| {
        let changed = *current != state;
        *current = state;
        changed
    });
    let signals = async {
        let menu = SignalEmitter::new(bus, dbusmenu::PATH)?;
        DbusMenu::layout_updated(&menu, shown.revision, 0).await?;
        if icon_changed {
            sni::Item::new_icon(&SignalEmitter::new(bus, sni::PATH)?).await?;
        }
        Ok::<(), zbus::Error>(())
    };
    if let Err(error) = signals.await {
        tracing::warn!("could not tell the panel about the tray's change: {error}");
    }
}

/// Carries out a click; true when the tray is to exit.
async fn act(bus: &Connection, link: &Link, action: TrayAction) -> bool {
    match action {
        TrayAction::Open => window::open(Some(bus), None).await,
        TrayAction::ShowProgram(id) => window::open(Some(bus), Some(&id)).await,
        TrayAction::ToggleAutostart => {
            autostart::set(!autostart::is_enabled());
            link.dirty.notify_one();
        }
        action => {
            let quitting = matches!(action, TrayAction::QuitTray | TrayAction::QuitAll);
            if quitting {
                link.quitting
                    .store(true, std::sync::atomic::Ordering::SeqCst);
            }
            if action == TrayAction::QuitAll {
                window::quit(Some(bus)).await;
            }
            let outcome = match link.client().await {
                Ok(client) => ask_daemon(&client, action).await,
                Err(error) => Err(error),
            };
            if let Err(error) = outcome {
                tracing::warn!("tray: {error}");
            }
            // Quitting goes through even without a daemon to tell.
            if quitting {
                return true;
            }
            link.dirty.notify_one();
        }
    }
    false
}

/// The part of a menu click that the daemon carries out.
async fn ask_daemon(client: &Client, action: TrayAction) -> Result<(), ClientError> {
    let tray = || Origin::new(RequestedBy::Tray);
    match action {
        TrayAction::Pause(minutes) => {
            let length = minutes.map(|m| format!("{m}m"));
            client.pause(None, None, length, tray()).await.map(drop)
        }
        TrayAction::Resume => client.resume(None, tray()).await.map(drop),
        // The daemon guards the tray: tell it first that this exit is wanted.
        TrayAction::QuitTray => client.unguard(tray()).await.map(drop),
        TrayAction::QuitAll => {
            let _ = client.unguard(tray()).await;
            client.shutdown(true, tray()).await.map(drop)
        }
        _ => Ok(()),
    }
}

/// Connects, asks to be guarded, follows events until the connection drops, and starts
/// over: a dropped connection means the daemon died, so a new one is started right away.
async fn keep_connected(link: Arc<Link>) {
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
        let mut events = match client.subscribe_with_snapshots().await {
            Ok(events) => events,
            Err(error) => {
                tracing::warn!("cannot subscribe to the daemon's events: {error}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        connect::give_session_env(&client).await;
        if !crate::under_automation() {
            connect::ask_to_be_guarded(&client, crate::tray_argv()).await;
        }
        *link.client.write().await = Some(client);
        link.dirty.notify_one();
        while let Some(update) = events.recv_update().await {
            match update {
                Update::Snapshot(snapshot) => {
                    if let Ok(mut latest) = link.latest.lock() {
                        *latest = Some(*snapshot);
                    }
                }
                Update::Missed(missed) => {
                    if let Ok(mut kept) = link.missed.lock() {
                        *kept = missed;
                    }
                }
                Update::Event(_) => continue,
            }
            link.dirty.notify_one();
        }
        *link.client.write().await = None;
        if let Ok(mut latest) = link.latest.lock() {
            *latest = None;
        }
        if let Ok(mut missed) = link.missed.lock() {
            missed.clear();
        }
        link.dirty.notify_one();
        if !link.quitting() {
            tracing::warn!("the Lifeguard daemon went away");
            connect::wait_for_revival().await;
        }
    }
}

/// Registers the item with the watcher now, and again with every new watcher (a panel
/// restarted, or a tray extension turned on later).
async fn register_with_watchers(bus: Connection, name: String) {
    let register = |bus: Connection, name: String| async move {
        let outcome = bus
            .call_method(
                Some(WATCHER),
                WATCHER_PATH,
                Some(WATCHER),
                "RegisterStatusNotifierItem",
                &(name.as_str(),),
            )
            .await;
        if let Err(error) = outcome {
            tracing::info!("no tray host took the icon yet: {error}");
        }
    };
    let changes = async {
        let proxy = zbus::fdo::DBusProxy::new(&bus).await?;
        proxy
            .receive_name_owner_changed_with_args(&[(0, WATCHER)])
            .await
    };
    let mut changes = match changes.await {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!("cannot follow the tray host: {error}");
            return register(bus, name).await;
        }
    };
    register(bus.clone(), name.clone()).await;
    while let Some(change) = changes.next().await {
        let appeared = change
            .args()
            .is_ok_and(|args| args.new_owner().as_ref().is_some());
        if appeared {
            register(bus.clone(), name.clone()).await;
        }
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
