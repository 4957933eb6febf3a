//! A program that talks back (the sd_notify protocol): its messages, parsed and checked by
//! the embedder (which owns the socket and checks the sender is of the program's tree),
//! are fed in as [`Input::Talk`](super::Input::Talk). `READY=1` and `STATUS=…` are kept
//! for the snapshot; `STOPPING=1` makes the next clean exit a deliberate stop (wanted
//! down, not restarted); `WATCHDOG=1` arms (and re-arms) a watchdog deadline: silent past
//! it, the program is stopped with its stop signal and grace and restarted as a failure.
//! Everything heard is forgotten when the instance changes.

use std::time::{Duration, Instant};

use super::inputs::emit;
use super::{Action, Cause, Machine, Next, Note, State, Wanted};
use crate::{EventKind, Exit, Signal};

/// One message of a program that talks back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Talk {
    /// `READY=1`: it finished starting.
    Ready,
    /// `STATUS=…`: a line of its own state, in its words.
    Status(String),
    /// `STOPPING=1`: it is stopping on purpose; its clean exit is not a crash.
    Stopping,
    /// `WATCHDOG=1`: a sign of life; silent for `every` after it, it is restarted.
    Watchdog {
        /// The program's watchdog interval (the one passed to it as `WATCHDOG_USEC`).
        every: Duration,
    },
}

/// What the current instance said of itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Talked {
    /// Whether it said `READY=1`.
    pub ready: bool,
    /// Its last `STATUS=…`.
    pub status: Option<String>,
    /// Whether it said `STOPPING=1`.
    pub stopping: bool,
    /// When the watchdog bites unless it speaks again, and the interval.
    pub watchdog: Option<(Instant, Duration)>,
}

impl Machine {
    /// A message of the running instance.
    pub(super) fn talk(&mut self, talk: Talk, now: Instant) -> Vec<Action> {
        match talk {
            Talk::Ready => self.talked.ready = true,
            Talk::Status(text) => self.talked.status = Some(text),
            Talk::Stopping => self.talked.stopping = true,
            Talk::Watchdog { every } => self.talked.watchdog = Some((now + every, every)),
        }
        Vec::new()
    }

    /// The watchdog's deadline, while it runs and the watchdog is armed.
    pub(super) fn watchdog_deadline(&self) -> Option<Instant> {
        let running = matches!(self.state, State::Running { .. });
        self.talked.watchdog.filter(|_| running).map(|(at, _)| at)
    }

    /// The watchdog bit: stopped with its stop signal and grace, restarted as a failure.
    pub(super) fn watchdog_bit(&mut self, now: Instant) -> Vec<Action> {
        let Some((_, every)) = self.talked.watchdog.take() else {
            return Vec::new();
        };
        let reason = format!("watchdog: no sign of life for {} s", every.as_secs());
        self.failing(EventKind::HealthFailed, reason, Some(Cause::Watchdog), now)
    }

    /// Whether the running instance said `STOPPING=1` and `exit` is clean.
    pub(super) fn stops_itself(&self, exit: Exit) -> bool {
        self.talked.stopping && exit == Exit::Code(0)
    }

    /// Its clean exit after `STOPPING=1`: a deliberate stop, wanted down, not counted as a
    /// death, what it left stopped.
    pub(super) fn stopped_itself(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Running { pid, since, .. } = self.state else {
            return Vec::new();
        };
        self.last_exit = Some(exit);
        self.want(Wanted::Down);
        let note = Note {
            pid: Some(pid),
            exit: Some(exit),
            uptime: Some(now.saturating_duration_since(since)),
            reason: Some("it said it was stopping (STOPPING=1)".into()),
            ..Note::new(EventKind::Exited)
        };
        let mut out = vec![
            emit(note),
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
        ];
        out.extend(self.settle(Next::Fresh, now));
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::super::*;
    use crate::{EventKind, Exit, ProgramId, ProgramSpec, Signal};

    fn running(t0: Instant) -> Machine {
        let mut s = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
        s.stop_signal = Signal::INT;
        s.restart = crate::RestartPolicy::Always;
        let mut m = Machine::new(s, 1);
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 9 }, t0);
        m
    }

    const SEC: Duration = Duration::from_secs(1);

    #[test]
    fn ready_and_status_are_kept_until_the_instance_changes() {
        let t0 = Instant::now();
        let mut m = running(t0);
        assert!(!m.talked().ready);
        assert!(m.step(Input::Talk(Talk::Ready), t0).is_empty());
        m.step(Input::Talk(Talk::Status("42 jobs".into())), t0);
        assert!(m.talked().ready);
        assert_eq!(m.talked().status.as_deref(), Some("42 jobs"));
        m.step(
            Input::Died {
                exit: Exit::Code(1),
            },
            t0 + 60 * SEC,
        );
        assert_eq!(
            m.talked(),
            &Talked::default(),
            "forgotten with its instance"
        );
    }

    #[test]
    fn a_silent_watchdog_stops_with_the_stop_signal_and_restarts_with_the_cause() {
        let t0 = Instant::now();
        let mut m = running(t0);
        assert_eq!(m.deadline(), None, "unarmed until the first ping");
        let every = 10 * SEC;
        m.step(Input::Talk(Talk::Watchdog { every }), t0 + SEC);
        m.step(Input::Talk(Talk::Watchdog { every }), t0 + 5 * SEC);
        assert_eq!(m.deadline(), Some(t0 + 15 * SEC), "re-armed by each ping");
        assert!(m.step(Input::Timer, t0 + 14 * SEC).is_empty(), "not yet");
        let out = m.step(Input::Timer, t0 + 15 * SEC);
        assert!(
            matches!(
                out.as_slice(),
                [
                    Action::Emit(Note { kind: EventKind::HealthFailed, reason: Some(r), .. }),
                    Action::SignalTree { signal: Signal::INT, .. },
                    Action::Emit(Note { kind: EventKind::Stopping, .. }),
                ] if r == "watchdog: no sign of life for 10 s"
            ),
            "{out:?}"
        );
        let out = m.step(
            Input::Died {
                exit: Exit::Signal {
                    signal: Signal::INT,
                    core_dumped: false,
                },
            },
            t0 + 16 * SEC,
        );
        let exited = out.iter().find_map(|a| match a {
            Action::Emit(n) if n.kind == EventKind::Exited => n.reason.clone(),
            _ => None,
        });
        assert!(exited.is_some_and(|r| r.contains("watchdog")), "{out:?}");
        assert!(out.contains(&Action::Spawn), "restarted: {out:?}");
    }

    #[test]
    fn a_clean_exit_after_stopping_is_a_deliberate_stop() {
        let t0 = Instant::now();
        let mut m = running(t0);
        m.step(Input::Talk(Talk::Stopping), t0 + 30 * SEC);
        let out = m.step(
            Input::Died {
                exit: Exit::Code(0),
            },
            t0 + 31 * SEC,
        );
        assert!(!out.contains(&Action::Spawn), "{out:?}");
        assert_eq!((m.state(), m.wanted()), (&State::Stopped, Wanted::Down));
        assert_eq!(m.deaths_last_hour(t0 + 31 * SEC), 0, "not a crash");
        // Without STOPPING=1 the same exit is restarted (its policy is always).
        let mut m = running(t0);
        let out = m.step(
            Input::Died {
                exit: Exit::Code(0),
            },
            t0 + 31 * SEC,
        );
        assert!(out.contains(&Action::Spawn), "{out:?}");
    }

    #[test]
    fn messages_outside_a_running_instance_are_ignored() {
        let t0 = Instant::now();
        let mut m = Machine::new(ProgramSpec::new(ProgramId::new("t").unwrap(), ["p"]), 1);
        m.step(Input::Talk(Talk::Ready), t0);
        assert_eq!(m.talked(), &Talked::default());
    }
}
