//! `lifeguard daemon`: runs the supervisor in the foreground (systemd runs it this way).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use lifeguard_engine::duration;
use lifeguard_service::daemon::{self, DaemonOptions, Outcome};
use lifeguard_service::keeper::{Keeper, KEPT_BY};
use lifeguard_service::paths::{PathOverrides, Paths};
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::daemon_log::{self, RotatingFile};

/// `daemon`'s options.
#[derive(Args)]
pub struct DaemonArgs {
    /// The config file's directory (default: $XDG_CONFIG_HOME/lifeguard).
    #[arg(long, value_name = "DIR")]
    config_dir: Option<PathBuf>,
    /// Rotate a program's log file at this size, in bytes.
    #[arg(long, default_value_t = lifeguard_service::output::LogSettings::DEFAULT_MAX_BYTES)]
    log_max_bytes: u64,
    /// Rotated log files kept per program.
    #[arg(long, default_value_t = lifeguard_service::output::LogSettings::DEFAULT_KEEP)]
    log_keep: u32,
    /// The pause between log size checks while logs are written: sizes are checked
    /// after a write (inotify), at most this often; on a timer where inotify is unavailable.
    #[arg(long, value_parser = duration::parse, default_value = "10s")]
    log_check_every: Duration,
    /// Run the daemon as one process, without its keeper. By default a keeper runs in
    /// front of it: a minimal parent that records the exit statuses of programs across
    /// daemon restarts (a quit stays a quit, a crash a crash) and starts a new daemon at
    /// once when it is killed, with or without the desktop app.
    #[arg(long, conflicts_with = "keeper")]
    no_keeper: bool,
    /// The keeper is the default now; the option stays so older scripts and units work.
    #[arg(long, hide = true)]
    keeper: bool,
    /// The keeper's pid (set by the keeper for the daemon it starts).
    #[arg(long = "kept-by", hide = true, value_name = "PID")]
    kept_by: Option<u32>,
    /// Write the daemon's own log to this file, rotated at 1 MiB with 3 old files kept,
    /// instead of stderr (the desktop app passes $XDG_STATE_HOME/lifeguard/daemon.log).
    #[arg(long, value_name = "PATH")]
    log_file: Option<PathBuf>,
}

/// Runs the daemon until SIGTERM/SIGINT or a `shutdown` request.
pub fn main(a: DaemonArgs) -> anyhow::Result<ExitCode> {
    if !a.no_keeper && a.kept_by.is_none() {
        return keep(&a);
    }
    // First: before any thread (and its arena) exists.
    crate::memory::limit_arenas();
    crate::sd_notify::take_from_env();
    let (writer, ansi) = match &a.log_file {
        Some(path) => {
            let file = RotatingFile::open(path, daemon_log::MAX_BYTES, daemon_log::KEEP)
                .with_context(|| format!("cannot open the log file {}", path.display()))?;
            (BoxMakeWriter::new(std::sync::Mutex::new(file)), false)
        }
        None => (
            BoxMakeWriter::new(std::io::stderr),
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ),
    };
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(ansi)
        .finish()
        .with(crate::log_filter::from_env())
        .init();
    let paths = Paths::resolve(&PathOverrides {
        config_dir: a.config_dir,
        ..PathOverrides::default()
    })?;
    let mut options = DaemonOptions::new(paths);
    options.kept_by = a.kept_by;
    options.logs.max_bytes = a.log_max_bytes;
    options.logs.keep = a.log_keep;
    options.logs.check_every = a.log_check_every;
    options.on_ready = Some(on_ready);
    options.on_settled = Some(crate::memory::trim_heap);
    // One thread: a supervisor mostly sleeps, and a small idle footprint matters more
    // than parallel request handling. Blocking work (SQLite reads) goes to spawn_blocking.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Blocking threads (a rotation, a history query) end 1 s after their last job
        // rather than tokio's 10 s: an idle daemon keeps no spare thread (and its stack).
        .thread_keep_alive(Duration::from_secs(1))
        .build()
        .context("cannot start the async runtime")?;
    match runtime.block_on(daemon::run(options))? {
        Outcome::Stopped => Ok(ExitCode::SUCCESS),
        // Exit now: dropping the runtime would drop the engine's handles, and a program
        // task that saw that first would stop its program.
        Outcome::LeftRunning => std::process::exit(0),
        Outcome::KeeperLost if crate::sd_notify::under_systemd() => {
            // systemd's main process was the keeper: systemd now restarts the unit
            // (Restart=on-failure). A daemon that became the keeper instead would be a
            // process systemd no longer counts, beside the daemon its restart starts.
            eprintln!(
                "lifeguard: the keeper was killed; exiting for systemd to restart the service"
            );
            std::process::exit(1)
        }
        Outcome::KeeperLost => {
            // Like LeftRunning if the exec fails: exit at once, the programs keep running.
            eprintln!("lifeguard: {:#}", become_keeper());
            std::process::exit(1)
        }
    }
}

/// Runs the keeper (this process), which starts the daemon proper as its child.
fn keep(a: &DaemonArgs) -> anyhow::Result<ExitCode> {
    let paths = Paths::resolve(&PathOverrides {
        config_dir: a.config_dir.clone(),
        ..PathOverrides::default()
    })?;
    let keeper = Keeper {
        exe: this_binary()?,
        args: std::env::args_os().skip(1).collect(),
        runtime_dir: paths.runtime_dir,
        already_running: i32::from(crate::exit::ALREADY_RUNNING),
    };
    let code = keeper.run().context("the keeper failed")?;
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

/// Replaces this daemon, whose keeper was killed, with a new keeper: the same binary and
/// options in the same process, so the programs stay its children. Returns only on error.
fn become_keeper() -> anyhow::Error {
    use std::os::unix::process::CommandExt;
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    let mut rest = std::env::args_os().skip(1);
    while let Some(arg) = rest.next() {
        if arg == KEPT_BY {
            rest.next();
        } else {
            args.push(arg);
        }
    }
    match this_binary() {
        Ok(exe) => anyhow::Error::new(std::process::Command::new(exe).args(args).exec())
            .context("cannot become the new keeper"),
        Err(e) => e,
    }
}

/// This binary's path (as it was installed: an upgrade replaces the file, and the new
/// daemon should be the new version).
fn this_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the lifeguard binary")?;
    let text = exe.to_string_lossy();
    Ok(match text.strip_suffix(" (deleted)") {
        Some(path) => PathBuf::from(path),
        None => exe,
    })
}

/// The socket listens: tell systemd (Type=notify), then give start-up memory back.
fn on_ready() {
    crate::sd_notify::ready();
    crate::memory::release_startup_memory();
}
