//! A program that talks back (the sd_notify protocol): its messages, parsed and checked by
//! the embedder (which owns the socket and checks the sender is of the program's tree),
//! are fed in as [`Input::Talk`](super::Input::Talk). `READY=1` and `STATUS=…` are kept
//! for the snapshot; `STOPPING=1` makes the next clean exit a deliberate stop (wanted
//! down, not restarted); `WATCHDOG=1` arms (and re-arms) a watchdog deadline: silent past
//! it, the program is stopped with its stop signal and grace and restarted as a failure;
//! `MAINPID=` moves the instance to the process it names (checked by the actor first).
//! Each message that says something new is also an event (`ready`, `status`,
//! `shutting_down`, `main_changed`), so an embedder hears it as it happens. Everything
//! heard is forgotten when the instance changes (not when it names a new main process).

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
    /// `MAINPID=…`: this process of its tree is its main process from now on. The engine
    /// checks that it is of the tree and watches it before the machine hears of it.
    MainPid(u32),
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
    /// A message of the running instance: kept, and told as an event when it says
    /// something new (a watchdog ping never is: its silence is the event).
    pub(super) fn talk(&mut self, talk: Talk, now: Instant) -> Vec<Action> {
        let State::Running { pid, .. } = self.state else {
            return Vec::new();
        };
        let (kind, reason) = match talk {
            Talk::Ready if !self.talked.ready => {
                self.talked.ready = true;
                (EventKind::Ready, "it said it is ready (READY=1)".to_owned())
            }
            Talk::Status(text) if self.talked.status.as_ref() != Some(&text) => {
                self.talked.status = Some(text.clone());
                (EventKind::Status, text)
            }
            Talk::Stopping if !self.talked.stopping => {
                self.talked.stopping = true;
                let said = "it said it is shutting down (STOPPING=1)";
                (EventKind::ShuttingDown, said.to_owned())
            }
            Talk::Watchdog { every } => {
                self.talked.watchdog = Some((now + every, every));
                return Vec::new();
            }
            Talk::MainPid(new) if new != pid => return self.main_changed(new),
            Talk::Ready | Talk::Status(_) | Talk::Stopping | Talk::MainPid(_) => return Vec::new(),
        };
        vec![emit(Note {
            pid: Some(pid),
            reason: Some(reason),
            ..Note::new(kind)
        })]
    }

    /// `MAINPID=new`, checked and watched by the actor: the instance goes on in `new`,
    /// with its uptime, attempt and what it said kept (a program often sends `READY=1`
    /// and `MAINPID=` in one datagram). Like a launcher's heir, its status may be
    /// unknown when it ends, so a quick clean end of it is looked at as a hand-off.
    fn main_changed(&mut self, new: u32) -> Vec<Action> {
        let State::Running {
            pid: old,
            since,
            attempt,
            adopted,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        self.state = State::Running {
            pid: new,
            since,
            attempt,
            heir: true,
            adopted,
        };
        vec![emit(Note {
            pid: Some(new),
            attempt,
            reason: Some(format!(
                "PID {old} named PID {new} its main process (MAINPID={new}): PID {new} is \
                 watched from now on"
            )),
            ..Note::new(EventKind::MainChanged)
        })]
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
        let kinds = |out: Vec<Action>| -> Vec<EventKind> {
            out.iter()
                .filter_map(|a| match a {
                    Action::Emit(n) => Some(n.kind),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            kinds(m.step(Input::Talk(Talk::Ready), t0)),
            [EventKind::Ready]
        );
        assert_eq!(kinds(m.step(Input::Talk(Talk::Ready), t0)), [], "told once");
        let status = || Input::Talk(Talk::Status("42 jobs".into()));
        assert_eq!(kinds(m.step(status(), t0)), [EventKind::Status]);
        assert_eq!(
            kinds(m.step(status(), t0)),
            [],
            "an unchanged line is no event"
        );
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
    fn a_named_main_process_is_followed_with_what_was_said_and_its_death_is_the_programs() {
        let t0 = Instant::now();
        let mut m = running(t0);
        m.step(Input::Talk(Talk::Ready), t0);
        let out = m.step(Input::Talk(Talk::MainPid(42)), t0 + SEC);
        assert!(
            matches!(
                out.as_slice(),
                [Action::Emit(Note { kind: EventKind::MainChanged, pid: Some(42), reason: Some(r), .. })]
                    if r.contains("MAINPID=42") && r.contains("PID 9")
            ),
            "{out:?}"
        );
        assert!(matches!(m.state(), State::Running { pid: 42, since, .. } if *since == t0));
        assert!(m.talked().ready, "kept: READY=1 often comes with MAINPID=");
        assert!(
            m.step(Input::Talk(Talk::MainPid(42)), t0).is_empty(),
            "naming the main process again changes nothing"
        );
        // Its death, well past the launcher window, is the program's: restarted.
        let out = m.step(
            Input::Died {
                exit: Exit::Unknown,
            },
            t0 + 60 * SEC,
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
