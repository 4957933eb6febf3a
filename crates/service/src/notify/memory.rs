//! Notices for a program over its memory limit (`memory_high`). Under the restart action
//! the cause is kept for the restart's popup ("It was using 812 MB, over its 500 MB limit
//! …"); under notify, the program keeps running and a popup says so at once (within the
//! cap, like any other popup).

use lifeguard_engine::{Event, LEFT_RUNNING};

use super::{Decision, Key, Notice, Now, Prefs, Recent, CAP};

/// The restart popup's first sentence for a restart over the memory limit.
pub(super) fn cause(reason: &str) -> String {
    format!("It was {reason}.")
}

impl Recent {
    pub(super) fn on_memory_high(&mut self, e: &Event, prefs: &Prefs, now: Now) -> Vec<Decision> {
        let reason = e.reason.clone().unwrap_or_default();
        let p = self.programs.entry(e.program.clone()).or_default();
        let Some(words) = reason.strip_suffix(LEFT_RUNNING) else {
            p.over_memory = Some(reason);
            return self.on_deadline(prefs, now);
        };
        let mut out = self.on_deadline(prefs, now);
        if !prefs.notifies(&e.program) || self.sent.len() >= CAP {
            return out;
        }
        let words = words.trim_end_matches([';', ' ']);
        self.sent.push_back(now.ms);
        out.push(Decision::Show(Notice {
            key: Key::Program(e.program.clone()),
            summary: format!("{} is using too much memory", e.name),
            body: format!("It is {words}. It was left running."),
            icon: prefs.icon(&e.program),
            critical: false,
            actions: None,
        }));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lifeguard_engine::{EventKind, ProgramId};

    fn event(kind: EventKind, reason: &str) -> Event {
        Event {
            ts: 0,
            kind,
            program: ProgramId::new("hog").unwrap(),
            name: "Hog".into(),
            pid: Some(7),
            attempt: 0,
            exit: None,
            uptime_ms: Some(60_000),
            delay_ms: None,
            until: None,
            requested_by: None,
            reason: Some(reason.into()),
        }
    }

    fn now(ms: u64) -> Now {
        Now {
            ms,
            utc_offset_s: 0,
        }
    }

    #[test]
    fn a_memory_restart_popup_names_the_memory_not_the_stop_signal() {
        let prefs = Prefs::default();
        let mut r = Recent::default();
        let over = "using 812 MB, over its 500 MB limit (3 checks in a row)";
        assert!(r
            .on_event(&event(EventKind::MemoryHigh, over), &prefs, now(0))
            .is_empty());
        r.on_event(&event(EventKind::Exited, "restarted"), &prefs, now(10));
        let out = r.on_event(&event(EventKind::Restarted, ""), &prefs, now(20));
        let body = &out[0].notice().body;
        assert!(
            body.starts_with("It was using 812 MB, over its 500 MB limit"),
            "{body}"
        );
    }

    #[test]
    fn notify_only_shows_a_popup_at_once_and_no_restart() {
        let prefs = Prefs::default();
        let mut r = Recent::default();
        let over =
            format!("using 812 MB, over its 500 MB limit (3 checks in a row); {LEFT_RUNNING}");
        let out = r.on_event(&event(EventKind::MemoryHigh, &over), &prefs, now(0));
        assert_eq!(out.len(), 1, "{out:?}");
        let n = out[0].notice();
        assert_eq!(n.summary, "Hog is using too much memory");
        assert_eq!(
            n.body,
            "It is using 812 MB, over its 500 MB limit (3 checks in a row). It was left running."
        );
    }
}
