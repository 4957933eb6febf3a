//! Restarts the person was not told about because no notification server answered (a
//! login race, none installed): kept, bounded and coalesced per program, for one summary
//! when a server appears and for the `missed` list of the tray and the window.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::notice::{Decision, Key};

/// Programs kept at most; the oldest goes first.
pub const MAX_MISSED: usize = 50;

/// One program's restarts that no popup showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissedRestart {
    /// The program's id.
    pub program: String,
    /// The popup's title that was not shown, e.g. "Firefox restarted".
    pub title: String,
    /// How many popups about it were missed.
    pub count: u32,
    /// When the last one was missed, in ms since the Unix epoch.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_ms: u64,
}

/// The shared list: the sender adds to it, the daemon reads and clears it, and its
/// subscribers hear of each change (no timer).
#[derive(Debug, Clone)]
pub struct Missed(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changed: watch::Sender<()>,
}

impl Default for Missed {
    fn default() -> Self {
        Self(Arc::new(Shared {
            state: Mutex::default(),
            changed: watch::Sender::new(()),
        }))
    }
}

#[derive(Debug, Default)]
struct State {
    list: VecDeque<MissedRestart>,
    /// Whether the summary of the present list was shown already.
    announced: bool,
}

impl Missed {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes when the list changes (kept, shown, dismissed); read it with [`Missed::list`].
    pub fn changes(&self) -> watch::Receiver<()> {
        self.0.changed.subscribe()
    }

    fn touch(&self) {
        self.0.changed.send_replace(());
    }

    /// Keeps a decision that could not be shown (only those about one program).
    pub(crate) fn keep(&self, decision: &Decision, at_ms: u64) {
        let notice = decision.notice();
        let Key::Program(id) = &notice.key else {
            return;
        };
        let mut s = self.lock();
        s.announced = false;
        let count = match s.list.iter().position(|m| m.program == id.as_str()) {
            Some(i) => s.list.remove(i).map_or(0, |m| m.count),
            None => 0,
        };
        s.list.push_back(MissedRestart {
            program: id.as_str().to_owned(),
            title: notice.summary.clone(),
            count: count.saturating_add(1),
            at_ms,
        });
        while s.list.len() > MAX_MISSED {
            s.list.pop_front();
        }
        drop(s);
        self.touch();
    }

    /// The missed restarts, oldest first.
    pub fn list(&self) -> Vec<MissedRestart> {
        self.lock().list.iter().cloned().collect()
    }

    /// Forgets them (the person saw or dismissed the list).
    pub fn dismiss(&self) {
        let mut s = self.lock();
        let had = !s.list.is_empty();
        s.list.clear();
        s.announced = false;
        drop(s);
        if had {
            self.touch();
        }
    }

    /// Forgets the entries a summary showed (`shown`, from [`Missed::to_announce`]);
    /// restarts kept since stay, for the next summary.
    pub(crate) fn shown(&self, shown: &[MissedRestart]) {
        let mut s = self.lock();
        s.list.retain(|m| !shown.contains(m));
        s.announced = false;
        drop(s);
        self.touch();
    }

    /// The list for a summary not shown yet, marking it shown.
    pub(crate) fn to_announce(&self) -> Option<Vec<MissedRestart>> {
        let mut s = self.lock();
        if s.announced || s.list.is_empty() {
            return None;
        }
        s.announced = true;
        Some(s.list.iter().cloned().collect())
    }

    /// Undoes [`Missed::to_announce`] when the summary could not be shown.
    pub(crate) fn unannounce(&self) {
        self.lock().announced = false;
    }
}

/// The summary popup's title and body: "3 restarts while you were away", one line each.
pub fn summary_text(list: &[MissedRestart], utc_offset_s: i32) -> (String, String) {
    let total: u32 = list.iter().map(|m| m.count).sum();
    let title = match total {
        1 => "1 restart while you were away".to_owned(),
        n => format!("{n} restarts while you were away"),
    };
    let body = list
        .iter()
        .map(|m| format!("{} at {}", m.title, clock(m.at_ms, utc_offset_s)))
        .collect::<Vec<_>>()
        .join("\n");
    (title, body)
}

/// `HH:MM` local time.
fn clock(at_ms: u64, utc_offset_s: i32) -> String {
    let local_s = i64::try_from(at_ms / 1000)
        .unwrap_or(i64::MAX)
        .saturating_add(i64::from(utc_offset_s));
    let day_s = local_s.rem_euclid(86_400);
    format!("{:02}:{:02}", day_s / 3600, (day_s % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(program: &str, count: u32, at_ms: u64) -> MissedRestart {
        MissedRestart {
            program: program.into(),
            title: format!("{program} restarted"),
            count,
            at_ms,
        }
    }

    #[test]
    fn summary_counts_every_missed_popup_and_names_the_time() {
        let list = [entry("a", 2, 3_600_000), entry("b", 1, 7_260_000)];
        let (title, body) = summary_text(&list, 0);
        assert_eq!(title, "3 restarts while you were away");
        assert_eq!(body, "a restarted at 01:00\nb restarted at 02:01");
    }

    #[test]
    fn a_shown_summary_clears_only_what_it_showed() {
        let missed = Missed::default();
        let mut changes = missed.changes();
        missed
            .0
            .state
            .lock()
            .unwrap()
            .list
            .push_back(entry("a", 1, 1));
        let shown = missed.to_announce().unwrap();
        assert!(missed.to_announce().is_none(), "announced once");
        missed
            .0
            .state
            .lock()
            .unwrap()
            .list
            .push_back(entry("b", 1, 2));
        missed.shown(&shown);
        assert_eq!(missed.list(), vec![entry("b", 1, 2)]);
        assert!(changes.has_changed().unwrap());
        changes.mark_unchanged();
        missed.dismiss();
        assert!(missed.list().is_empty());
        assert!(changes.has_changed().unwrap());
    }
}
