//! Transitions for single-instance apps: a start that handed its request to a copy
//! already running (a quick exit 0, nothing left, and the embedder's [`FindCopy`] hook
//! found the copy). Part of the pure machine (no I/O).
//!
//! [`FindCopy`]: crate::FindCopy

use std::time::Instant;

use super::inputs::emit;
use super::{Action, Machine, Note, State};
use crate::{EventKind, Exit};

impl Machine {
    /// The exited start handed its request to `copy`, already running: watch it as this
    /// program's instance (event `adopted`), so it is restarted when it dies.
    pub(super) fn handed_to_copy(&mut self, copy: u32, now: Instant) -> Vec<Action> {
        let State::Seeking {
            pid,
            uptime,
            attempt,
            exit: Exit::Code(0),
        } = self.state
        else {
            // Only a clean exit hands over; anything else is what it was without a copy.
            return self.nothing_left(now);
        };
        self.state = State::Running {
            pid: copy,
            since: now,
            attempt,
            heir: false,
            adopted: false,
        };
        let took = crate::duration::words(uptime);
        vec![emit(Note {
            pid: Some(copy),
            attempt,
            reason: Some(format!(
                "PID {pid} exited 0 after {took}: handed to the copy already running \
                 (PID {copy}); watching it"
            )),
            ..Note::new(EventKind::Adopted)
        })]
    }

    /// Nothing of the tree left and no copy found: recorded as before (`nothing_left`),
    /// and the state says that protection is not active, and why.
    pub(super) fn no_copy(&mut self, now: Instant) -> Vec<Action> {
        let out = self.nothing_left(now);
        if let State::Exited { .. } = self.state {
            self.unprotected = Some(
                "not protected: it exited 0 at once and left nothing running, and no copy of \
                 it already running was found to watch (a single-instance app whose running \
                 copy is not this user's, or a launcher whose program did not stay up); \
                 start it again to retry"
                    .to_owned(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::Input;
    use super::*;
    use crate::{ProgramId, ProgramSpec, Signal};

    const MS: Duration = Duration::from_millis(1);

    /// A machine whose start (pid 100) just exited `exit` after 47 ms: seeking an heir.
    fn seeking(exit: Exit, t0: Instant) -> Machine {
        let spec = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
        let mut m = Machine::new(spec, 1);
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 100 }, t0);
        let out = m.step(Input::Died { exit }, t0 + 47 * MS);
        assert_eq!(out, [Action::FindHeir]);
        m
    }

    #[test]
    fn a_start_handed_to_a_running_copy_watches_that_copy() {
        let t0 = Instant::now();
        let mut m = seeking(Exit::Code(0), t0);
        let out = m.step(Input::Copy { pid: 555 }, t0 + 48 * MS);
        let [Action::Emit(note)] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert_eq!(note.kind, EventKind::Adopted);
        assert_eq!(note.pid, Some(555));
        assert_eq!(
            note.reason.as_deref(),
            Some(
                "PID 100 exited 0 after 47 ms: handed to the copy already running (PID 555); \
                 watching it"
            )
        );
        assert!(matches!(m.state, State::Running { pid: 555, .. }));
        assert_eq!(m.unprotected, None);
        // The copy's death is an ordinary death: restarted by the policy.
        let out = m.step(
            Input::Died {
                exit: Exit::Signal {
                    signal: Signal::KILL,
                    core_dumped: false,
                },
            },
            t0 + Duration::from_secs(30),
        );
        assert!(out.contains(&Action::Spawn), "{out:?}");
    }

    #[test]
    fn no_copy_to_watch_says_protection_is_not_active_until_started_again() {
        let t0 = Instant::now();
        let mut m = seeking(Exit::Code(0), t0);
        let out = m.step(Input::Heir { pid: None }, t0 + 48 * MS);
        let Some(Action::Emit(note)) = out.first() else {
            panic!("{out:?}")
        };
        assert_eq!(note.kind, EventKind::NothingLeft);
        assert!(matches!(m.state, State::Exited { .. }));
        let why = m.unprotected.clone().expect("a reason");
        assert!(why.starts_with("not protected: "), "{why}");
        m.step(Input::Start, t0 + Duration::from_secs(1));
        assert_eq!(m.unprotected, None);
    }

    #[test]
    fn a_copy_answer_after_an_unknown_exit_is_not_a_hand_over() {
        // Only a clean exit hands a request over; an heir killed with an unknown status
        // is a death, whatever the hook would say.
        let t0 = Instant::now();
        let mut m = seeking(Exit::Code(0), t0);
        m.step(Input::Heir { pid: Some(321) }, t0 + MS);
        m.step(
            Input::Died {
                exit: Exit::Unknown,
            },
            t0 + 2 * MS,
        );
        let out = m.step(Input::Copy { pid: 555 }, t0 + 2 * MS);
        assert!(
            out.iter()
                .any(|a| matches!(a, Action::Emit(n) if n.kind == EventKind::Exited)),
            "{out:?}"
        );
        assert!(!matches!(m.state, State::Running { pid: 555, .. }));
    }
}
