//! The supervisor's program tasks with a fake spawner and tokio's paused clock: backoff
//! delays, the breaker, pauses and stop escalation, without real processes or real waiting.
//! (Real processes live in other test files: auto-advance would fire while a real child runs.)
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use lifeguard_engine::{
    Child, Event, EventKind, Exit, Instance, Launch, Observed, Origin, ProgramId, ProgramSpec,
    Signal, Spawner, Supervisor,
};
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

#[derive(Default)]
struct Fake {
    inner: Mutex<FakeState>,
}

#[derive(Default)]
struct FakeState {
    next_pid: u32,
    spawns: Vec<Instant>,
    fail_spawns: bool,
    ignore_term: bool,
    alive: HashMap<u32, mpsc::UnboundedSender<Exit>>,
    signals: Vec<(u32, Signal)>,
}

impl Fake {
    fn kill(&self, pid: u32, exit: Exit) {
        let s = self.inner.lock().unwrap();
        s.alive[&pid].send(exit).unwrap();
    }
    fn spawns(&self) -> usize {
        self.inner.lock().unwrap().spawns.len()
    }
}

struct FakeChild {
    pid: u32,
    exits: mpsc::UnboundedReceiver<Exit>,
}

impl Child for FakeChild {
    fn pid(&self) -> u32 {
        self.pid
    }
    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>> {
        Box::pin(async { self.exits.recv().await.unwrap_or(Exit::Unknown) })
    }
}

impl Spawner for Fake {
    fn spawn(&self, _launch: &Launch<'_>) -> std::io::Result<Box<dyn Child>> {
        let mut s = self.inner.lock().unwrap();
        s.spawns.push(Instant::now());
        if s.fail_spawns {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
        s.next_pid += 1;
        let pid = 1000 + s.next_pid;
        let (tx, exits) = mpsc::unbounded_channel();
        s.alive.insert(pid, tx);
        Ok(Box::new(FakeChild { pid, exits }))
    }

    fn signal_tree(&self, instance: &Instance, signal: Signal) -> std::io::Result<()> {
        let pgid = instance.main.pid;
        let mut s = self.inner.lock().unwrap();
        s.signals.push((pgid, signal));
        if signal == Signal::KILL || !s.ignore_term {
            if let Some(tx) = s.alive.remove(&pgid) {
                let _ = tx.send(Exit::Signal {
                    signal,
                    core_dumped: false,
                });
            }
        }
        Ok(())
    }
}

fn spec() -> ProgramSpec {
    let mut s = ProgramSpec::build("app", ["app"]).unwrap();
    s.backoff.jitter = 0.0;
    s
}

fn id() -> ProgramId {
    ProgramId::new("app").unwrap()
}

fn crash() -> Exit {
    Exit::Code(1)
}

/// The next event of `kind`, skipping others; fails after an hour of (virtual) time.
async fn next(rx: &mut broadcast::Receiver<Event>, kind: EventKind) -> Event {
    let wait = async {
        loop {
            let e = rx.recv().await.unwrap();
            if e.kind == kind {
                return e;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(3600), wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind:?} event within an hour"))
}

async fn setup(
    fake: Fake,
    spec: ProgramSpec,
) -> (Arc<Fake>, Supervisor, broadcast::Receiver<Event>) {
    let fake = Arc::new(fake);
    let sup = Supervisor::with_spawner(fake.clone());
    let mut rx = sup.subscribe();
    sup.add(spec, Origin::api()).await.unwrap();
    next(&mut rx, EventKind::Started).await;
    (fake, sup, rx)
}

#[tokio::test(start_paused = true)]
async fn quick_deaths_space_restarts_by_doubling_delays() {
    let mut s = spec();
    s.breaker.enabled = false;
    let (fake, _sup, mut rx) = setup(Fake::default(), s).await;
    let mut pid = 1001;
    let mut delays = Vec::new();
    for _ in 0..8 {
        let died_at = Instant::now();
        fake.kill(pid, crash());
        let scheduled = next(&mut rx, EventKind::RestartScheduled).await;
        let restarted = next(&mut rx, EventKind::Restarted).await;
        assert_eq!(
            Instant::now() - died_at,
            Duration::from_millis(scheduled.delay_ms.unwrap())
        );
        delays.push(scheduled.delay_ms.unwrap());
        pid = restarted.pid.unwrap();
    }
    assert_eq!(delays, [250, 500, 1000, 2000, 4000, 8000, 16000, 30000]);
}

#[tokio::test(start_paused = true)]
async fn a_stable_run_is_restarted_at_once() {
    let (fake, _sup, mut rx) = setup(Fake::default(), spec()).await;
    tokio::time::sleep(Duration::from_secs(11)).await;
    let died_at = Instant::now();
    fake.kill(
        1001,
        Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false,
        },
    );
    let exited = next(&mut rx, EventKind::Exited).await;
    assert_eq!(exited.uptime_ms, Some(11_000));
    assert_eq!(
        next(&mut rx, EventKind::RestartScheduled).await.delay_ms,
        Some(0)
    );
    let restarted = next(&mut rx, EventKind::Restarted).await;
    assert_eq!((restarted.pid, restarted.attempt), (Some(1002), 0));
    assert_eq!(Instant::now(), died_at);
}

#[tokio::test(start_paused = true)]
async fn breaker_gives_up_after_five_quick_deaths_until_retried() {
    let (fake, sup, mut rx) = setup(Fake::default(), spec()).await;
    let mut pid = 1001;
    for _ in 0..4 {
        fake.kill(pid, crash());
        pid = next(&mut rx, EventKind::Restarted).await.pid.unwrap();
    }
    fake.kill(pid, crash());
    let gave_up = next(&mut rx, EventKind::GaveUp).await;
    assert!(gave_up.reason.unwrap().contains("5 deaths"));
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(fake.spawns(), 5, "no start after giving up");
    let p = sup.program(&id()).await.unwrap();
    assert!(
        matches!(p.state, Observed::GaveUp { deaths: 5, .. }),
        "{:?}",
        p.state
    );

    sup.retry(&id(), Origin::cli().with_reason("fixed it"))
        .await
        .unwrap();
    let retried = next(&mut rx, EventKind::Retried).await;
    assert_eq!(retried.reason.as_deref(), Some("fixed it"));
    assert_eq!(next(&mut rx, EventKind::Restarted).await.attempt, 0);
    assert_eq!(fake.spawns(), 6);
}

#[tokio::test(start_paused = true)]
async fn spawn_failures_back_off_and_give_up() {
    let fake = Fake {
        inner: Mutex::new(FakeState {
            fail_spawns: true,
            ..FakeState::default()
        }),
    };
    let fake = Arc::new(fake);
    let sup = Supervisor::with_spawner(fake.clone());
    let mut rx = sup.subscribe();
    sup.add(spec(), Origin::api()).await.unwrap();
    for attempt in 0..5 {
        let failed = next(&mut rx, EventKind::SpawnFailed).await;
        assert_eq!(failed.attempt, attempt);
    }
    next(&mut rx, EventKind::GaveUp).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(fake.spawns(), 5);
}

#[tokio::test(start_paused = true)]
async fn pause_holds_restarts_and_resume_starts_held_programs() {
    let (fake, sup, mut rx) = setup(Fake::default(), spec()).await;
    sup.pause_all(None, Origin::new(lifeguard_engine::RequestedBy::Tray))
        .await
        .unwrap();
    let paused = next(&mut rx, EventKind::Paused).await;
    assert_eq!(
        paused.requested_by,
        Some(lifeguard_engine::RequestedBy::Tray)
    );
    fake.kill(1001, crash());
    next(&mut rx, EventKind::Exited).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(fake.spawns(), 1, "no restart while paused");
    let snap = sup.snapshot().await.unwrap();
    assert!(snap.paused);
    assert!(matches!(snap.programs[0].state, Observed::Held { .. }));

    sup.resume_all(Origin::cli()).await.unwrap();
    next(&mut rx, EventKind::Resumed).await;
    assert_eq!(next(&mut rx, EventKind::Restarted).await.pid, Some(1002));
    assert!(!sup.snapshot().await.unwrap().paused);
}

#[tokio::test(start_paused = true)]
async fn a_pause_with_an_end_time_ends_by_itself() {
    let (fake, sup, mut rx) = setup(Fake::default(), spec()).await;
    let until = SystemTime::now() + Duration::from_secs(60);
    sup.pause(&id(), Some(until), Origin::api()).await.unwrap();
    assert!(next(&mut rx, EventKind::Paused).await.until.is_some());
    fake.kill(1001, crash());
    next(&mut rx, EventKind::Exited).await;
    let before = Instant::now();
    next(&mut rx, EventKind::Resumed).await;
    next(&mut rx, EventKind::Restarted).await;
    let waited = Instant::now() - before;
    assert!(
        waited > Duration::from_secs(55) && waited <= Duration::from_secs(61),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn stop_escalates_to_sigkill_after_the_grace() {
    let fake = Fake {
        inner: Mutex::new(FakeState {
            ignore_term: true,
            ..FakeState::default()
        }),
    };
    let (fake, sup, mut rx) = setup(fake, spec()).await;
    let began = Instant::now();
    sup.stop(&id(), Origin::cli().with_reason("done for today"))
        .await
        .unwrap();
    assert_eq!(Instant::now() - began, Duration::from_secs(5));
    let signals = fake.inner.lock().unwrap().signals.clone();
    assert_eq!(signals[..2], [(1001, Signal::TERM), (1001, Signal::KILL)]);
    let stopping = next(&mut rx, EventKind::Stopping).await;
    assert_eq!(stopping.reason.as_deref(), Some("done for today"));
    let stopped = next(&mut rx, EventKind::Stopped).await;
    assert_eq!(
        stopped.requested_by,
        Some(lifeguard_engine::RequestedBy::Cli)
    );
    assert!(matches!(
        stopped.exit,
        Some(Exit::Signal {
            signal: Signal::KILL,
            ..
        })
    ));
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(fake.spawns(), 1, "a stopped program stays down");
}

#[tokio::test(start_paused = true)]
async fn shutdown_stops_all_in_parallel_and_reports_each() {
    let fake = Fake {
        inner: Mutex::new(FakeState {
            ignore_term: true,
            ..FakeState::default()
        }),
    };
    let fake = Arc::new(fake);
    let sup = Supervisor::with_spawner(fake.clone());
    for name in ["a", "b", "c"] {
        sup.add(ProgramSpec::build(name, ["x"]).unwrap(), Origin::api())
            .await
            .unwrap();
    }
    let began = Instant::now();
    let reports = sup.shutdown(Origin::api()).await;
    assert_eq!(
        Instant::now() - began,
        Duration::from_secs(5),
        "graces run in parallel"
    );
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.killed_after_grace));
    assert!(matches!(
        sup.start(&id(), Origin::api()).await,
        Err(lifeguard_engine::EngineError::ShutDown)
    ));
}

#[tokio::test(start_paused = true)]
async fn update_restarts_a_running_program_when_its_launch_changed() {
    let (_fake, sup, mut rx) = setup(Fake::default(), spec()).await;
    let mut s = spec();
    s.backoff.max = Duration::from_secs(60);
    sup.update(
        s.clone(),
        Origin::new(lifeguard_engine::RequestedBy::Config),
    )
    .await
    .unwrap();
    next(&mut rx, EventKind::Updated).await;
    s.argv.push("--new-flag".into());
    sup.update(s, Origin::api()).await.unwrap();
    next(&mut rx, EventKind::Updated).await;
    next(&mut rx, EventKind::Stopping).await;
    assert_eq!(next(&mut rx, EventKind::Restarted).await.pid, Some(1002));
    assert_eq!(
        sup.program(&id()).await.unwrap().spec.argv,
        ["app", "--new-flag"]
    );
}

#[tokio::test(start_paused = true)]
async fn remove_stops_the_program_and_forgets_it() {
    let (_fake, sup, mut rx) = setup(Fake::default(), spec()).await;
    sup.remove(&id(), Origin::api()).await.unwrap();
    next(&mut rx, EventKind::Stopped).await;
    next(&mut rx, EventKind::Removed).await;
    assert!(sup.snapshot().await.unwrap().programs.is_empty());
    assert!(matches!(
        sup.stop(&id(), Origin::api()).await,
        Err(lifeguard_engine::EngineError::UnknownProgram(_))
    ));
}
