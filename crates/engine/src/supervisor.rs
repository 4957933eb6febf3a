//! The cheap, cloneable handle through which programs are added and controlled.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use tokio::sync::{broadcast, mpsc, oneshot};

use crate::actor::{Actor, Control, First, Msg, Reply, Shared};
use crate::machine::{Input, Machine, Pause, Scope};
use crate::snapshot::{ProgramSnapshot, Snapshot, StopReport};
use crate::spawner::Spawner;
use crate::{EngineError, Event, Origin, OsSpawner, ProgramId, ProgramSpec};

/// Supervises programs. Clone it freely: every clone controls the same programs.
///
/// Each method returns once its control has been applied by the program's task; `stop`,
/// `restart`, `remove` and `shutdown` return once the old instance is down. Must be used
/// inside a tokio runtime (with the `process` and `time` drivers enabled).
#[derive(Clone)]
pub struct Supervisor {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) spawner: Arc<dyn Spawner>,
    pub(crate) shared: Arc<Shared>,
    events: broadcast::Sender<Event>,
    registry: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    programs: BTreeMap<ProgramId, mpsc::Sender<Box<Msg>>>,
    /// The global pause: its one record, for programs added later and the snapshot.
    /// Programs are told of it through their machine's inputs.
    global_pause: Option<Pause>,
    shut_down: bool,
    seed: u64,
}

impl Default for Supervisor {
    fn default() -> Self {
        Self::new()
    }
}

impl Supervisor {
    /// A supervisor that starts real processes.
    pub fn new() -> Self {
        Self::with_spawner(Arc::new(OsSpawner::default()))
    }

    /// A supervisor with another way of starting programs (tests use a fake).
    pub fn with_spawner(spawner: Arc<dyn Spawner>) -> Self {
        let (events, _) = broadcast::channel(1024);
        let registry = Registry {
            seed: fastrand::u64(..),
            ..Registry::default()
        };
        Self {
            inner: Arc::new(Inner {
                spawner,
                shared: Arc::default(),
                events,
                registry: Mutex::new(registry),
            }),
        }
    }

    /// Subscribes to every event from now on. A subscriber that falls more than 1024
    /// events behind gets `RecvError::Lagged` and then the newest events.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    /// Validates `spec`, puts it under supervision and starts it (an `added` event, then
    /// `started` or `spawn_failed`). Returns once the start was tried.
    pub async fn add(&self, spec: ProgramSpec, origin: Origin) -> Result<(), EngineError> {
        spec.validate()?;
        self.launch(spec, origin, First::Start).await
    }

    /// Validates `spec` and puts it under supervision stopped (an `added` event, nothing
    /// started): a program the person had stopped before the supervisor restarted.
    pub async fn add_stopped(&self, spec: ProgramSpec, origin: Origin) -> Result<(), EngineError> {
        spec.validate()?;
        self.launch(spec, origin, First::Idle).await
    }

    /// Registers `spec` and spawns its task, which begins with `first`.
    pub(crate) async fn launch(
        &self,
        spec: ProgramSpec,
        origin: Origin,
        first: First,
    ) -> Result<(), EngineError> {
        let (tx, rx) = mpsc::channel(16);
        let id = spec.id.clone();
        let (machine, global) = {
            let mut reg = self.registry();
            if reg.shut_down {
                return Err(EngineError::ShutDown);
            }
            if reg.programs.contains_key(&id) {
                return Err(EngineError::DuplicateProgram(id));
            }
            reg.seed = reg.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            reg.programs.insert(id.clone(), tx);
            (Machine::new(spec, reg.seed), reg.global_pause)
        };
        let actor = Actor::new(
            machine,
            self.inner.spawner.clone(),
            self.inner.shared.clone(),
            self.inner.events.clone(),
        );
        tokio::spawn(Box::new(actor).run(rx, Some(origin), first, global));
        // The task's first act is the start; a snapshot round trip waits for it.
        self.ask(&id, Control::Snapshot, None).await.map(drop)
    }

    /// Stops the program (if running) and removes it (`removed` event).
    pub async fn remove(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        let tx = self
            .registry()
            .programs
            .remove(id)
            .ok_or_else(|| EngineError::UnknownProgram(id.clone()))?;
        send(&tx, Control::Remove { announce: true }, Some(origin))
            .await
            .map(drop)
    }

    /// Ends supervision of a program but leaves its process running (a `removed` event
    /// with the pid); returns that pid, if it was running.
    pub async fn release(
        &self,
        id: &ProgramId,
        origin: Origin,
    ) -> Result<Option<u32>, EngineError> {
        let tx = self
            .registry()
            .programs
            .remove(id)
            .ok_or_else(|| EngineError::UnknownProgram(id.clone()))?;
        match send(&tx, Control::Release, Some(origin)).await? {
            Reply::Released(pid) => Ok(pid),
            _ => Ok(None),
        }
    }

    /// Replaces a program's spec (same id); a running program is restarted when the way it
    /// is launched (argv, cwd, env, outputs) changed.
    pub async fn update(&self, spec: ProgramSpec, origin: Origin) -> Result<(), EngineError> {
        spec.validate()?;
        let id = spec.id.clone();
        self.ask(&id, Control::Update(Box::new(spec)), Some(origin))
            .await
            .map(drop)
    }

    /// Wants it up: starts it if it is down (a gave-up program is retried).
    pub async fn start(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        self.input(id, Input::Start, origin).await
    }

    /// What the program said on its `NOTIFY_SOCKET` (the embedder checked the sender is of
    /// its tree): readiness, a status line, a deliberate stop, a watchdog ping. Heard only
    /// while an instance runs; anything else is dropped.
    pub async fn talk(&self, id: &ProgramId, talk: crate::Talk) -> Result<(), EngineError> {
        self.ask(id, Control::Input(Input::Talk(talk)), None)
            .await
            .map(drop)
    }

    /// Wants it down: stop signal to its group, SIGKILL after the grace; returns once down.
    pub async fn stop(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        self.input(id, Input::Stop, origin).await
    }

    /// Stops it if running, then starts it; returns once the new instance was started.
    pub async fn restart(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        self.input(id, Input::Restart, origin).await
    }

    /// The embedder saw the program's windows stop answering pings (`reason` in words):
    /// a `not_responding` event, and with `restart` a restart with its stop signal and
    /// grace, counted as a failure. Ignored unless it is running.
    pub async fn not_responding(
        &self,
        id: &ProgramId,
        reason: String,
        restart: bool,
    ) -> Result<(), EngineError> {
        let input = Input::NotResponding { reason, restart };
        self.ask(id, Control::Input(input), None).await.map(drop)
    }

    /// Its windows answer pings again: a `responding` event (ignored unless running).
    pub async fn responding(&self, id: &ProgramId, reason: String) -> Result<(), EngineError> {
        let input = Input::Responding { reason };
        self.ask(id, Control::Input(input), None).await.map(drop)
    }

    /// Starts a program that gave up, with a clean breaker tally (no-op otherwise).
    pub async fn retry(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        self.input(id, Input::Retry, origin).await
    }

    /// Holds one program's restarts, until `until` or until resumed. A running program keeps
    /// running; if it dies meanwhile it is left down and started on resume.
    pub async fn pause(
        &self,
        id: &ProgramId,
        until: Option<SystemTime>,
        origin: Origin,
    ) -> Result<(), EngineError> {
        let until = until.map(crate::clock::from_wall);
        self.input(
            id,
            Input::Pause {
                scope: Scope::Program,
                until,
            },
            origin,
        )
        .await
    }

    /// Ends one program's own pause (the global pause, if any, still holds it).
    pub async fn resume(&self, id: &ProgramId, origin: Origin) -> Result<(), EngineError> {
        self.input(
            id,
            Input::Resume {
                scope: Scope::Program,
            },
            origin,
        )
        .await
    }

    /// Holds every program's restarts (programs added later too), until `until` or resumed.
    pub async fn pause_all(
        &self,
        until: Option<SystemTime>,
        origin: Origin,
    ) -> Result<(), EngineError> {
        let pause = Pause::new(until.map(crate::clock::from_wall));
        self.registry().global_pause = Some(pause);
        let input = Input::Pause {
            scope: Scope::Global,
            until: pause.end(),
        };
        self.broadcast(input, origin).await
    }

    /// Ends the global pause and every program's own pause; programs that are wanted up and
    /// down are started.
    pub async fn resume_all(&self, origin: Origin) -> Result<(), EngineError> {
        self.registry().global_pause = None;
        self.broadcast(
            Input::Resume {
                scope: Scope::Global,
            },
            origin,
        )
        .await
    }

    /// The machine is going to sleep (logind's `PrepareForSleep(true)`): from now until
    /// [`Supervisor::woke`], time passes asleep for every program: it counts neither as
    /// uptime nor toward backoff delays and the breaker's window. Deaths are still answered.
    pub async fn sleeping(&self) {
        self.broadcast_control(|| Control::Sleep, None).await;
    }

    /// The machine woke up (`PrepareForSleep(false)`): the sleep ends for every program and
    /// each is checked at once, so a death during the sleep is answered now.
    pub async fn woke(&self, origin: Origin) {
        self.broadcast_control(|| Control::Wake, Some(origin)).await;
    }

    /// The state of every program.
    pub async fn snapshot(&self) -> Result<Snapshot, EngineError> {
        let (ids, global) = {
            let reg = self.registry();
            (
                reg.programs.keys().cloned().collect::<Vec<_>>(),
                reg.global_pause,
            )
        };
        let global = global.filter(|p| !p.over(crate::clock::now()));
        let mut programs = Vec::with_capacity(ids.len());
        for id in ids {
            match self.program(&id).await {
                Ok(p) => programs.push(p),
                Err(EngineError::UnknownProgram(_)) => {} // removed meanwhile
                Err(e) => return Err(e),
            }
        }
        let paused_until = global.and_then(Pause::end).map(crate::clock::to_wall_ms);
        Ok(Snapshot {
            paused: global.is_some(),
            paused_until,
            programs,
        })
    }

    /// The state of one program.
    pub async fn program(&self, id: &ProgramId) -> Result<ProgramSnapshot, EngineError> {
        match self.ask(id, Control::Snapshot, None).await? {
            Reply::Snapshot(s) => Ok(*s),
            _ => Err(EngineError::ShutDown),
        }
    }

    /// Stops every program in parallel and refuses further controls; one report per program.
    ///
    /// Restarts are held (a global pause) in every program before anything is stopped, so
    /// programs that die meanwhile — e.g. killed by the end of the session — are not
    /// brought back.
    pub async fn shutdown(&self, origin: Origin) -> Vec<StopReport> {
        let hold = origin
            .clone()
            .with_reason("shutting down: restarts are held");
        let _ = self.pause_all(None, hold).await;
        let programs = {
            let mut reg = self.registry();
            reg.shut_down = true;
            std::mem::take(&mut reg.programs)
        };
        let mut pending = Vec::new();
        for (id, tx) in programs {
            let (reply, rx) = oneshot::channel();
            let msg = Box::new(Msg {
                control: Control::Remove { announce: false },
                origin: Some(origin.clone()),
                reply,
            });
            if tx.send(msg).await.is_ok() {
                pending.push((id, rx));
            }
        }
        let mut reports = Vec::new();
        for (id, rx) in pending {
            let report = match rx.await {
                Ok(Reply::Stopped(report)) => report,
                _ => StopReport {
                    program: id,
                    exit: None,
                    killed_after_grace: false,
                },
            };
            reports.push(report);
        }
        reports
    }

    async fn input(&self, id: &ProgramId, input: Input, origin: Origin) -> Result<(), EngineError> {
        self.ask(id, Control::Input(input), Some(origin))
            .await
            .map(drop)
    }

    async fn broadcast(&self, input: Input, origin: Origin) -> Result<(), EngineError> {
        let txs: Vec<_> = self.registry().programs.values().cloned().collect();
        for tx in txs {
            // A program removed meanwhile is simply skipped.
            let _ = send(&tx, Control::Input(input.clone()), Some(origin.clone())).await;
        }
        Ok(())
    }

    async fn broadcast_control(&self, control: impl Fn() -> Control, origin: Option<Origin>) {
        let txs: Vec<_> = self.registry().programs.values().cloned().collect();
        for tx in txs {
            // A program removed meanwhile is simply skipped.
            let _ = send(&tx, control(), origin.clone()).await;
        }
    }

    async fn ask(
        &self,
        id: &ProgramId,
        control: Control,
        origin: Option<Origin>,
    ) -> Result<Reply, EngineError> {
        let tx = {
            let reg = self.registry();
            match reg.programs.get(id) {
                Some(tx) => tx.clone(),
                None if reg.shut_down => return Err(EngineError::ShutDown),
                None => return Err(EngineError::UnknownProgram(id.clone())),
            }
        };
        send(&tx, control, origin)
            .await
            .map_err(|_| EngineError::UnknownProgram(id.clone()))
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding this lock cannot leave the map half-updated (single
        // inserts/removes), so a poisoned lock is still usable.
        self.inner
            .registry
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

async fn send(
    tx: &mpsc::Sender<Box<Msg>>,
    control: Control,
    origin: Option<Origin>,
) -> Result<Reply, EngineError> {
    let (reply, rx) = oneshot::channel();
    tx.send(Box::new(Msg {
        control,
        origin,
        reply,
    }))
    .await
    .map_err(|_| EngineError::ShutDown)?;
    rx.await.map_err(|_| EngineError::ShutDown)
}
