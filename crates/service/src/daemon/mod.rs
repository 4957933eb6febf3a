//! `lifeguard daemon`: the engine, the config store, the history writer, the control
//! socket, program output and metrics, assembled in one small process.
//!
//! Start-up order matters: the lock first (a second daemon must not touch anything),
//! then the history recorder, the notifier and the state-file writer subscribe before any
//! program starts (no event is missed), then the socket binds, then the programs are
//! adopted (still running from before: `adopt.rs`) or started. Shutdown runs the other
//! way: stop restarting, stop the programs (or leave them running, saved in the state
//! file), drain the events into the history, flush it, close the socket.

mod adopt;
mod desktop;
mod edit;
mod handler;
mod handler_guard;
mod installed;
mod kept;
mod lock;
mod logind;
mod persist;
mod pick;
mod reap;
mod records;
mod rpc_history;
mod rpc_programs;
mod rpc_usage;
mod run;
mod running;
mod state;
mod streams;
mod takeover;
mod talk;
mod unseen;
mod wishes;

use std::path::PathBuf;

pub use lock::Lock;
pub use run::run;

use crate::output::LogSettings;
use crate::paths::Paths;

/// How the daemon runs.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    /// Where its files go.
    pub paths: Paths,
    /// Programs' log files and their rotation.
    pub logs: LogSettings,
    /// Called once, when the programs have been started and the socket is served: the
    /// end of start-up, where the `lifeguard` binary gives back start-up memory.
    pub on_ready: Option<fn()>,
    /// Called once, after `on_ready`, when the first start of every program has been
    /// handled and recorded: the burst of spawns and history rows is over, and the
    /// `lifeguard` binary gives the heap's free pages back.
    pub on_settled: Option<fn()>,
    /// The pid of the keeper this daemon runs under (`lifeguard daemon`, unless
    /// `--no-keeper`), if any: adopted programs' exit statuses come from its records, and its death ends the
    /// daemon with [`Outcome::KeeperLost`].
    pub kept_by: Option<u32>,
}

impl DaemonOptions {
    /// Defaults for these directories.
    pub fn new(paths: Paths) -> Self {
        let logs = LogSettings::new(&paths.state_dir);
        Self {
            paths,
            logs,
            on_ready: None,
            on_settled: None,
            kept_by: None,
        }
    }
}

/// How the daemon ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every program was stopped.
    Stopped,
    /// The programs were left running (`programs_outlive_daemon`, or `shutdown` without
    /// `stop_programs`). The caller should exit the process at once rather than drop the
    /// runtime slowly, so nothing gets a chance to stop them.
    LeftRunning,
    /// The keeper was killed: the state is saved, the programs left running, and the
    /// caller should exec itself as a new keeper at once (same pid, so the programs stay
    /// its children), which starts a new daemon.
    KeeperLost,
}

/// Why the daemon could not start (or had to stop).
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// Another daemon holds the lock.
    #[error("another Lifeguard daemon is already running ({}; lock {}) — stop it first, or talk to it with `lifeguard status`", pid.map(|p| format!("pid {p}")).unwrap_or_else(|| "pid unknown".into()), lock.display())]
    AlreadyRunning {
        /// Its pid, as written in the lock file.
        pid: Option<u32>,
        /// The lock file.
        lock: PathBuf,
    },
    /// A file or directory could not be used.
    #[error("cannot use {what} {}: {source}", path.display())]
    Io {
        /// What it is for.
        what: &'static str,
        /// Where.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The control socket could not be set up.
    #[error(transparent)]
    Server(#[from] crate::server::ServerError),
    /// The config file could not be read (an invalid file does not stop the daemon).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The history database could not be opened.
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    /// A signal handler could not be installed.
    #[error("cannot watch signals: {0}")]
    Signals(std::io::Error),
}
