//! Sends decisions to the desktop's notification server through notify-rust's async (zbus)
//! API, so no call ever blocks the runtime; remembers the ids the server gave back so later
//! notices replace them; turns "Try again" clicks into program ids on a channel.
//!
//! A missing bus or server, or one that errors or hangs, costs one warning: later notices
//! are dropped until a back-off has passed, then the next notice tries again (no timer).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use lifeguard_engine::ProgramId;
use notify_rust::{Hint, Notification, Urgency};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::missed::Missed;
use super::notice::{Button, Decision, Key};

/// How long one D-Bus call may take before the server counts as broken.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// The first back-off after a failure; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(30);
const MAX_BACKOFF: Duration = Duration::from_secs(600);
/// Gave-up popups whose "Try again" is listened for at once (each holds a connection).
const MAX_WAITERS: usize = 16;
/// The action key of "Try again".
pub const RETRY_ACTION: &str = "retry";

/// Why a notice could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// No session bus, no notification server, or the server returned an error.
    #[error("{0}")]
    Bus(#[from] notify_rust::error::Error),
    /// A popup with an action could not be sent on our own connection.
    #[error("{0}")]
    Dbus(#[from] zbus::Error),
    /// The server did not answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The blocking capabilities query could not run.
    #[error("capabilities query failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// The sending half; owned by the sender task.
pub(crate) struct Sender {
    ids: HashMap<Key, u32>,
    /// A private server name (`org.freedesktop.Notifications` when `None`).
    bus: Option<String>,
    actions: Option<bool>,
    /// Whether the server renders markup in bodies (`body-markup`), asked with `actions`.
    markup: bool,
    down: Option<(Instant, Duration)>,
    retries: mpsc::Sender<(ProgramId, Button)>,
    waiters: VecDeque<AbortHandle>,
    /// What could not be shown, for the summary and the `missed` list.
    missed: Missed,
}

impl Sender {
    /// A sender that reports "Try again" clicks on `retries`.
    pub(crate) fn new(
        bus: Option<String>,
        retries: mpsc::Sender<(ProgramId, Button)>,
        missed: Missed,
    ) -> Self {
        Self {
            ids: HashMap::new(),
            bus,
            actions: None,
            markup: false,
            down: None,
            retries,
            waiters: VecDeque::new(),
            missed,
        }
    }

    /// Shows one decision, or drops it while the server is known to be down.
    pub(crate) async fn send(&mut self, decision: Decision) {
        if let Some((retry_at, _)) = self.down {
            if Instant::now() < retry_at {
                tracing::debug!(summary = %decision.notice().summary, "notification skipped: server down");
                self.missed.keep(&decision, super::now().ms);
                return;
            }
        }
        match self.try_send(&decision).await {
            Ok(()) => {
                if self.down.take().is_some() {
                    tracing::info!("desktop notifications work again");
                }
                self.announce_missed().await;
            }
            Err(e) => {
                self.missed.keep(&decision, super::now().ms);
                self.failed(e);
            }
        }
    }

    /// A notification server took the name: the back-off is over, and what was missed is
    /// told in one summary.
    pub(crate) async fn server_appeared(&mut self) {
        tracing::info!("a notification server appeared");
        self.down = None;
        self.actions = None;
        self.ids.clear();
        self.announce_missed().await;
    }

    /// Shows one summary of the missed restarts not announced yet.
    async fn announce_missed(&mut self) {
        let Some(list) = self.missed.to_announce() else {
            return;
        };
        let (title, body) = super::missed::summary_text(&list, super::now().utc_offset_s);
        let mut n = Notification::new();
        n.appname("Lifeguard")
            .summary(&title)
            .body(&body)
            .hint(Hint::DesktopEntry(super::DESKTOP_ENTRY.to_owned()));
        let shown = match &self.bus {
            None => tokio::time::timeout(CALL_TIMEOUT, n.show_async()).await,
            Some(name) => tokio::time::timeout(CALL_TIMEOUT, n.show_async_at_bus(name)).await,
        };
        match shown {
            Ok(Ok(_)) => self.missed.shown(&list),
            Ok(Err(e)) => {
                self.missed.unannounce();
                self.failed(e.into());
            }
            Err(_) => {
                self.missed.unannounce();
                self.failed(NotifyError::Timeout(CALL_TIMEOUT));
            }
        }
    }

    async fn try_send(&mut self, decision: &Decision) -> Result<(), NotifyError> {
        let notice = decision.notice();
        let mut n = Notification::new();
        n.appname("Lifeguard")
            .summary(&notice.summary)
            .hint(Hint::DesktopEntry(super::DESKTOP_ENTRY.to_owned()));
        if let Some(icon) = &notice.icon {
            n.icon(icon);
        }
        if notice.critical {
            n.urgency(Urgency::Critical);
        }
        if let Some(id) = decision.replaces().iter().find_map(|k| self.ids.get(k)) {
            n.id(*id);
        }
        let mut body = notice.body.clone();
        // Asked once per connection spell, for the markup of every notice.
        let actions = self.actions_supported().await;
        let retry = match &notice.actions {
            Some(r) if actions => Some(r.clone()),
            Some(r) => {
                body = format!("{body}\n{}", r.fallback);
                None
            }
            None => None,
        };
        // A server that renders body markup would take a program's name `<b>x</b> & y`
        // as markup (the spec's subset of HTML): escape it. Others show text as it is.
        if self.markup {
            body = super::text::markup_escape(&body);
        }
        if let Some(acts) = retry {
            // A popup with "Try again" is sent on a connection of our own: the server sends
            // its ActionInvoked to the connection that asked for the popup, and that is
            // where we check who sent it (notify-rust's listener takes any bus peer's).
            let popup = super::action::Popup {
                replaces: decision
                    .replaces()
                    .iter()
                    .find_map(|k| self.ids.get(k))
                    .copied(),
                icon: notice.icon.clone(),
                summary: notice.summary.clone(),
                body,
                critical: notice.critical,
                buttons: acts.buttons.clone(),
            };
            let shown = tokio::time::timeout(CALL_TIMEOUT, super::action::show(&popup)).await;
            let (id, conn) = shown.map_err(|_| NotifyError::Timeout(CALL_TIMEOUT))??;
            self.ids.insert(notice.key.clone(), id);
            self.wait_for_retry(conn, id, acts.program);
            return Ok(());
        }
        n.body(&body);
        let shown = match &self.bus {
            None => tokio::time::timeout(CALL_TIMEOUT, n.show_async()).await,
            Some(name) => tokio::time::timeout(CALL_TIMEOUT, n.show_async_at_bus(name)).await,
        };
        let handle = shown.map_err(|_| NotifyError::Timeout(CALL_TIMEOUT))??;
        self.ids.insert(notice.key.clone(), handle.id());
        Ok(())
    }

    /// Whether the server shows action buttons (`GetCapabilities`, which also says
    /// whether it renders body markup), asked once per connection spell. notify-rust only offers a blocking call for it: a blocking thread.
    async fn actions_supported(&mut self) -> bool {
        if self.bus.is_some() {
            return false;
        }
        if let Some(known) = self.actions {
            return known;
        }
        let query = tokio::task::spawn_blocking(notify_rust::get_capabilities);
        let caps = match tokio::time::timeout(CALL_TIMEOUT, query).await {
            Ok(Ok(Ok(caps))) => caps,
            Ok(Ok(Err(e))) => return self.no_caps(e.into()),
            Ok(Err(e)) => return self.no_caps(e.into()),
            Err(_) => return self.no_caps(NotifyError::Timeout(CALL_TIMEOUT)),
        };
        let known = caps.iter().any(|c| c == "actions");
        self.actions = Some(known);
        self.markup = caps.iter().any(|c| c == "body-markup");
        known
    }

    fn no_caps(&mut self, e: NotifyError) -> bool {
        tracing::debug!(error = %e, "GetCapabilities failed; offering no action");
        false
    }

    /// Listens for "Try again" on popup `id`, sent on `conn`, in its own task (until clicked
    /// or closed).
    fn wait_for_retry(&mut self, conn: zbus::Connection, id: u32, program: ProgramId) {
        self.waiters.retain(|w| !w.is_finished());
        if self.waiters.len() >= MAX_WAITERS {
            if let Some(oldest) = self.waiters.pop_front() {
                oldest.abort();
            }
        }
        // Our own listener, not notify-rust's, which takes the signal from any bus peer.
        let task = tokio::spawn(super::action::wait_for_retry(
            conn,
            id,
            program,
            self.retries.clone(),
        ));
        self.waiters.push_back(task.abort_handle());
    }

    fn failed(&mut self, e: NotifyError) {
        let backoff = match self.down {
            None => {
                tracing::warn!(
                    error = %e,
                    "desktop notifications are unavailable (no session bus or notification \
                     server?); programs are still restarted; trying again later"
                );
                FIRST_BACKOFF
            }
            Some((_, b)) => (b * 2).min(MAX_BACKOFF),
        };
        tracing::debug!(error = %e, ?backoff, "notification failed");
        self.down = Some((Instant::now() + backoff, backoff));
        // A new server may have other capabilities; popups of the old one are gone.
        self.actions = None;
        self.markup = false;
        self.ids.clear();
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        for w in &self.waiters {
            w.abort();
        }
    }
}
