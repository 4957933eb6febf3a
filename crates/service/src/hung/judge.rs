//! One program's pings and what they say: which of its windows owe an answer since when,
//! and when that becomes "not responding", "restart it" or "responding again". Pure: the
//! pinger (`run.rs`) feeds it the pings it sent and the answers it saw.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::config::window_ping::WindowPing;

/// What the pings of one program say now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// No answer for `after`: tell the user.
    NotResponding(Duration),
    /// No answer for `restart_after`: restart it.
    Restart(Duration),
    /// It answers again after being reported, this long after it stopped.
    Responding(Duration),
}

/// One program's watch: the instance it is about and its unanswered pings.
#[derive(Debug)]
pub(super) struct Watch {
    /// The main process of the instance watched (a new instance starts afresh).
    pub pid: u32,
    /// When each window was first pinged without an answer since.
    pending: BTreeMap<u32, Instant>,
    /// Since when it was reported not responding.
    reported: Option<Instant>,
    restarted: bool,
    /// When its windows are pinged next.
    pub next: Instant,
}

impl Watch {
    /// A fresh watch of the instance `pid`, pinged first at `now`.
    pub fn new(pid: u32, now: Instant) -> Self {
        Self {
            pid,
            pending: BTreeMap::new(),
            reported: None,
            restarted: false,
            next: now,
        }
    }

    /// A ping was sent to `window`: it owes an answer from now, unless it already did.
    pub fn pinged(&mut self, window: u32, now: Instant) {
        self.pending.entry(window).or_insert(now);
    }

    /// Only these windows exist now: a closed window owes nothing.
    pub fn keep(&mut self, windows: &[u32]) {
        self.pending.retain(|w, _| windows.contains(w));
    }

    /// Whether `window` owes an answer.
    pub fn owes(&self, window: u32) -> bool {
        self.pending.contains_key(&window)
    }

    /// `window` answered; once none owes one after a report, it is responding again.
    pub fn answered(&mut self, window: u32, now: Instant) -> Option<Verdict> {
        self.pending.remove(&window)?;
        if !self.pending.is_empty() {
            return None;
        }
        self.restarted = false;
        let since = self.reported.take()?;
        Some(Verdict::Responding(now.saturating_duration_since(since)))
    }

    /// What the unanswered pings say at `now` under `rules` (each verdict once per hang).
    pub fn judge(&mut self, rules: &WindowPing, now: Instant) -> Option<Verdict> {
        let since = *self.pending.values().min()?;
        let silent = now.saturating_duration_since(since);
        let restart = !rules.restart_after.is_zero() && silent >= rules.restart_after;
        if restart && !self.restarted {
            self.restarted = true;
            self.reported.get_or_insert(since);
            return Some(Verdict::Restart(silent));
        }
        if silent >= rules.after && self.reported.is_none() {
            self.reported = Some(since);
            return Some(Verdict::NotResponding(silent));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(restart_after: u64) -> WindowPing {
        WindowPing {
            interval: Duration::from_secs(1),
            after: Duration::from_secs(5),
            restart_after: Duration::from_secs(restart_after),
        }
    }

    #[test]
    fn silence_is_reported_once_then_restarted_once_then_answers_end_it() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut w = Watch::new(7, t0);
        w.pinged(1, t0);
        w.pinged(1, t0 + s(1)); // still owed since t0
        assert_eq!(w.judge(&rules(9), t0 + s(4)), None);
        assert_eq!(
            w.judge(&rules(9), t0 + s(5)),
            Some(Verdict::NotResponding(s(5)))
        );
        assert_eq!(w.judge(&rules(9), t0 + s(6)), None, "once");
        assert_eq!(w.judge(&rules(9), t0 + s(9)), Some(Verdict::Restart(s(9))));
        assert_eq!(w.judge(&rules(9), t0 + s(10)), None, "once");
        assert_eq!(w.answered(1, t0 + s(12)), Some(Verdict::Responding(s(12))));
        assert_eq!(w.judge(&rules(9), t0 + s(13)), None);
    }

    #[test]
    fn answers_in_time_or_closed_windows_are_never_judged() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut w = Watch::new(7, t0);
        w.pinged(1, t0);
        assert_eq!(w.answered(1, t0 + s(1)), None);
        w.pinged(2, t0 + s(2));
        w.keep(&[]);
        assert_eq!(w.judge(&rules(0), t0 + s(60)), None);
        assert_eq!(w.answered(3, t0), None, "an answer nobody owed");
    }
}
