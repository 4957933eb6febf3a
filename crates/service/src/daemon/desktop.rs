//! The daemon's desktop side: notifications for restarts (`docs/notifications.md`) and
//! the graphical session's environment for the programs it starts.

use crate::notify::{Button, Notifier, Prefs};
use crate::protocol::desktop::MissedList;
use crate::protocol::methods::RemoveParams;

use super::state::Daemon;

impl Daemon {
    /// Starts the notifier on the engine's events. Call before any program is added, so
    /// the first deaths are seen. Never fails: with no bus or no server, restarts go on
    /// and the notifier retries the bus later.
    pub(super) fn start_notifier(&self) {
        let prefs = Prefs::from_config(&self.0.store.current());
        let mut notifier = Notifier::spawn(self.0.sup.subscribe(), prefs);
        if let Some(mut clicks) = notifier.take_retries() {
            let daemon = self.clone();
            tokio::spawn(async move {
                while let Some((id, button)) = clicks.recv().await {
                    daemon.clicked(id, button).await;
                }
            });
        }
        *self.0.notifier.lock().unwrap_or_else(|p| p.into_inner()) = Some(notifier);
    }

    /// A popup's button: "Stop protecting" takes it out of the config too, leaving it
    /// running, exactly as the window's does.
    async fn clicked(&self, id: lifeguard_engine::ProgramId, button: Button) {
        let origin = crate::notify::click_origin(button);
        let sup = &self.0.sup;
        let done = match button {
            Button::TryAgain => sup.retry(&id, origin).await.map_err(|e| e.to_string()),
            Button::Restart => sup.restart(&id, origin).await.map_err(|e| e.to_string()),
            Button::Wait => Ok(()),
            Button::StopProtecting => {
                let p = RemoveParams {
                    program: id.clone(),
                    keep_running: true,
                    origin,
                };
                self.remove(p).await.map(drop).map_err(|e| e.to_string())
            }
        };
        if let Err(e) = done {
            tracing::warn!(program = %id, "{} from a notification failed: {e}", button.label());
        }
    }

    /// Gives the notifier the preferences of the config now in force (after every reload
    /// and every edit).
    pub(super) fn refresh_notify_prefs(&self) {
        let slot = self.0.notifier.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = slot.as_ref() {
            n.set_prefs(Prefs::from_config(&self.0.store.current()));
        }
    }

    /// The notifier's missed restarts (none before it is wired).
    pub(super) fn missed(&self) -> Option<crate::notify::Missed> {
        let slot = self.0.notifier.lock().unwrap_or_else(|p| p.into_inner());
        slot.as_ref().map(|n| n.missed().clone())
    }

    /// What `missed` answers.
    pub(super) fn missed_list(&self) -> MissedList {
        MissedList {
            missed: self.missed().map(|m| m.list()).unwrap_or_default(),
        }
    }

    /// Takes the session environment from the systemd user manager, where there is one.
    /// Without one, the desktop app's `session.env` call provides it later.
    pub(super) fn load_session_env(&self) {
        match crate::session_env::from_systemd_user() {
            Some(env) if !env.is_empty() => self.0.sup.set_session_env(env),
            _ => tracing::debug!("no session environment from the systemd user manager"),
        }
    }
}
