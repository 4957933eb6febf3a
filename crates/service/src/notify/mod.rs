//! Desktop notifications for restarts: useful, never a storm (see `docs/notifications.md`).
//!
//! Three parts, one direction: engine events → [`Recent`] (the pure decision: what to show,
//! what it replaces, what waits) → the sender (notify-rust over zbus, never blocking; the
//! server's ids; "Try again" clicks). [`Notifier::spawn`] runs the first two arrows in one
//! task and the sender in another, so supervision never waits on D-Bus: the engine's
//! broadcast does not block its sender, and a slow notification server only delays popups.
//!
//! The daemon's wiring:
//!
//! ```no_run
//! # use lifeguard_engine::Supervisor;
//! # use lifeguard_service::{config::Config, notify::{Notifier, Prefs}};
//! # async fn wire(supervisor: Supervisor, config: Config, new_config: Config) {
//! let mut notifier = Notifier::spawn(supervisor.subscribe(), Prefs::from_config(&config));
//! notifier.retry_with(supervisor.clone()); // "Try again" → Supervisor::retry
//! // …on every config reload:
//! notifier.set_prefs(Prefs::from_config(&new_config));
//! // Keep `notifier` alive as long as the daemon runs: dropping it stops notifications.
//! # }
//! ```

mod action;
pub mod decide;
pub mod icon;
pub mod missed;
pub mod notice;
mod sender;
pub mod text;
mod watch_server;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lifeguard_engine::{Event, Origin, ProgramId, RequestedBy, Supervisor};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;

pub use decide::Recent;
pub use missed::{Missed, MissedRestart};
pub use notice::{Actions, Button, Decision, Key, Notice, Now, Prefs, ProgramPrefs};
pub use sender::{NotifyError, RETRY_ACTION};

/// The desktop entry every notice names (the `desktop-entry` hint), so GNOME files
/// them, and lets them be muted, under Lifeguard: the name of the installed
/// `org.lifeguard.Lifeguard.desktop` (packaging/deb), which is also the app's id.
pub const DESKTOP_ENTRY: &str = "org.lifeguard.Lifeguard";

/// Where notices go.
#[derive(Clone, Debug, Default)]
pub struct NotifierOptions {
    /// A private server name instead of the desktop's `org.freedesktop.Notifications`
    /// (notify-rust's `show_async_at_bus`); tests use a name nobody owns.
    pub bus: Option<String>,
}

/// Starts notifiers.
pub struct Notifier;

impl Notifier {
    /// Notifies about `events` on the desktop's notification server, per `prefs`.
    pub fn spawn(events: broadcast::Receiver<Event>, prefs: Prefs) -> NotifierHandle {
        Self::spawn_with(events, prefs, NotifierOptions::default())
    }

    /// [`Notifier::spawn`] with options. Must be called inside a tokio runtime.
    pub fn spawn_with(
        events: broadcast::Receiver<Event>,
        prefs: Prefs,
        options: NotifierOptions,
    ) -> NotifierHandle {
        let (prefs_tx, prefs_rx) = watch::channel(prefs);
        let (retry_tx, retry_rx) = mpsc::channel(16);
        // Bounded: if the server hangs, decisions beyond this are dropped, not hoarded.
        let (decision_tx, mut decision_rx) = mpsc::channel::<Decision>(32);
        let missed = Missed::default();
        let name = options.bus.clone();
        let mut sender = sender::Sender::new(options.bus, retry_tx, missed.clone());
        let (appeared_tx, mut appeared_rx) = mpsc::channel::<()>(1);
        let sending = tokio::spawn(async move {
            loop {
                tokio::select! {
                    d = decision_rx.recv() => match d {
                        Some(d) => sender.send(d).await,
                        None => return,
                    },
                    Some(()) = appeared_rx.recv() => sender.server_appeared().await,
                }
            }
        });
        let deciding = tokio::spawn(decide_loop(events, prefs_rx, decision_tx));
        let watching = tokio::spawn(watch_server::watch(name, appeared_tx));
        NotifierHandle {
            prefs: prefs_tx,
            retries: Some(retry_rx),
            missed,
            tasks: vec![deciding, sending, watching],
        }
    }
}

/// A running notifier. Dropping it stops it.
pub struct NotifierHandle {
    prefs: watch::Sender<Prefs>,
    retries: Option<mpsc::Receiver<(ProgramId, Button)>>,
    missed: Missed,
    tasks: Vec<JoinHandle<()>>,
}

impl NotifierHandle {
    /// The restarts no popup could show (no notification server answered), until
    /// dismissed.
    pub fn missed(&self) -> &Missed {
        &self.missed
    }

    /// Applies new preferences (after a config reload) from the next event on.
    pub fn set_prefs(&self, prefs: Prefs) {
        self.prefs.send_replace(prefs);
    }

    /// The buttons clicked ("Try again", "Restart", …) and the program each is about,
    /// for the caller to act on (once: later calls return `None`).
    /// [`NotifierHandle::retry_with`] does it for you.
    pub fn take_retries(&mut self) -> Option<mpsc::Receiver<(ProgramId, Button)>> {
        self.retries.take()
    }

    /// Acts on clicks through `supervisor` (with the origin "ui", reason "notification:
    /// <button>"): "Try again" retries, "Restart" restarts, "Stop protecting" releases it
    /// (an embedder that keeps a config should take the clicks itself and remove it there).
    pub fn retry_with(&mut self, supervisor: Supervisor) {
        let Some(mut clicks) = self.take_retries() else {
            return;
        };
        self.tasks.push(tokio::spawn(async move {
            while let Some((id, button)) = clicks.recv().await {
                let origin = click_origin(button);
                let done = match button {
                    Button::TryAgain => supervisor.retry(&id, origin).await,
                    Button::Restart => supervisor.restart(&id, origin).await,
                    Button::StopProtecting => supervisor.release(&id, origin).await.map(drop),
                    Button::Wait => Ok(()),
                };
                if let Err(e) = done {
                    tracing::warn!(program = %id, error = %e, "{} from a notification failed", button.label());
                }
            }
        }));
    }
}

impl Drop for NotifierHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// The origin of a click on `button`: the window's user, "notification: <label>".
pub fn click_origin(button: Button) -> Origin {
    Origin::new(RequestedBy::Ui).with_reason(format!("notification: {}", button.label()))
}

async fn decide_loop(
    mut events: broadcast::Receiver<Event>,
    prefs: watch::Receiver<Prefs>,
    out: mpsc::Sender<Decision>,
) {
    let mut recent = Recent::default();
    loop {
        let wait = recent.deadline().map(|d| d.saturating_sub(now().ms));
        let decisions = tokio::select! {
            e = events.recv() => match e {
                Ok(e) => recent.on_event(&e, &prefs.borrow(), now()),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "notifier fell behind the engine's events");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            () = sleep(wait) => recent.on_deadline(&prefs.borrow(), now()),
        };
        for d in decisions {
            if out.try_send(d).is_err() {
                tracing::debug!("notification dropped: the sender is behind");
            }
        }
    }
}

async fn sleep(ms: Option<u64>) {
    match ms {
        Some(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
        None => std::future::pending().await,
    }
}

pub(crate) fn now() -> Now {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let utc_offset_s = chrono::Local::now().offset().local_minus_utc();
    Now { ms, utc_offset_s }
}
