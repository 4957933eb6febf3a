//! The history writer: a cheap cloneable handle in front of one thread that owns the
//! SQLite connection.
//!
//! `record` only pushes onto an unbounded channel, so the restart path never waits for
//! the disk. The thread batches: the first pending event arms a deadline (the commit
//! window, 100 ms by default) and everything that arrives before it goes into one
//! transaction. With nothing pending the thread blocks in `recv()` with no timeout, so an
//! idle daemon has no periodic wake-ups. rusqlite is blocking, hence a thread, not a task.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::error::{HistoryError, Result};
use super::record::{now_ms, HistoryRecord};
use super::retention::{prune, Retention};
use super::trouble::{is_corrupt, move_aside, open_or_move_aside, Trouble};
use super::{rows, schema};
use crate::telemetry::TelemetryWriter;

/// Tuning for [`HistoryWriter::open`].
#[derive(Debug)]
pub struct WriterOptions {
    /// Longest time an event waits before its batch is committed (default 100 ms).
    pub commit_window: Duration,
    /// Commit early once this many events are pending (default 4096).
    pub max_batch: usize,
    /// What to keep; pruned at open and every `prune_every` commits.
    pub retention: Retention,
    /// Commits between two prunes (default 64).
    pub prune_every: u32,
    /// Also append each committed event to this JSON-lines telemetry file.
    pub telemetry: Option<TelemetryWriter>,
    /// Told once when writing starts failing (and when it works again), and when a
    /// corrupt file was moved aside.
    pub trouble: Option<Trouble>,
    /// Most events kept pending while the disk refuses them (the oldest pending ones
    /// go first beyond it; committed events are never touched). Default 100 000.
    pub max_pending: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            commit_window: Duration::from_millis(100),
            max_batch: 4096,
            retention: Retention::default(),
            prune_every: 64,
            telemetry: None,
            trouble: None,
            max_pending: 100_000,
        }
    }
}

type Ack = Box<dyn FnOnce(Result<()>) + Send>;

enum Msg {
    Record(Box<HistoryRecord>),
    Retention(Retention),
    Flush(Ack),
    Close(Ack),
}

/// Counters the writer thread keeps, readable from any handle.
#[derive(Debug, Default)]
struct Counters {
    committed: AtomicU64,
    commits: AtomicU64,
}

/// Handle to the history writer thread. Clone it freely; every clone feeds the same
/// thread. Events still pending when the process exits without [`HistoryWriter::close`]
/// or a flush are lost — committed ones never are.
#[derive(Clone)]
pub struct HistoryWriter {
    tx: mpsc::Sender<Msg>,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for HistoryWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryWriter")
            .field("committed", &self.committed())
            .finish_non_exhaustive()
    }
}

impl HistoryWriter {
    /// Opens (creating and migrating) the database at `path` and starts the writer thread.
    pub fn open(path: &Path, options: WriterOptions) -> Result<Self> {
        let conn = open_or_move_aside(path, options.trouble.as_ref())?;
        let (tx, rx) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread = Thread {
            conn,
            path: path.to_owned(),
            failing: false,
            dropped: 0,
            options,
            counters: Arc::clone(&counters),
            pending: Vec::new(),
            deadline: None,
            commits_since_prune: 0,
        };
        std::thread::Builder::new()
            .name("lifeguard-history".into())
            .spawn(move || thread.run(rx))
            .map_err(|source| HistoryError::Io {
                path: path.to_owned(),
                source,
            })?;
        Ok(Self { tx, counters })
    }

    /// Applies a new retention now (a settings change): prunes at once and from then on.
    pub fn set_retention(&self, retention: Retention) -> Result<()> {
        self.tx
            .send(Msg::Retention(retention))
            .map_err(|_| HistoryError::Closed)
    }

    /// Queues one event. Never blocks; fails only if the writer has been closed.
    pub fn record(&self, record: HistoryRecord) -> Result<()> {
        self.tx
            .send(Msg::Record(Box::new(record)))
            .map_err(|_| HistoryError::Closed)
    }

    /// Waits until every event recorded before this call is committed.
    pub async fn flush(&self) -> Result<()> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send_ack(Msg::Flush, move |r| drop(tx.send(r)))?;
        rx.await.map_err(|_| HistoryError::Closed)?
    }

    /// Like [`HistoryWriter::flush`], for threads outside an async runtime.
    pub fn flush_blocking(&self) -> Result<()> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send_ack(Msg::Flush, move |r| drop(tx.send(r)))?;
        rx.recv().map_err(|_| HistoryError::Closed)?
    }

    /// Commits everything pending and stops the thread; later `record`s fail with
    /// [`HistoryError::Closed`]. Blocks until done (at most one batch commit).
    pub fn close(&self) -> Result<()> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send_ack(Msg::Close, move |r| drop(tx.send(r)))?;
        rx.recv().map_err(|_| HistoryError::Closed)?
    }

    /// How many events this writer has committed so far.
    pub fn committed(&self) -> u64 {
        self.counters.committed.load(Ordering::Relaxed)
    }

    /// How many transactions this writer has committed so far (batching keeps it low).
    pub fn commits(&self) -> u64 {
        self.counters.commits.load(Ordering::Relaxed)
    }

    fn send_ack(
        &self,
        make: fn(Ack) -> Msg,
        ack: impl FnOnce(Result<()>) + Send + 'static,
    ) -> Result<()> {
        self.tx
            .send(make(Box::new(ack)))
            .map_err(|_| HistoryError::Closed)
    }
}

/// State owned by the writer thread.
struct Thread {
    conn: Connection,
    path: std::path::PathBuf,
    /// Commits are failing (reported once, until one succeeds).
    failing: bool,
    /// Pending events dropped beyond `max_pending` during this episode.
    dropped: u64,
    options: WriterOptions,
    counters: Arc<Counters>,
    pending: Vec<HistoryRecord>,
    /// Armed only while something is pending.
    deadline: Option<Instant>,
    commits_since_prune: u32,
}

impl Thread {
    fn run(mut self, rx: mpsc::Receiver<Msg>) {
        self.prune();
        loop {
            let msg = match self.deadline {
                None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            match msg {
                Ok(Msg::Record(record)) => {
                    let max = self.options.max_pending.max(1);
                    if self.pending.len() >= max {
                        // A tenth at a time, so a long outage does not cost a shift per event.
                        let n = (max / 10).clamp(1, self.pending.len());
                        self.pending.drain(..n);
                        self.dropped += n as u64;
                    }
                    self.pending.push(*record);
                    if self.deadline.is_none() {
                        self.deadline = Some(Instant::now() + self.options.commit_window);
                    }
                    // While commits fail, the retry timer alone tries again.
                    if self.pending.len() >= self.options.max_batch && !self.failing {
                        let _ = self.commit();
                    }
                }
                Ok(Msg::Retention(retention)) => {
                    self.options.retention = retention;
                    self.prune();
                }
                Ok(Msg::Flush(ack)) => ack(self.commit()),
                Ok(Msg::Close(ack)) => {
                    let result = self.commit();
                    // Drop the receiver before acking, so a `record` after `close`
                    // returns reliably fails instead of racing the thread's exit.
                    drop(rx);
                    ack(result);
                    return;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = self.commit();
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = self.commit();
                    return;
                }
            }
        }
    }

    /// Commits the pending batch. On failure the batch stays pending and is retried a
    /// second later, so a transient error (disk full, a locked file) loses nothing.
    fn commit(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        match self.insert_batch() {
            Ok(()) => {
                let n = self.pending.len() as u64;
                if std::mem::take(&mut self.failing) {
                    let lost = std::mem::take(&mut self.dropped);
                    let text = match lost {
                        0 => format!("the history is written again ({n} pending events saved)"),
                        _ => format!("the history is written again ({n} pending events saved; {lost} older ones did not fit in memory)"),
                    };
                    tracing::info!("{text}");
                    self.tell(text);
                }
                self.counters.committed.fetch_add(n, Ordering::Relaxed);
                self.counters.commits.fetch_add(1, Ordering::Relaxed);
                if let Some(telemetry) = self.options.telemetry.as_mut() {
                    telemetry.append_all(&self.pending);
                }
                self.pending.clear();
                self.deadline = None;
                self.commits_since_prune += 1;
                if self.commits_since_prune >= self.options.prune_every {
                    self.prune();
                }
                Ok(())
            }
            Err(e) => {
                self.deadline = Some(Instant::now() + Duration::from_secs(1));
                if is_corrupt(&e) {
                    self.replace_corrupt(&e);
                } else if !std::mem::replace(&mut self.failing, true) {
                    tracing::error!(error = %e, pending = self.pending.len(), "history commit failed");
                    self.tell(format!("the history cannot be written ({e}); programs are still protected, and the events are kept and written once it works again"));
                } else {
                    tracing::debug!(error = %e, pending = self.pending.len(), "history commit failed again");
                }
                Err(HistoryError::Commit(e.to_string()))
            }
        }
    }

    fn insert_batch(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(rows::INSERT)?;
            for record in &self.pending {
                rows::insert(&mut stmt, record)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn prune(&mut self) {
        self.commits_since_prune = 0;
        if let Err(e) = prune(&self.conn, &self.options.retention, now_ms()) {
            tracing::warn!(error = %e, "history pruning failed");
        }
    }
}

impl Thread {
    fn tell(&self, text: String) {
        if let Some(t) = &self.options.trouble {
            t.tell(text);
        }
    }

    /// The file went bad under us: move it aside and start a new one (the pending batch
    /// goes into the new file at the next try).
    fn replace_corrupt(&mut self, e: &HistoryError) {
        let fresh = match move_aside(&self.path) {
            Ok(to) => schema::open_for_writing(&self.path).map(|c| (c, to)),
            Err(source) => Err(HistoryError::Io {
                path: self.path.clone(),
                source,
            }),
        };
        match fresh {
            Ok((conn, to)) => {
                self.conn = conn;
                let text = format!("the history file {} was unreadable ({e}); moved aside to {} and a new one started", self.path.display(), to.display());
                tracing::warn!("{text}");
                self.tell(text);
            }
            Err(again) => {
                if !std::mem::replace(&mut self.failing, true) {
                    self.tell(format!("the history file {} is unreadable ({e}) and could not be replaced ({again}); programs are still protected", self.path.display()));
                }
            }
        }
    }
}
