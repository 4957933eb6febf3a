//! Every method: its name, params and result, shared by the client and the server.
//!
//! Mutating methods carry who asked (`requested_by`: `ui`, `tray`, `cli`, `api`,
//! `config`) and an optional `reason`, flattened into their params as the engine's
//! [`Origin`]; both end up in the events and the history.

use std::path::PathBuf;

use lifeguard_engine::{Origin, ProgramId, ProgramSnapshot, ProgramSpec, Snapshot};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::{ProgramOptions, Settings};
use crate::history::{Cursor, Page, ProgramStats};

/// A method: its wire name and the types of its params and result.
pub trait Method {
    /// The name in the request's `method` field.
    const NAME: &'static str;
    /// The request's `params`.
    type Params: Serialize + DeserializeOwned + Send + 'static;
    /// The response's `result`.
    type Result: Serialize + DeserializeOwned + Send + 'static;
}

macro_rules! method {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $params:ty => $result:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $ty;
        impl Method for $ty {
            const NAME: &'static str = $name;
            type Params = $params;
            type Result = $result;
        }
    };
}

method!(/// Who the daemon is.
    Hello, "hello", Empty => HelloInfo);
method!(/// The engine's snapshot: global pause and every program's state.
    Status, "status", Empty => Snapshot);
method!(/// The programs in the config file.
    List, "list", Empty => Vec<ProgramInfo>);
method!(/// Adds a program to the config file and starts it (unless `autostart` is false), or,
    /// with `adopt`, protects a process already running without restarting it.
    Add, "add", ProgramParams => ProgramSnapshot);
method!(/// Stops and removes a program (or, with `keep_running`, stops protecting it only).
    Remove, "remove", RemoveParams => Removed);
method!(/// Replaces a program's spec and options in the config file and the engine.
    Update, "update", ProgramParams => ProgramSnapshot);
method!(/// Starts a program that is down.
    Start, "start", Target => ProgramSnapshot);
method!(/// Stops a program; returns once it is down.
    Stop, "stop", Target => ProgramSnapshot);
method!(/// Stops a program if running and starts it again.
    Restart, "restart", Target => ProgramSnapshot);
method!(/// Starts a program that gave up, with a clean breaker tally.
    Retry, "retry", Target => ProgramSnapshot);
method!(/// Pauses restarts of one program, or of all.
    Pause, "pause", PauseParams => Snapshot);
method!(/// Resumes one program, or all (the global pause and every program's own).
    Resume, "resume", ResumeParams => Snapshot);
method!(/// A page of the restart history, newest first.
    History, "history", HistoryParams => Page);
method!(/// Per-program statistics from the history.
    Stats, "stats", StatsParams => Vec<ProgramStats>);
method!(/// Restarts per day per program, for the history chart.
    Chart, "chart", ChartParams => crate::history::RestartChart);
method!(/// Writes a filtered range of the history to a file, as CSV or JSON lines.
    Export, "export", ExportParams => Exported);
method!(/// Engine events as `event` notifications, until the client disconnects; with
    /// `snapshots`, each burst of events is followed by a `snapshot` notification.
    Subscribe, "subscribe", SubscribeParams => Subscribed);
method!(/// The last lines of a program's log; with `follow`, new lines as `log` notifications.
    Logs, "logs", LogsParams => LogLines);
method!(/// The global settings.
    ConfigGet, "config.get", Empty => ConfigView);
method!(/// Changes global settings (merged into the current ones) and saves the file.
    ConfigSet, "config.set", ConfigSetParams => ConfigView);
method!(/// Shuts the daemon down, stopping the programs or leaving them running.
    Shutdown, "shutdown", ShutdownParams => ShuttingDown);

/// Every method's name, for `method_not_found` messages and the docs.
pub const ALL: [&str; 22] = [
    Hello::NAME,
    Status::NAME,
    List::NAME,
    Add::NAME,
    Remove::NAME,
    Update::NAME,
    Start::NAME,
    Stop::NAME,
    Restart::NAME,
    Retry::NAME,
    Pause::NAME,
    Resume::NAME,
    History::NAME,
    Stats::NAME,
    Chart::NAME,
    Export::NAME,
    Subscribe::NAME,
    Logs::NAME,
    super::usage::UsageMethod::NAME,
    ConfigGet::NAME,
    ConfigSet::NAME,
    Shutdown::NAME,
];

/// No params: `{}` (or absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Empty {}

/// `hello`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelloInfo {
    /// The daemon's version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// [`super::PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The daemon's process id.
    pub pid: u32,
    /// The daemon's (and so every accepted client's) uid.
    pub uid: u32,
    /// Problems the daemon noticed (an invalid config file, metrics refused…), newest last.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Set while the daemon runs on a broken `config.toml` it started with: no program
    /// is supervised yet, the ones running from before are left as they are, and they are
    /// adopted (not started again) once the file is fixed. The problem, for the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_problem: Option<String>,
}

/// A program as the config file has it: the engine's spec and the service's options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramInfo {
    /// What the engine runs.
    pub spec: ProgramSpec,
    /// Autostart, notifications, icon…
    #[serde(default)]
    pub options: ProgramOptions,
}

/// `add` and `update`: a program and who asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramParams {
    /// The program.
    #[serde(flatten)]
    pub program: ProgramInfo,
    /// `add` only: the pid of a process already running to adopt as the program's
    /// instance instead of starting one. Its working directory and environment, read from
    /// `/proc`, fill the spec's `cwd` and `env` where those are not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt: Option<u32>,
    /// `update` only: check the program exactly as an update would (the spec's ranges
    /// and the whole config file it would make) and answer, writing nothing and leaving
    /// the running program alone. The window asks this while the user types.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `start`, `stop`, `restart`, `retry`: which program and who asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The program's id.
    pub program: ProgramId,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `remove`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoveParams {
    /// The program's id.
    pub program: ProgramId,
    /// Stop protecting it but leave it running (the UI's "stop protecting").
    #[serde(default)]
    pub keep_running: bool,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `remove`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Removed {
    /// The program's id.
    pub program: ProgramId,
    /// With `keep_running`: the pid left running, if it was running.
    pub left_running: Option<u32>,
}

/// `pause`'s params. Without `until` or `for`, the pause lasts until resumed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PauseParams {
    /// One program; absent pauses all (programs added later too).
    #[serde(default)]
    pub program: Option<ProgramId>,
    /// End of the pause, ms since the epoch.
    #[serde(default)]
    pub until: Option<u64>,
    /// Length of the pause, e.g. `"15m"`, `"1h"` (instead of `until`).
    #[serde(default, rename = "for")]
    pub for_: Option<String>,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `resume`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResumeParams {
    /// One program; absent resumes all.
    #[serde(default)]
    pub program: Option<ProgramId>,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `history`'s params: filters and a keyset cursor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryParams {
    /// Only this program.
    #[serde(default)]
    pub program: Option<String>,
    /// Only these kinds (`exited`, `restarted`…); empty for all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Only events at or after this time (ms since the epoch).
    #[serde(default)]
    pub since_ms: Option<i64>,
    /// Only events before this time (ms since the epoch).
    #[serde(default)]
    pub until_ms: Option<i64>,
    /// The previous page's `next`, for the following page.
    #[serde(default)]
    pub after: Option<Cursor>,
    /// Page size (default 100, at most 1000).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `stats`' params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsParams {
    /// One program; absent for every program in the config.
    #[serde(default)]
    pub program: Option<ProgramId>,
    /// Window for uptime and MTBF, e.g. `"7d"` (the default).
    #[serde(default)]
    pub window: Option<String>,
}

/// `chart`'s params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartParams {
    /// One program; absent for every program with restarts.
    #[serde(default)]
    pub program: Option<String>,
    /// How many days back, today included (default 30, at most 366).
    #[serde(default)]
    pub days: Option<u32>,
}

/// The format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `export`'s params: the history filters, a format and the file to write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportParams {
    /// Only this program.
    #[serde(default)]
    pub program: Option<String>,
    /// Only these kinds; empty for all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Only events at or after this time (ms since the epoch).
    #[serde(default)]
    pub since_ms: Option<i64>,
    /// Only events before this time (ms since the epoch).
    #[serde(default)]
    pub until_ms: Option<i64>,
    /// CSV or JSON lines.
    pub format: ExportFormat,
    /// The file to write (absolute); replaced if it exists.
    pub path: PathBuf,
}

/// `export`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// How many events it holds.
    pub rows: u64,
}

/// `subscribe`'s params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubscribeParams {
    /// Also send the whole [`Snapshot`] (what `status` answers) as a `snapshot`
    /// notification once when subscribing and after every burst of events: the state the
    /// engine's machine moved to, so a client shows it instead of working it out.
    #[serde(default)]
    pub snapshots: bool,
}

/// `subscribe`'s result; the events follow as notifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscribed {
    /// Always true.
    pub subscribed: bool,
}

/// `logs`' params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogsParams {
    /// The program's id.
    pub program: ProgramId,
    /// How many of the last lines (default 100).
    #[serde(default = "default_lines")]
    pub lines: usize,
    /// Keep sending new lines as `log` notifications until the client disconnects.
    #[serde(default)]
    pub follow: bool,
}

fn default_lines() -> usize {
    100
}

/// Which of a program's output streams a line was written to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Stream {
    /// Standard output (the file `path`).
    #[default]
    Stdout,
    /// Standard error (the file `stderr_path`).
    Stderr,
}

/// Lines of a program's log: `logs`' result and the `log` notification's params.
///
/// `lines` stays a list of strings so a client that knows nothing of streams still reads
/// every line; `streams` says, line by line, which stream each came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LogLines {
    /// The program's id.
    pub program: ProgramId,
    /// The stdout log file (`output/<id>.log`; before stderr had its own file, it held both).
    pub path: PathBuf,
    /// The stderr log file (`output/<id>.err.log`). Absent from daemons that wrote both
    /// streams to `path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub stderr_path: Option<PathBuf>,
    /// The lines without newlines (invalid UTF-8 replaced). In `logs`' answer: the last
    /// lines of stdout, oldest first, then those of stderr (the files carry no times, so
    /// the two cannot be interleaved honestly); in a `log` notification: the lines that
    /// arrived since the last one, stdout's before stderr's.
    pub lines: Vec<String>,
    /// The stream of each of `lines`, in the same order. Empty from daemons that wrote
    /// both streams to one file: then every line counts as stdout (see [`LogLines::stream`]).
    #[serde(default)]
    pub streams: Vec<Stream>,
    /// Older lines left out to keep the message under 1 MiB (0 when none were).
    #[serde(default)]
    pub omitted: usize,
}

impl LogLines {
    /// The stream of line `i` (stdout when the daemon did not say).
    pub fn stream(&self, i: usize) -> Stream {
        self.streams.get(i).copied().unwrap_or_default()
    }

    /// The lines with their streams, in order.
    pub fn tagged(&self) -> impl Iterator<Item = (Stream, &str)> + '_ {
        self.lines
            .iter()
            .enumerate()
            .map(|(i, l)| (self.stream(i), l.as_str()))
    }
}

/// `config.get`'s and `config.set`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConfigView {
    /// The config file.
    pub path: PathBuf,
    /// The settings in force.
    pub settings: Settings,
    /// As in `hello`: the daemon started on this broken file and adopts the programs
    /// running from before once it is fixed (the window says so instead of "nothing is
    /// protected yet").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_problem: Option<String>,
}

/// `config.set`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigSetParams {
    /// The settings to change, as a partial object, e.g. `{"notifications": false}` or
    /// `{"metrics": {"enabled": true}}`; nested objects are merged.
    pub settings: serde_json::Value,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `shutdown`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShutdownParams {
    /// Stop every program first (the tray's "Quit Lifeguard and stop protected
    /// programs"); false leaves them running.
    #[serde(default)]
    pub stop_programs: bool,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `shutdown`'s result, sent before the daemon exits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShuttingDown {
    /// Whether the programs are being stopped.
    pub stop_programs: bool,
}
