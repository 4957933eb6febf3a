//! The daemon's life: start-up, the signal loop, shutdown.

use std::sync::Arc;

use lifeguard_engine::{Origin, RequestedBy, Supervisor};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{broadcast, watch};

use super::state::{Daemon, Stop};
use super::{lock::Lock, persist, reap, DaemonError, DaemonOptions, Outcome};
use crate::config::{ConfigEvent, ConfigStore, ConfigWatcher};
use crate::history::{HistoryRecord, HistoryWriter, WriterOptions};
use crate::metrics::ExitCounts;
use crate::server::{secure_dir, socket_path, Server};
use crate::telemetry::TelemetryWriter;

/// Runs the daemon until SIGTERM, SIGINT or a `shutdown` request.
pub async fn run(options: DaemonOptions) -> Result<Outcome, DaemonError> {
    let paths = options.paths.clone();
    // The lock lives in the state directory, not the runtime one: every daemon of this
    // user finds the same state directory whatever its environment (one started without
    // `XDG_RUNTIME_DIR` has another runtime directory), and the state, the config and the
    // history it guards are shared.
    secure_dir(&paths.state_dir)?;
    let lock = Lock::acquire(&paths.state_dir.join(super::lock::FILE))?;
    secure_dir(&paths.runtime_dir)?;
    let mut warnings = Vec::new();
    if let Err(e) = lifeguard_engine::enable_child_subreaper() {
        warnings.push(format!("not a child subreaper ({e}): orphans go to init"));
    }
    let (store, problem) = ConfigStore::open_lenient(&paths.config_file())?;
    if let Some(e) = &problem {
        warnings.push(format!("{e} — no program is started or stopped until it is fixed; the ones running from before are then adopted"));
    }
    let settings = store.current().settings.clone();
    // History trouble (a full disk, a corrupt file) becomes a warning of the daemon's.
    let (trouble_tx, mut trouble_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let trouble = crate::history::Trouble::new(move |text| drop(trouble_tx.send(text)));
    let history = open_history(&paths, &settings, trouble)?;
    let kept_by = options.kept_by;
    let mut keeper = super::kept::watch(kept_by).map_err(DaemonError::Signals)?;
    let sup = super::kept::supervisor(kept_by, &paths);
    let programs = store.clone();
    sup.set_copy_finder(move |spec: &lifeguard_engine::ProgramSpec| {
        let config = programs.current();
        let desktop_id = config
            .program(spec.id.as_str())
            .and_then(|e| e.options.desktop_id.as_deref());
        crate::single_instance::find_copy(spec, desktop_id)
    });
    let exits = Arc::new(ExitCounts::default());
    let (stop_rec, recorder) = spawn_recorder(sup.subscribe(), history.clone(), exits.clone());
    let socket = socket_path(&paths);
    let server = Server::bind(&socket)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let (daemon, mut requests) =
        Daemon::new(sup.clone(), store.clone(), history.clone(), options, exits);
    for w in warnings {
        daemon.warn(w);
    }
    let warn_to = daemon.clone();
    tokio::spawn(async move {
        while let Some(text) = trouble_rx.recv().await {
            warn_to.warn(text);
        }
    });
    daemon.start_notifier();
    daemon.load_session_env();
    let state_file = persist::path(&paths.state_dir);
    let saving = tokio::spawn(persist::keep_saved(
        sup.clone(),
        sup.subscribe(),
        state_file.clone(),
    ));
    match problem {
        Some(e) => daemon.started_broken(e.to_string(), state_file.clone()),
        None => daemon.start_programs(&state_file).await,
    }
    daemon.sync_pinger();
    daemon.start_metrics(&settings).await;
    tokio::spawn(reap::reap_orphans(sup.clone()));
    tokio::spawn(super::logind::watch(sup.clone()));
    tokio::spawn(daemon.clone().rotate_logs());
    let serving = tokio::spawn(server.run(Arc::new(daemon.handler()), stop_rx));
    let (_watcher, mut config_events) = match ConfigWatcher::start(store.clone()) {
        Ok((w, rx)) => (Some(w), Some(rx)),
        Err(e) => {
            daemon.warn(format!("config hot reload is off: {e}"));
            (None, None)
        }
    };
    let sig = |k| signal(k).map_err(DaemonError::Signals);
    let (mut term, mut int, mut hup) = (
        sig(SignalKind::terminate())?,
        sig(SignalKind::interrupt())?,
        sig(SignalKind::hangup())?,
    );
    tracing::info!(pid = std::process::id(), socket = %socket.display(), lock = %lock.path().display(), "daemon ready");
    if let Some(ready) = daemon.0.options.on_ready {
        ready();
    }
    if let Some(settled) = daemon.0.options.on_settled {
        tokio::spawn(when_settled(sup.clone(), history.clone(), settled));
    }
    let outlive = || daemon.settings().programs_outlive_daemon;
    let mut keeper_lost = false;
    let stop = loop {
        tokio::select! {
            () = keeper.gone() => {
                keeper_lost = true;
                break Stop { programs: false, why: "its keeper was killed".into() };
            }
            _ = term.recv() => break Stop { programs: !outlive(), why: "SIGTERM".into() },
            _ = int.recv() => break Stop { programs: !outlive(), why: "SIGINT".into() },
            _ = hup.recv() => daemon.reload().await,
            Some(ev) = recv_opt(&mut config_events) => match ev {
                ConfigEvent::Applied(diff) => daemon.apply(diff, &Origin::new(RequestedBy::Config), None).await,
                ConfigEvent::Rejected(e) => daemon.warn(format!("{e} — the previous config stays in force")),
            },
            Some(stop) = requests.recv() => break stop,
        }
    };
    tracing::info!(why = %stop.why, stop_programs = stop.programs, "shutting down");
    let origin =
        Origin::new(RequestedBy::Api).with_reason(format!("daemon shutdown ({})", stop.why));
    // What the person said, before the shutdown's own hold and stops blur it.
    let wishes = match sup.snapshot().await {
        Ok(s) => persist::wishes(&s),
        Err(_) => persist::Wishes::default(),
    };
    let outcome = if stop.programs {
        // Hold restarts first, so nothing that dies meanwhile is brought back.
        let _ = sup.pause_all(None, origin.clone()).await;
        sup.shutdown(origin).await;
        Outcome::Stopped
    } else {
        // A lost keeper is replaced by this very process: nothing is left behind.
        if !keeper_lost {
            hand_off(&sup, &history).await;
        }
        Outcome::LeftRunning
    };
    // The last word on what runs: the next daemon adopts exactly these.
    saving.abort();
    match outcome {
        // Still on a broken config: nothing was adopted, and the saved instances are
        // the next daemon's to adopt.
        _ if daemon.waiting_for_config() => {}
        Outcome::LeftRunning | Outcome::KeeperLost => persist::save(&sup, &state_file).await,
        Outcome::Stopped => persist::clear(&state_file, wishes).await,
    }
    let _ = stop_rec.send(true);
    let _ = recorder.await;
    if let Err(e) = history.close() {
        tracing::error!(error = %e, "history not flushed");
    }
    let _ = stop_tx.send(true);
    let _ = serving.await;
    drop(lock);
    Ok(if keeper_lost {
        Outcome::KeeperLost
    } else {
        outcome
    })
}

async fn recv_opt<T>(rx: &mut Option<tokio::sync::mpsc::UnboundedReceiver<T>>) -> Option<T> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

fn open_history(
    paths: &crate::paths::Paths,
    settings: &crate::config::Settings,
    trouble: crate::history::Trouble,
) -> Result<HistoryWriter, DaemonError> {
    let io = |source| DaemonError::Io {
        what: "the data directory",
        path: paths.data_dir.clone(),
        source,
    };
    std::fs::create_dir_all(&paths.data_dir).map_err(io)?;
    let telemetry = TelemetryWriter::new(
        paths.telemetry_file(),
        TelemetryWriter::DEFAULT_MAX_BYTES,
        TelemetryWriter::DEFAULT_KEEP,
    );
    let options = WriterOptions {
        retention: settings.history.retention(),
        telemetry: Some(telemetry),
        trouble: Some(trouble),
        ..WriterOptions::default()
    };
    Ok(HistoryWriter::open(&paths.history_db(), options)?)
}

/// Records every engine event in the history and the exit counters. On `stop`, drains
/// what is already queued and ends.
fn spawn_recorder(
    mut events: broadcast::Receiver<lifeguard_engine::Event>,
    history: HistoryWriter,
    exits: Arc<ExitCounts>,
) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (tx, mut stop) = watch::channel(false);
    let task = tokio::spawn(async move {
        let record = |e: &lifeguard_engine::Event| {
            exits.observe(e);
            // A status line is shown live, not kept: a program that says its status every
            // second would otherwise fill the history (systemd does not journal it either).
            if e.kind == lifeguard_engine::EventKind::Status {
                return;
            }
            if let Err(err) = history.record(HistoryRecord::from(e)) {
                tracing::error!(error = %err, "event not recorded");
            }
        };
        loop {
            tokio::select! {
                ev = events.recv() => match ev {
                    Ok(e) => record(&e),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::error!(missed = n, "history recorder fell behind; events lost");
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                () = crate::server::stopped(&mut stop) => {
                    while let Ok(e) = events.try_recv() {
                        record(&e);
                    }
                    return;
                }
            }
        }
    });
    (tx, task)
}

/// Records `left_running` for every running program: they outlive the daemon.
async fn hand_off(sup: &Supervisor, history: &HistoryWriter) {
    let Ok(snapshot) = sup.snapshot().await else {
        return;
    };
    for p in snapshot.programs {
        if let lifeguard_engine::Observed::Running { pid, .. } = p.state {
            let mut r = HistoryRecord::new(
                crate::history::now_ms(),
                p.id.as_str(),
                &p.name,
                crate::history::kind::LEFT_RUNNING,
            );
            r.pid = Some(pid);
            r.reason = Some("left running when the daemon exited".into());
            let _ = history.record(r);
        }
    }
}

/// Calls `settled` once the first start of every program has been handled (each actor
/// has answered a snapshot, so it has spawned its program) and its events recorded (the
/// recorder has had its turn and the history is flushed). Best effort: it only decides
/// when start-up memory is given back.
async fn when_settled(sup: Supervisor, history: HistoryWriter, settled: fn()) {
    let _ = sup.snapshot().await;
    tokio::task::yield_now().await;
    let _ = history.flush().await;
    settled();
}
