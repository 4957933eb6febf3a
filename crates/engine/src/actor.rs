//! One task per program: owns the child, runs the machine, and sleeps on the child's exit,
//! a control, the machine's one deadline and — only with a health check — the check's
//! verdict. No polling. Carrying out the machine's actions is in `actor_os.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use tokio::sync::{broadcast, mpsc, oneshot};

use crate::lazy_channel::LazyChannel;
use crate::machine::{Input, Machine, Pause, State};
use crate::snapshot::{ProgramSnapshot, StopReport};
use crate::spawner::{Child, Spawner};
use crate::{Event, Exit, Instance, Origin, ProgramSpec};

/// What every program's task shares with the supervisor handle.
#[derive(Default)]
pub(crate) struct Shared {
    /// The session environment new spawns get under their own overrides.
    pub session_env: RwLock<Arc<BTreeMap<String, String>>>,
    /// The embedder's way to find the copy a single-instance app handed its request to.
    pub copy_finder: RwLock<Option<crate::copy::CopyFinder>>,
    /// Where the programs' `NOTIFY_SOCKET`s are (the embedder binds them).
    pub notify_dir: RwLock<Option<std::path::PathBuf>>,
}

/// How a program's task begins.
pub(crate) enum First {
    /// Start the program.
    Start,
    /// Adopt a running process: its instance and a watch on it.
    Adopt(Instance, Box<dyn Child>),
    /// Nothing: the program stays stopped until started.
    Idle,
}

/// A control for one program's task.
pub(crate) enum Control {
    /// A machine input (start, stop, restart, retry, pause, resume).
    Input(Input),
    /// Replace the spec (the machine restarts it if the launch changed and it is running).
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
    /// The machine is going to sleep: from now on, time passes asleep (`actor_sleep.rs`).
    Sleep,
    /// The machine woke up: the time asleep is accounted and the program checked at once.
    Wake,
}

/// A control with who asked and where to answer. Sent boxed: a tokio channel allocates
/// its slots 32 at a time, and a program's channel of `Msg` would hold 2.3 KiB of them.
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
    pub(crate) machine: Machine,
    pub(crate) spawner: Arc<dyn Spawner>,
    pub(crate) shared: Arc<Shared>,
    /// The watched main process.
    pub(crate) child: Option<Box<dyn Child>>,
    /// The current (or last) instance: how to find its tree.
    pub(crate) instance: Option<Instance>,
    pub(crate) events: broadcast::Sender<Event>,
    /// The running health check: the pid it checks, and its task.
    pub(crate) health: Option<(u32, tokio::task::JoinHandle<()>)>,
    /// The health check's verdicts (made with the first check: most programs have none).
    health_chan: LazyChannel<(u32, String)>,
    /// The running memory measurement (only with a memory limit): its pid, and its task.
    pub(crate) memory: Option<(u32, tokio::task::JoinHandle<()>)>,
    /// The measuring task's reports (made with the first measurement).
    pub(crate) memory_chan: LazyChannel<crate::memory::Over>,
    /// The origin of the control that started an ongoing stop, for the events that end it.
    stop_origin: Option<Origin>,
    /// Replies held until the program is down (stop, restart, remove).
    waiters: Vec<(oneshot::Sender<Reply>, bool)>,
    pub(crate) killed_after_grace: bool,
    /// Set once removal (or shutdown) was asked for: the task ends when the program is down.
    leaving: Option<Leave>,
    /// The death (or failed start) the next restart or give-up answers, for its hook.
    pub(crate) cause: Option<Event>,
    /// Since when the machine sleeps (up to which instant its sleep is accounted).
    pub(crate) asleep_since: Option<std::time::Instant>,
}

struct Leave {
    announce: bool,
    origin: Option<Origin>,
}

enum Wake {
    Died(Exit),
    Msg(Option<Box<Msg>>),
    Timer,
    Unhealthy(Option<(u32, String)>),
    OverMemory(Option<crate::memory::Over>),
}

impl Actor {
    pub(crate) fn new(
        machine: Machine,
        spawner: Arc<dyn Spawner>,
        shared: Arc<Shared>,
        events: broadcast::Sender<Event>,
    ) -> Self {
        Self {
            machine,
            spawner,
            shared,
            child: None,
            instance: None,
            events,
            health: None,
            health_chan: LazyChannel::default(),
            memory: None,
            memory_chan: LazyChannel::default(),
            stop_origin: None,
            waiters: Vec::new(),
            killed_after_grace: false,
            leaving: None,
            asleep_since: None,
            cause: None,
        }
    }

    /// Runs until removed, shut down, or every handle is dropped (which stops the program).
    /// `paused` is the global pause in force when it was added. Boxed: an async fn keeps
    /// its by-value arguments twice in its future (as the argument and as the moved-in
    /// local), and the actor is ~1.5 KiB; boxed, the task holds it once (issue 21).
    pub(crate) async fn run(
        mut self: Box<Self>,
        mut rx: mpsc::Receiver<Box<Msg>>,
        origin: Option<Origin>,
        first: First,
        paused: Option<Pause>,
    ) {
        self.feed(Input::Added { paused }, origin.as_ref());
        match first {
            First::Start => self.feed(Input::Start, origin.as_ref()),
            First::Adopt(instance, child) => {
                let pid = child.pid();
                self.instance = Some(instance);
                self.child = Some(child);
                self.feed(Input::Adopt { pid }, origin.as_ref());
            }
            First::Idle => {}
        }
        self.sync_health();
        self.sync_memory();
        loop {
            let deadline = self.machine.deadline();
            let checking = self.health.is_some();
            let measuring = self.memory.is_some();
            let wake = tokio::select! {
                exit = wait(&mut self.child) => Wake::Died(exit),
                msg = rx.recv(), if self.leaving.is_none() => Wake::Msg(msg),
                () = sleep_until(deadline) => Wake::Timer,
                verdict = self.health_chan.recv(), if checking => Wake::Unhealthy(verdict),
                over = self.memory_chan.recv(), if measuring => Wake::OverMemory(over),
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
                Wake::Msg(Some(msg)) => self.apply(*msg),
                Wake::Unhealthy(Some((pid, reason))) => {
                    self.health = None;
                    if matches!(self.machine.state(), State::Running { pid: p, .. } if *p == pid) {
                        self.feed(Input::HealthFailed { reason }, None);
                    }
                }
                Wake::Unhealthy(None) => self.health = None,
                Wake::OverMemory(over) => self.over_memory(over),
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
                    let origin = leave.origin.clone();
                    self.feed(Input::Removed, origin.as_ref());
                }
                self.settle();
                self.sync_health();
                self.sync_memory();
                return;
            }
            self.settle();
            self.sync_health();
            self.sync_memory();
        }
    }

    fn apply(&mut self, msg: Msg) {
        let origin = msg.origin.as_ref();
        let reply = match msg.control {
            Control::Input(Input::Talk(crate::Talk::MainPid(pid))) if !self.follow_main(pid) => {
                Some((msg.reply, Reply::Done))
            }
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
                self.stop_health(); // restarted with the new check by sync_health
                self.stop_memory(); // and the new limit by sync_memory
                self.feed(Input::Update { spec }, origin);
                Some((msg.reply, Reply::Done))
            }
            Control::Snapshot => Some((msg.reply, Reply::Snapshot(Box::new(self.snapshot())))),
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
                self.feed(Input::Release, origin);
                self.leaving = Some(Leave {
                    announce: false,
                    origin: None,
                });
                Some((msg.reply, Reply::Released(pid)))
            }
            Control::Sleep => {
                self.asleep_since.get_or_insert_with(crate::clock::now);
                Some((msg.reply, Reply::Done))
            }
            Control::Wake => {
                self.wake(origin);
                Some((msg.reply, Reply::Done))
            }
        };
        if self.is_stopping() && self.stop_origin.is_none() {
            self.stop_origin = msg.origin.clone();
        }
        if let Some((tx, reply)) = reply {
            let _ = tx.send(reply);
        }
    }

    /// Answers the held replies once the program is no longer stopping.
    fn settle(&mut self) {
        if self.is_stopping() {
            return;
        }
        let report = StopReport {
            program: self.machine.spec().id.clone(),
            exit: self.machine.last_exit(),
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

    pub(crate) fn health_sender(&mut self) -> mpsc::UnboundedSender<(u32, String)> {
        self.health_chan.sender()
    }

    fn is_stopping(&self) -> bool {
        matches!(self.machine.state(), State::Stopping { .. })
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
