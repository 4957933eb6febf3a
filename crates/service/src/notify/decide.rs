//! What to notify: a pure function of (event, recent notifications, preferences, now).
//!
//! No I/O and no clock: [`Recent::on_event`] and [`Recent::on_deadline`] take `now`, and
//! [`Recent::deadline`] says when the caller must call back. Notices that cannot be shown
//! yet wait in `pending` (one per program, the newest count wins) rather than being lost:
//! - the first notice after a quiet spell is shown at once;
//! - later ones wait [`SETTLE_MS`] after the previous popup, so a mass kill arriving
//!   restart by restart becomes one summary instead of a storm;
//! - at most [`CAP`] `Notify` calls per [`CAP_WINDOW_MS`], whatever happens.

use std::collections::{HashMap, VecDeque};

use lifeguard_engine::{Event, EventKind, Exit, ProgramId};

use super::notice::{Actions, Button, Decision, Key, Notice, Now, Prefs};
use super::text;

/// A program restarting again within this long replaces its popup instead of adding one.
pub const COALESCE_MS: u64 = 60_000;
/// More than [`MASS_PROGRAMS`] programs restarting within this long is a mass kill.
pub const MASS_WINDOW_MS: u64 = 10_000;
/// See [`MASS_WINDOW_MS`].
pub const MASS_PROGRAMS: usize = 3;
/// After a popup, later notices wait this long so they can be merged.
pub const SETTLE_MS: u64 = 1_000;
/// The hard cap: at most this many `Notify` calls…
pub const CAP: usize = 5;
/// …per this long.
pub const CAP_WINDOW_MS: u64 = 60_000;
/// Pause events this close together (a global pause emits one per program) are one notice.
pub const PAUSE_DEDUP_MS: u64 = 5_000;

/// The small recent state the decision needs. Start with `Recent::default()`.
#[derive(Debug, Default)]
pub struct Recent {
    programs: HashMap<ProgramId, Program>,
    /// Waiting restart notices, one per program, oldest first.
    restarts: Vec<(ProgramId, PendingRestart)>,
    /// Waiting gave-up notices.
    gave_up: Vec<(ProgramId, PendingGaveUp)>,
    pending_pause: Option<Notice>,
    /// Restarts worth a notice in the last [`MASS_WINDOW_MS`]: (when, id, name).
    burst: VecDeque<(u64, ProgramId, String)>,
    summary_at: Option<u64>,
    sent: VecDeque<u64>,
    last_pause: Option<(u64, Option<u64>)>,
}

#[derive(Debug, Default)]
struct Program {
    paused: bool,
    /// The unasked-for death the next restart answers: (exit, uptime).
    exit: Option<(Option<Exit>, Option<u64>)>,
    day: i64,
    today: u32,
    shown_at: Option<u64>,
    /// Why the next restart happens when it was over its memory limit (`memory_high`).
    over_memory: Option<String>,
}

#[derive(Debug)]
struct PendingRestart {
    name: String,
    cause: String,
    today: u32,
}

#[derive(Debug)]
struct PendingGaveUp {
    name: String,
    reason: Option<String>,
}

impl Recent {
    /// Takes in one engine event; returns what to show now (often nothing).
    pub fn on_event(&mut self, e: &Event, prefs: &Prefs, now: Now) -> Vec<Decision> {
        let p = self.programs.entry(e.program.clone()).or_default();
        match e.kind {
            // Kills a pause leaves alone are not remembered, so they are never notified.
            EventKind::Exited if !p.paused => p.exit = Some((e.exit, e.uptime_ms)),
            EventKind::Restarted => {
                // No death before it: a restart someone asked for (restart, resume, retry).
                if let Some((exit, uptime)) = p.exit.take() {
                    if p.day != now.day() {
                        (p.day, p.today) = (now.day(), 0);
                    }
                    p.today += 1;
                    let today = p.today;
                    let over_memory = p.over_memory.take();
                    if prefs.notifies(&e.program) {
                        let cause = over_memory
                            .map(|why| memory::cause(&why))
                            .unwrap_or_else(|| text::cause(exit, uptime));
                        let name = e.name.clone();
                        self.burst
                            .push_back((now.ms, e.program.clone(), name.clone()));
                        let r = PendingRestart { name, cause, today };
                        self.queue_restart(&e.program, r);
                    }
                }
            }
            EventKind::GaveUp => {
                p.exit = None;
                if prefs.notifies(&e.program) {
                    let (name, reason) = (e.name.clone(), e.reason.clone());
                    self.queue_gave_up(&e.program, PendingGaveUp { name, reason });
                }
            }
            EventKind::Started | EventKind::Stopped => {
                p.exit = None;
                p.over_memory = None;
            }
            EventKind::MemoryHigh => return self.on_memory_high(e, prefs, now),
            EventKind::NotResponding => return self.on_not_responding(e, prefs, now),
            EventKind::Paused => {
                p.paused = true;
                // Quitting Lifeguard holds restarts while it stops; that is no pause the
                // person could resume from the tray, so it is not announced as one.
                if !text::is_shutdown_hold(e.reason.as_deref()) {
                    self.on_pause(e.until, prefs, now);
                }
            }
            EventKind::Resumed => p.paused = false,
            EventKind::Removed => {
                self.programs.remove(&e.program);
                self.restarts.retain(|(id, _)| id != &e.program);
                self.gave_up.retain(|(id, _)| id != &e.program);
            }
            _ => {}
        }
        self.on_deadline(prefs, now)
    }

    /// When to call [`Recent::on_deadline`] (ms since the epoch), if anything is waiting.
    pub fn deadline(&self) -> Option<u64> {
        if self.restarts.is_empty() && self.gave_up.is_empty() && self.pending_pause.is_none() {
            return None;
        }
        let settled = self.sent.back().map_or(0, |t| t + SETTLE_MS);
        let capped = match self.sent.len().checked_sub(CAP) {
            Some(i) => self.sent.get(i).map_or(0, |t| t + CAP_WINDOW_MS),
            None => 0,
        };
        Some(settled.max(capped))
    }

    /// Shows what was waiting, as far as the settle time and the cap allow.
    pub fn on_deadline(&mut self, prefs: &Prefs, now: Now) -> Vec<Decision> {
        while self
            .sent
            .front()
            .is_some_and(|t| t + CAP_WINDOW_MS <= now.ms)
        {
            self.sent.pop_front();
        }
        while self
            .burst
            .front()
            .is_some_and(|b| b.0 + MASS_WINDOW_MS <= now.ms)
        {
            self.burst.pop_front();
        }
        // Switched off meanwhile: what waited is dropped, not shown later.
        self.gave_up.retain(|(id, _)| prefs.notifies(id));
        self.restarts.retain(|(id, _)| prefs.notifies(id));
        if self.deadline().is_none_or(|d| d > now.ms) {
            return Vec::new();
        }
        let mut room = CAP.saturating_sub(self.sent.len());
        let mut out = Vec::new();
        // Most important first: what stays true for long, then what needs the person.
        if room > 0 {
            if let Some(n) = self.pending_pause.take() {
                out.push(Decision::PausedNotice(n));
                room -= 1;
            }
        }
        let taken = room.min(self.gave_up.len());
        for (id, g) in self.gave_up.drain(..taken).collect::<Vec<_>>() {
            out.push(gave_up_notice(&id, g, prefs));
        }
        room -= taken;
        if room > 0 && !self.restarts.is_empty() && self.mass().len() > MASS_PROGRAMS {
            self.restarts.clear();
            out.push(self.summary(now));
        } else {
            let taken = room.min(self.restarts.len());
            for (id, r) in self.restarts.drain(..taken).collect::<Vec<_>>() {
                out.push(self.restart(id, r, prefs, now));
            }
        }
        for d in &out {
            self.sent.push_back(now.ms);
            let individual = matches!(d, Decision::Show(_) | Decision::Replace { .. });
            if let (true, Key::Program(id)) = (individual, &d.notice().key) {
                self.programs.entry(id.clone()).or_default().shown_at = Some(now.ms);
            }
        }
        out
    }
}

#[path = "coalesce.rs"]
mod coalesce;

#[path = "memory.rs"]
mod memory;

#[path = "hung.rs"]
mod hung;

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;

fn gave_up_notice(id: &ProgramId, g: PendingGaveUp, prefs: &Prefs) -> Decision {
    let (summary, body, fallback) = text::gave_up(&g.name, id, g.reason.as_deref());
    Decision::GaveUp(Notice {
        key: Key::Program(id.clone()),
        summary,
        body,
        icon: prefs.icon(id),
        critical: true,
        actions: Some(Actions {
            program: id.clone(),
            buttons: vec![Button::TryAgain],
            fallback,
        }),
    })
}
