//! The coalescing rules behind [`Recent`]: queueing, mass kills, replacing, pauses.

use lifeguard_engine::ProgramId;

use super::{PendingGaveUp, PendingRestart, Recent, COALESCE_MS, PAUSE_DEDUP_MS};
use crate::notify::notice::{Decision, Key, Notice, Now, Prefs};
use crate::notify::text;

impl Recent {
    /// Queues a restart notice; a newer one for the same program replaces the waiting one
    /// (its count is the current one).
    pub(super) fn queue_restart(&mut self, id: &ProgramId, r: PendingRestart) {
        match self.restarts.iter_mut().find(|(p, _)| p == id) {
            Some((_, waiting)) => *waiting = r,
            None => self.restarts.push((id.clone(), r)),
        }
    }

    /// Queues a gave-up notice; it supersedes the program's waiting restart notice.
    pub(super) fn queue_gave_up(&mut self, id: &ProgramId, g: PendingGaveUp) {
        self.restarts.retain(|(p, _)| p != id);
        self.gave_up.retain(|(p, _)| p != id);
        self.gave_up.push((id.clone(), g));
    }

    /// One notice per pause, even though a global pause emits an event per program.
    pub(super) fn on_pause(&mut self, until: Option<u64>, prefs: &Prefs, now: Now) {
        if !prefs.enabled {
            return;
        }
        let repeat = self
            .last_pause
            .is_some_and(|(at, u)| u == until && at + PAUSE_DEDUP_MS > now.ms);
        if repeat {
            return;
        }
        self.last_pause = Some((now.ms, until));
        let (summary, body) = text::paused(until.map(|u| u.saturating_sub(now.ms)));
        self.pending_pause = Some(Notice {
            key: Key::Pause,
            summary,
            body,
            icon: None,
            critical: false,
            actions: None,
        });
    }

    /// The distinct programs in the current burst of restarts, most recent first.
    pub(super) fn mass(&self) -> Vec<(ProgramId, String)> {
        let mut seen: Vec<(ProgramId, String)> = Vec::new();
        for (_, id, name) in self.burst.iter().rev() {
            if !seen.iter().any(|(s, _)| s == id) {
                seen.push((id.clone(), name.clone()));
            }
        }
        seen
    }

    /// The mass-restart summary, replacing the previous summary or the programs' popups.
    pub(super) fn summary(&mut self, now: Now) -> Decision {
        let mass = self.mass();
        let names: Vec<String> = mass.iter().rev().map(|(_, n)| n.clone()).collect();
        let (summary, body) = text::mass_restart(&names);
        let notice = Notice {
            key: Key::Summary,
            summary,
            body,
            icon: None,
            critical: false,
            actions: None,
        };
        let showing = self.summary_at.is_some_and(|t| t + COALESCE_MS > now.ms);
        self.summary_at = Some(now.ms);
        if showing {
            return Decision::Replace {
                id_of: Key::Summary,
                notice,
            };
        }
        let replaces = mass
            .into_iter()
            .filter(|(id, _)| self.recently_shown(id, now))
            .map(|(id, _)| Key::Program(id))
            .collect();
        Decision::Summary { replaces, notice }
    }

    /// One program's restart notice: replaces its popup if it had one within a minute.
    pub(super) fn restart(
        &mut self,
        id: ProgramId,
        r: PendingRestart,
        prefs: &Prefs,
        now: Now,
    ) -> Decision {
        let (summary, body) = text::restarted(&r.name, &r.cause, r.today);
        let key = Key::Program(id.clone());
        let notice = Notice {
            key: key.clone(),
            summary,
            body,
            icon: prefs.icon(&id),
            critical: false,
            actions: None,
        };
        if self.recently_shown(&id, now) {
            Decision::Replace { id_of: key, notice }
        } else {
            Decision::Show(notice)
        }
    }

    fn recently_shown(&self, id: &ProgramId, now: Now) -> bool {
        self.programs
            .get(id)
            .and_then(|p| p.shown_at)
            .is_some_and(|t| t + COALESCE_MS > now.ms)
    }
}
