//! The notice for a program whose windows stopped answering pings (`not_responding`):
//! "X is not responding", with Wait / Restart / Stop protecting. When the automatic
//! restart follows, the restart's own popup replaces it (same key).

use lifeguard_engine::Event;

use super::{Actions, Button, Decision, Key, Notice, Now, Prefs, Recent, CAP};

impl Recent {
    pub(super) fn on_not_responding(
        &mut self,
        e: &Event,
        prefs: &Prefs,
        now: Now,
    ) -> Vec<Decision> {
        let mut out = self.on_deadline(prefs, now);
        let reason = e.reason.clone().unwrap_or_default();
        // The automatic restart's event: its restart popup tells the rest.
        let restarting = reason.ends_with("restarting it");
        if restarting || !prefs.notifies(&e.program) || self.sent.len() >= CAP {
            return out;
        }
        self.sent.push_back(now.ms);
        out.push(Decision::Show(Notice {
            key: Key::Program(e.program.clone()),
            summary: format!("{} is not responding", e.name),
            body: format!("Its windows have been {reason}."),
            icon: prefs.icon(&e.program),
            critical: false,
            actions: Some(Actions {
                program: e.program.clone(),
                buttons: vec![Button::Wait, Button::Restart, Button::StopProtecting],
                fallback: format!(
                    "Restart it from the Lifeguard window, or run: lifeguard restart {}",
                    e.program
                ),
            }),
        }));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lifeguard_engine::{EventKind, ProgramId};

    fn event(reason: &str) -> Event {
        Event {
            ts: 0,
            kind: EventKind::NotResponding,
            program: ProgramId::new("pad").unwrap(),
            name: "Pad".into(),
            pid: Some(7),
            attempt: 0,
            exit: None,
            uptime_ms: None,
            delay_ms: None,
            until: None,
            requested_by: None,
            reason: Some(reason.into()),
        }
    }

    #[test]
    fn a_hang_is_one_popup_with_three_buttons_and_its_restart_none() {
        let mut r = Recent::default();
        let prefs = Prefs::default();
        let now = Now {
            ms: 0,
            utc_offset_s: 0,
        };
        let out = r.on_event(&event("not responding for 30 s"), &prefs, now);
        let [Decision::Show(n)] = out.as_slice() else {
            panic!("{out:?}");
        };
        assert_eq!(n.summary, "Pad is not responding");
        assert!(n.body.contains("30 s"), "{}", n.body);
        let buttons = &n.actions.as_ref().unwrap().buttons;
        assert_eq!(
            buttons,
            &[Button::Wait, Button::Restart, Button::StopProtecting]
        );
        let restart = event("not responding for 60 s: restarting it");
        assert!(r.on_event(&restart, &prefs, now).is_empty());
    }
}
