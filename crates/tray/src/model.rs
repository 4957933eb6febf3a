//! What the tray shows, as a pure function of the daemon's snapshot: the icon for the
//! overall state, the summary line (Linux trays show no tooltips, so the menu's first line
//! says it in words) and one line per program.

use lifeguard_engine::{Observed, ProgramSnapshot, Snapshot};
use lifeguard_service::notify::MissedRestart;

/// The id under which the daemon guards the desktop app (filtered out of the menu).
pub use lifeguard_service::protocol::desktop::DESKTOP_PROGRAM as SELF_ID;

/// The tray icon's image: one per overall state, in `icons/tray-*.png`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrayIcon {
    /// Every protected program is where it is wanted.
    Ok,
    /// Something is starting or waiting to restart.
    Restarting,
    /// The crash-loop breaker gave up on something.
    GaveUp,
    /// Protection is paused.
    Paused,
}

/// The tray's content for one snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayView {
    /// The icon's image.
    pub icon: TrayIcon,
    /// The menu's first line, e.g. "4 programs protected, all running".
    pub summary: String,
    /// Whether protection is paused (the menu offers "Resume" instead of "Pause").
    pub paused: bool,
    /// One `(program id, label)` per program, in the snapshot's order.
    pub programs: Vec<(String, String)>,
    /// "3 restarts while you were away": the restarts no notification showed, until a
    /// summary popup showed them or the person dismissed them.
    pub missed: Option<String>,
}

impl TrayView {
    /// Derives the tray's content from a snapshot taken at `now_ms` (ms since the epoch).
    pub fn of(snapshot: &Snapshot, now_ms: u64) -> TrayView {
        // The app itself is guarded by the daemon like a program, but it is not one of
        // the person's programs.
        let programs: Vec<&ProgramSnapshot> = snapshot
            .programs
            .iter()
            .filter(|p| p.id.as_str() != SELF_ID)
            .collect();
        let count = |f: fn(&Observed) -> bool| programs.iter().filter(|p| f(&p.state)).count();
        let gave_up = count(|s| matches!(s, Observed::GaveUp { .. }));
        let restarting = count(|s| matches!(s, Observed::Backoff { .. } | Observed::Starting));
        let running = count(|s| matches!(s, Observed::Running { .. }));
        let total = programs.len();
        let noun = if total == 1 { "program" } else { "programs" };
        let (icon, summary) = if snapshot.paused {
            let until = match snapshot.paused_until {
                Some(end) => format!(" for {} more", minutes(end.saturating_sub(now_ms))),
                None => " until resumed".to_string(),
            };
            (TrayIcon::Paused, format!("Protection paused{until}"))
        } else if total == 0 {
            (TrayIcon::Ok, "No programs protected yet".to_string())
        } else if gave_up > 0 {
            (
                TrayIcon::GaveUp,
                format!("{gave_up} of {total} {noun} gave up"),
            )
        } else if restarting > 0 {
            let summary = format!("{total} {noun} protected, {restarting} restarting");
            (TrayIcon::Restarting, summary)
        } else if running == total {
            let all = if total == 1 { "running" } else { "all running" };
            (TrayIcon::Ok, format!("{total} {noun} protected, {all}"))
        } else {
            (
                TrayIcon::Ok,
                format!("{total} {noun} protected, {running} running"),
            )
        };
        TrayView {
            icon,
            summary,
            paused: snapshot.paused,
            programs: programs
                .iter()
                .map(|p| (p.id.to_string(), label(p, now_ms)))
                .collect(),
            missed: None,
        }
    }

    /// The view with the daemon's missed restarts (the `missed` list) in its menu line.
    pub fn with_missed(mut self, missed: &[MissedRestart]) -> TrayView {
        let total: u32 = missed.iter().map(|m| m.count).sum();
        self.missed = match total {
            0 => None,
            1 => Some("1 restart while you were away".to_string()),
            n => Some(format!("{n} restarts while you were away")),
        };
        self
    }
}

/// "Firefox — running", "Firefox — restarting in 3 s", …
fn label(program: &ProgramSnapshot, now_ms: u64) -> String {
    let state = match &program.state {
        Observed::Running { .. } if program.spec.sd_notify && !program.ready => {
            "starting (not ready yet)".to_string()
        }
        Observed::Running { .. } if program.paused => "running (paused)".to_string(),
        Observed::Running { .. } => match &program.talk_status {
            Some(said) => format!("running: {said}"),
            None => "running".to_string(),
        },
        Observed::Starting => "starting".to_string(),
        Observed::Stopping { .. } => "stopping".to_string(),
        Observed::Stopped => "stopped".to_string(),
        Observed::Backoff { next_restart, .. } => {
            let secs = next_restart.saturating_sub(now_ms).div_ceil(1000);
            format!("restarting in {secs} s")
        }
        Observed::Held { .. } => "paused, down".to_string(),
        Observed::Exited { .. } if program.unprotected.is_some() => "not protected".to_string(),
        Observed::Exited { .. } => "exited".to_string(),
        Observed::GaveUp { .. } => "gave up".to_string(),
    };
    match program.deaths_note() {
        Some(note) => format!("{} — {state}, {note}", program.name),
        None => format!("{} — {state}", program.name),
    }
}

/// A remaining time in whole minutes, rounded up, for the summary line.
fn minutes(ms: u64) -> String {
    let minutes = ms.div_ceil(60_000).max(1);
    if minutes >= 60 && minutes.is_multiple_of(60) {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
