//! One task per program: owns the child, runs the machine, and sleeps on exactly three
//! things — the child's exit, a control, and the machine's one deadline. No polling.

use std::collections::VecDeque;
use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, oneshot};

use crate::clock::{ms, now, to_wall_ms, wall_ms};
use crate::machine::{Action, Input, Machine, Note, State};
use crate::snapshot::{ProgramSnapshot, StopReport};
use crate::spawner::{Child, Spawner};
use crate::{Event, EventKind, Exit, Origin, ProgramSpec};

/// A control for one program's task.
pub(crate) enum Control {
    /// A machine input (start, stop, restart, retry, pause, resume).
    Input(Input),
    /// Replace the spec; restart if the launch changed and it is running.
    Update(Box<ProgramSpec>),
    /// Report the current state.
    Snapshot,
    /// Stop, then end the task (`announce`: emit `removed`).
    Remove {
        /// Whether to emit `removed` (not at shutdown).
        announce: bool,
    },
    /// End supervision but leave the process running ("stop protecting"): emit `removed`
    /// with the pid left behind, then end the task without signalling anything.
    Release,
}

/// A control with who asked and where to answer.
pub(crate) struct Msg {
    pub control: Control,
    pub origin: Option<Origin>,
    pub reply: oneshot::Sender<Reply>,
}

/// The answer, sent once the control has been applied (stops: once the program is down).
pub(crate) enum Reply {
    Done,
    Snapshot(Box<ProgramSnapshot>),
    Stopped(StopReport),
    /// The pid left running by a release, if one was running.
    Released(Option<u32>),
}

pub(crate) struct Actor {
    machine: Machine,
    spawner: Arc<dyn Spawner>,
    child: Option<Box<dyn Child>>,
    events: broadcast::Sender<Event>,
    /// The origin of the control that started an ongoing stop, for the events that end it.
    stop_origin: Option<Origin>,
    /// Replies held until the program is down (stop, restart, remove).
    waiters: Vec<(oneshot::Sender<Reply>, bool)>,
    killed_after_grace: bool,
    /// Set once removal (or shutdown) was asked for: the task ends when the program is down.
    leaving: Option<Leave>,
}

struct Leave {
    announce: bool,
    origin: Option<Origin>,
}

enum Wake {
    Died(Exit),
    Msg(Option<Msg>),
    Timer,
}

impl Actor {
    pub(crate) fn new(
        machine: Machine,
        spawner: Arc<dyn Spawner>,
        events: broadcast::Sender<Event>,
    ) -> Self {
        Self {
            machine,
            spawner,
            child: None,
            events,
            stop_origin: None,
            waiters: Vec::new(),
            killed_after_grace: false,
            leaving: None,
        }
    }

    /// Runs until removed, shut down, or every handle is dropped (which stops the program).
    pub(crate) async fn run(mut self, mut rx: mpsc::Receiver<Msg>, origin: Option<Origin>) {
        self.emit(crate::machine::Note::new(EventKind::Added), origin.as_ref());
        self.feed(Input::Start, origin.as_ref());
        loop {
            let deadline = self.machine.deadline();
            let wake = tokio::select! {
                exit = wait(&mut self.child) => Wake::Died(exit),
                msg = rx.recv(), if self.leaving.is_none() => Wake::Msg(msg),
                () = sleep_until(deadline) => Wake::Timer,
            };
            match wake {
                Wake::Died(exit) => {
                    self.child = None;
                    let origin = self.stop_origin.take();
                    self.feed(Input::Died { exit }, origin.as_ref());
                }
                Wake::Timer => {
                    let origin = self.stop_origin.clone();
                    self.feed(Input::Timer, origin.as_ref());
                }
                Wake::Msg(Some(msg)) => self.apply(msg),
                Wake::Msg(None) => {
                    self.leaving = Some(Leave {
                        announce: false,
                        origin: None,
                    });
                    self.feed(Input::Stop, None);
                }
            }
            if let (Some(leave), false) = (&self.leaving, self.is_stopping()) {
                if leave.announce {
                    self.emit(Note::new(EventKind::Removed), leave.origin.as_ref());
                }
                self.settle();
                return;
            }
            self.settle();
        }
    }

    fn apply(&mut self, msg: Msg) {
        let origin = msg.origin.as_ref();
        let reply = match msg.control {
            Control::Input(input) => {
                let waits = matches!(input, Input::Stop | Input::Restart);
                self.feed(input, origin);
                if waits && self.is_stopping() {
                    self.waiters.push((msg.reply, false));
                    None
                } else {
                    Some((msg.reply, Reply::Done))
                }
            }
            Control::Update(spec) => {
                let restart = self.machine.spec().launch_differs(&spec)
                    && matches!(self.machine.state, State::Running { .. });
                self.machine.set_spec(*spec);
                self.emit(Note::new(EventKind::Updated), origin);
                if restart {
                    self.feed(Input::Restart, origin);
                }
                Some((msg.reply, Reply::Done))
            }
            Control::Snapshot => Some((
                msg.reply,
                Reply::Snapshot(Box::new(ProgramSnapshot::of(&self.machine))),
            )),
            Control::Remove { announce } => {
                self.leaving = Some(Leave {
                    announce,
                    origin: msg.origin.clone(),
                });
                self.feed(Input::Stop, origin);
                self.waiters.push((msg.reply, true));
                None
            }
            Control::Release => {
                // Dropping the child neither kills it (kill_on_drop is off) nor leaves a
                // zombie: tokio reaps dropped children in the background.
                let pid = self.child.take().map(|c| c.pid());
                let mut note = Note::new(EventKind::Removed);
                note.pid = pid;
                note.reason = pid.map(|p| format!("no longer protected; pid {p} left running"));
                self.emit(note, origin);
                self.leaving = Some(Leave {
                    announce: false,
                    origin: None,
                });
                self.machine.state = State::Stopped;
                Some((msg.reply, Reply::Released(pid)))
            }
        };
        if self.is_stopping() && self.stop_origin.is_none() {
            self.stop_origin = msg.origin.clone();
        }
        if let Some((tx, reply)) = reply {
            let _ = tx.send(reply);
        }
    }

    /// Steps the machine and carries out its actions; a spawn's outcome is fed straight
    /// back, so `Starting` is never seen by another input.
    fn feed(&mut self, input: Input, origin: Option<&Origin>) {
        let mut queue: VecDeque<Action> = self.machine.step(input, now()).into();
        while let Some(action) = queue.pop_front() {
            match action {
                Action::Spawn => {
                    let outcome = match self.spawner.spawn(self.machine.spec()) {
                        Ok(child) => {
                            let pid = child.pid();
                            self.child = Some(child);
                            self.killed_after_grace = false;
                            Input::Spawned { pid }
                        }
                        Err(e) => {
                            let program = self
                                .machine
                                .spec()
                                .argv
                                .first()
                                .cloned()
                                .unwrap_or_default();
                            Input::SpawnFailed {
                                reason: format!("cannot start {program:?}: {e}"),
                            }
                        }
                    };
                    queue.extend(self.machine.step(outcome, now()));
                }
                Action::SignalGroup { pgid, signal } => {
                    if signal == crate::Signal::KILL
                        && matches!(self.machine.state, State::Stopping { killed: true, .. })
                    {
                        self.killed_after_grace = true;
                    }
                    // A failure here (EPERM: the group changed owner) leaves nothing better
                    // to do than carry on; the deadline still escalates to SIGKILL.
                    let _ = self.spawner.signal_group(pgid, signal);
                }
                Action::Emit(note) => self.emit(note, origin),
            }
        }
    }

    /// Answers the held replies once the program is no longer stopping.
    fn settle(&mut self) {
        if self.is_stopping() {
            return;
        }
        let report = StopReport {
            program: self.machine.spec().id.clone(),
            exit: self.machine.last_exit,
            killed_after_grace: self.killed_after_grace,
        };
        for (tx, with_report) in self.waiters.drain(..) {
            let reply = if with_report {
                Reply::Stopped(report.clone())
            } else {
                Reply::Done
            };
            let _ = tx.send(reply);
        }
    }

    fn is_stopping(&self) -> bool {
        matches!(self.machine.state, State::Stopping { .. })
    }

    fn emit(&self, note: Note, origin: Option<&Origin>) {
        let spec = self.machine.spec();
        let event = Event {
            ts: wall_ms(),
            kind: note.kind,
            program: spec.id.clone(),
            name: spec.display_name().to_owned(),
            pid: note.pid,
            attempt: note.attempt,
            exit: note.exit,
            uptime_ms: note.uptime.map(ms),
            delay_ms: note.delay.map(ms),
            until: note.until.map(to_wall_ms),
            requested_by: origin.map(|o| o.requested_by),
            reason: note
                .reason
                .or_else(|| origin.and_then(|o| o.reason.clone())),
        };
        // No subscribers is fine: events are offered, not queued for nobody.
        let _ = self.events.send(event);
    }
}

async fn wait(child: &mut Option<Box<dyn Child>>) -> Exit {
    match child {
        Some(child) => child.wait().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
        None => std::future::pending().await,
    }
}
