//! [`Daemon`]: what every request handler shares, and applying config changes to the
//! engine (the one path for start-up, hot reload, SIGHUP and the socket's edits).

use std::sync::{Arc, Mutex};

use lifeguard_engine::{EngineError, Origin, ProgramId, ProgramSpec, RequestedBy, Supervisor};
use tokio::sync::mpsc;

use super::DaemonOptions;
use crate::config::{ConfigDiff, ConfigStore, ProgramEntry, Settings};
use crate::history::HistoryWriter;
use crate::metrics::ExitCounts;
use crate::output::writes::{LogWrites, Seen};
use crate::output::LogSettings;

/// A request to end the daemon.
#[derive(Debug, Clone)]
pub(super) struct Stop {
    /// Stop the programs (else leave them running).
    pub programs: bool,
    /// Why, for the log and the events.
    pub why: String,
}

/// Shared state of the daemon. Cheap to clone.
#[derive(Clone)]
pub(super) struct Daemon(pub(super) Arc<Inner>);

pub(super) struct Inner {
    pub sup: Supervisor,
    pub store: ConfigStore,
    pub history: HistoryWriter,
    pub options: DaemonOptions,
    pub exits: Arc<ExitCounts>,
    pub warnings: Mutex<Vec<String>>,
    pub metrics: Mutex<Option<tokio::task::JoinHandle<()>>>,
    pub stop: mpsc::Sender<Stop>,
    /// The desktop notifier, once wired (dropping it stops notifications).
    pub notifier: Mutex<Option<crate::notify::NotifierHandle>>,
    /// Set when the daemon started on a broken config file: the problem and the state
    /// file whose instances the first good reload adopts, exactly as start-up does.
    pub broken_start: Mutex<Option<BrokenStart>>,
    /// The `NOTIFY_SOCKET`s of programs that talk back.
    pub talk: super::talk::Sockets,
    /// The window pinger, only while some program has `window_ping`.
    pub pinger: Mutex<Option<crate::hung::Pinger>>,
}

/// A start on a broken config file, until it is fixed.
pub(super) struct BrokenStart {
    /// What is wrong with the file, for `hello`.
    pub problem: String,
    /// The state file of the instances to adopt.
    pub state_file: std::path::PathBuf,
}

impl Daemon {
    pub(super) fn new(
        sup: Supervisor,
        store: ConfigStore,
        history: HistoryWriter,
        options: DaemonOptions,
        exits: Arc<ExitCounts>,
    ) -> (Self, mpsc::Receiver<Stop>) {
        let (stop, rx) = mpsc::channel(1);
        let talk = super::talk::Sockets::new(&options.paths.runtime_dir);
        sup.set_notify_dir(talk.dir().to_owned());
        let inner = Inner {
            sup,
            store,
            history,
            options,
            exits,
            warnings: Mutex::new(Vec::new()),
            metrics: Mutex::new(None),
            stop,
            notifier: Mutex::new(None),
            broken_start: Mutex::new(None),
            talk,
            pinger: Mutex::new(None),
        };
        (Self(Arc::new(inner)), rx)
    }

    /// Logs a problem and keeps it for `hello` (the CLI's `status` shows it).
    pub(super) fn warn(&self, text: String) {
        tracing::warn!("{text}");
        let mut w = self.0.warnings.lock().unwrap_or_else(|p| p.into_inner());
        w.push(text);
        let excess = w.len().saturating_sub(20);
        w.drain(..excess);
    }

    pub(super) fn warnings(&self) -> Vec<String> {
        self.0
            .warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Remembers that the daemon started on a broken config file (see [`BrokenStart`]).
    pub(super) fn started_broken(&self, problem: String, state_file: std::path::PathBuf) {
        *self.broken() = Some(BrokenStart {
            problem,
            state_file,
        });
    }

    /// The broken config file the daemon started on, while it is not fixed.
    pub(super) fn config_problem(&self) -> Option<String> {
        self.broken().as_ref().map(|b| b.problem.clone())
    }

    /// Whether the daemon still waits for a good config file to adopt its programs: the
    /// state file is then left as the previous daemon wrote it.
    pub(super) fn waiting_for_config(&self) -> bool {
        self.broken().is_some()
    }

    fn broken(&self) -> std::sync::MutexGuard<'_, Option<BrokenStart>> {
        self.0
            .broken_start
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn settings(&self) -> Settings {
        self.0.store.current().settings.clone()
    }

    /// The spec the engine runs for a config entry. Every way into the engine (add,
    /// update, adopt, a wish, a pick) goes through here, so none of them can forget the
    /// program's log file.
    pub(super) fn engine_spec(&self, spec: &ProgramSpec) -> ProgramSpec {
        if let Err(e) = self.0.talk.ensure(spec, &self.0.sup) {
            self.warn(format!("program {}: no NOTIFY_SOCKET ({e})", spec.id));
        }
        self.0.options.logs.prepare(spec.clone())
    }

    pub(super) async fn engine_add(&self, entry: &ProgramEntry, origin: &Origin) {
        let spec = self.engine_spec(&entry.spec);
        if let Err(e) = self.0.sup.add(spec, origin.clone()).await {
            self.warn(format!("program {}: {e}", entry.spec.id));
        }
    }

    /// SIGHUP: re-reads the config file now.
    pub(super) async fn reload(&self) {
        match self.0.store.reload() {
            Ok(Some(diff)) => {
                self.apply(
                    diff,
                    &Origin::new(RequestedBy::Config).with_reason("SIGHUP"),
                    None,
                )
                .await
            }
            Ok(None) => tracing::info!("SIGHUP: config unchanged"),
            Err(e) => self.warn(format!("{e} — the previous config stays in force")),
        }
    }

    /// Applies a config change to the engine. `start`: a program added through the socket,
    /// started even when it is not `autostart`.
    pub(super) async fn apply(&self, diff: ConfigDiff, origin: &Origin, start: Option<&ProgramId>) {
        // The first good file after a broken start: the programs are adopted or started
        // by the start-up path (saved instances, copies already running), never started
        // a second time.
        let broken = self.broken().take();
        if let Some(b) = broken {
            tracing::info!("config fixed: adopting or starting its programs as at start-up");
            // The broken file's warning no longer holds.
            self.0
                .warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|w| !w.contains(&b.problem));
            self.start_programs(&b.state_file).await;
            if diff.settings_changed {
                self.settings_changed().await;
            }
            self.refresh_notify_prefs();
            self.sync_pinger();
            return;
        }
        for id in &diff.removed {
            match self.0.sup.remove(id, origin.clone()).await {
                Ok(()) | Err(EngineError::UnknownProgram(_)) => {}
                Err(e) => self.warn(format!("program {id}: {e}")),
            }
        }
        for entry in &diff.added {
            if entry.options.autostart || start == Some(&entry.spec.id) {
                self.engine_add(entry, origin).await;
            }
        }
        for change in &diff.changed {
            let spec = self.engine_spec(&change.entry.spec);
            match self.0.sup.update(spec, origin.clone()).await {
                Ok(()) => {}
                // Listed but never started (not autostart): nothing runs to update.
                Err(EngineError::UnknownProgram(_)) => {}
                Err(e) => self.warn(format!("program {}: {e}", change.entry.spec.id)),
            }
        }
        if diff.settings_changed {
            self.settings_changed().await;
        }
        self.refresh_notify_prefs();
        self.sync_pinger();
    }

    /// Runs the window pinger exactly while some program has `window_ping`.
    pub(super) fn sync_pinger(&self) {
        let list = crate::hung::watched(&self.0.store.current());
        let mut slot = self.0.pinger.lock().unwrap_or_else(|p| p.into_inner());
        match (slot.as_mut(), list.is_empty()) {
            (_, true) => *slot = None,
            (Some(p), false) => p.set(list),
            (None, false) => *slot = crate::hung::Pinger::start(self.0.sup.clone(), list),
        }
    }

    /// Applies what a settings change promises at once: metrics, history retention.
    async fn settings_changed(&self) {
        let settings = self.settings();
        self.start_metrics(&settings).await;
        if let Err(e) = self.0.history.set_retention(settings.history.retention()) {
            tracing::warn!(error = %e, "history retention not changed");
        }
    }

    /// (Re)starts the metrics endpoint as the settings say; a refused address is a
    /// warning, never a reason to stop protecting programs.
    pub(super) async fn start_metrics(&self, settings: &Settings) {
        if let Some(old) = self
            .0
            .metrics
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            old.abort();
        }
        if !settings.metrics.enabled {
            return;
        }
        let listener = match crate::metrics::bind(&settings.metrics.bind).await {
            Ok(l) => l,
            Err(e) => return self.warn(format!("metrics are off: {e}")),
        };
        let (sup, exits) = (self.0.sup.clone(), Arc::clone(&self.0.exits));
        let body = move || {
            let (sup, exits) = (sup.clone(), Arc::clone(&exits));
            async move {
                let snapshot = sup.snapshot().await.ok()?;
                crate::metrics::render(&snapshot, &exits).ok()
            }
        };
        let task = tokio::spawn(crate::metrics::serve(listener, body));
        *self.0.metrics.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
    }

    /// Rotates the log files that reach the size limit, forever: sizes are checked at
    /// start-up, then after inotify reports a write, at most once per `check_every`;
    /// while nothing is written, nothing wakes up. Where the watch cannot be set up, the
    /// sizes are checked every `check_every` instead.
    pub(super) async fn rotate_logs(self) {
        let logs = self.0.options.logs.clone();
        loop {
            // The watch first, then the check: a write in between is then seen twice
            // rather than never.
            let watch = LogWrites::watch(&logs.dir);
            // Files that grew past the limit while no daemon (or no watch) was looking.
            rotate_due(&logs).await;
            let mut writes = match watch {
                Ok(w) => w,
                Err(e) => {
                    tracing::debug!(error = %e, dir = %logs.dir.display(), "no inotify watch on the log directory: checking log sizes on a timer");
                    return rotate_on_timer(&logs).await;
                }
            };
            tracing::debug!(dir = %logs.dir.display(), "watching the log directory for writes");
            if let Err(e) = rotate_on_writes(&logs, &mut writes).await {
                tracing::debug!(error = %e, "the log directory's watch failed: checking log sizes on a timer");
                return rotate_on_timer(&logs).await;
            }
            // The directory went away (removed by hand). Watch it again, recreated, after
            // a pause, so a directory that keeps vanishing cannot make this spin.
            drop(writes);
            tokio::time::sleep(logs.check_every).await;
        }
    }
}

/// Checks after each write, then pauses `check_every` (writes meanwhile wait in the
/// inotify queue, so a chatty program costs one check per pause, and a quiet one none).
/// Returns when the watch ends.
async fn rotate_on_writes(logs: &LogSettings, writes: &mut LogWrites) -> std::io::Result<()> {
    let mut seen = None;
    loop {
        let now = match seen.take() {
            Some(s) => s,
            None => writes.written().await?,
        };
        if now == Seen::Gone {
            return Ok(());
        }
        rotate_due(logs).await;
        tokio::time::sleep(logs.check_every).await;
        // What was written during the pause (our own truncation too: one more cheap
        // check, then quiet).
        seen = writes.pending()?;
    }
}

/// The fallback without inotify: a size check every `check_every`.
async fn rotate_on_timer(logs: &LogSettings) {
    // The caller has just checked: the first tick (immediate) after one period. A zero
    // period would make `interval` panic.
    let period = logs.check_every.max(std::time::Duration::from_millis(1));
    tokio::time::sleep(period).await;
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        rotate_due(logs).await;
    }
}

/// Rotates the log files that reached the size limit.
async fn rotate_due(logs: &LogSettings) {
    let due = crate::output::rotate::due(&logs.dir, logs.max_bytes);
    if due.is_empty() {
        return;
    }
    // Copying megabytes is blocking work: off the runtime's thread.
    let (max, keep) = (logs.max_bytes, logs.keep);
    let _ = tokio::task::spawn_blocking(move || crate::output::rotate::rotate_all(&due, max, keep))
        .await;
}
