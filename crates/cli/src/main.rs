//! `lifeguard`: the daemon and the commands that talk to it.
//!
//! Each subcommand is one variant of [`Verb`] and one module; `main` only dispatches.
//! Exit codes are listed in [`exit`]; everything printed goes through [`outln!`].

#[macro_use]
mod out;
mod client_cmds;
mod completions;
mod config_cmd;
mod daemon_cmd;
mod daemon_log;
mod exit;
mod help;
mod history_cmd;
mod human;
mod log_filter;
mod logs_cmd;
mod manpages;
mod memory;
mod run;
mod sd_notify;
mod spec_args;
mod status_cmd;
mod style;
mod tray_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

/// Keeps the programs you chose running.
///
/// Lifeguard restarts them when they die, tells you, and keeps a record of it. Without a
/// command, lifeguard shows the status of every program, as lifeguard status does.
#[derive(Parser)]
#[command(name = "lifeguard", version)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    verb: Option<Verb>,
}

/// Flags every command accepts.
#[derive(Args, Clone)]
pub struct Global {
    /// Print JSON instead of tables (for scripts).
    #[arg(long, global = true)]
    json: bool,
    /// The daemon's socket (default: $LIFEGUARD_SOCKET, else $XDG_RUNTIME_DIR/lifeguard/lifeguard.sock).
    #[arg(long, global = true, value_name = "PATH")]
    socket: Option<PathBuf>,
    /// Why you are doing this; recorded in the history with the change.
    #[arg(long, global = true)]
    reason: Option<String>,
    /// Show times in UTC (default: local time).
    #[arg(long, global = true)]
    utc: bool,
}

/// The subcommands.
#[derive(Subcommand)]
enum Verb {
    /// Run the supervisor daemon in the foreground (one per user).
    Daemon(daemon_cmd::DaemonArgs),
    /// Supervise one command in the foreground, without a daemon: one JSON line per event
    /// on stdout, human-readable logs on stderr; SIGINT/SIGTERM stop it gracefully.
    Run(run::RunArgs),
    /// Show every program's state, or one program's (exit status 0 running, 3 down,
    /// 4 unknown).
    Status(status_cmd::StatusArgs),
    /// List the programs in the config file.
    List,
    /// Protect a new program: saved in the config and started.
    Add(client_cmds::AddArgs),
    /// Stop protecting a program (and stop it, unless --keep-running).
    Remove(client_cmds::RemoveArgs),
    /// Start a program that is down.
    Start(client_cmds::ProgramArg),
    /// Stop a program (it stays down until started).
    Stop(client_cmds::ProgramArg),
    /// Restart a program.
    Restart(client_cmds::ProgramArg),
    /// Start a program that gave up (crash loop), with a clean slate.
    Retry(client_cmds::ProgramArg),
    /// Pause protection: of one program, or of all.
    Pause(client_cmds::PauseArgs),
    /// Resume protection: of one program, or of all.
    Resume(client_cmds::ResumeArgs),
    /// Show the restart history.
    History(history_cmd::HistoryArgs),
    /// Show events: the latest ones, or live with --follow.
    Events(history_cmd::EventsArgs),
    /// Show a program's output (stdout and stderr).
    Logs(logs_cmd::LogsArgs),
    /// Stop the daemon (programs keep running unless --stop-programs).
    Shutdown(client_cmds::ShutdownArgs),
    /// Check or show the configuration.
    #[command(subcommand)]
    Config(config_cmd::ConfigVerb),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Show the tray icon and menu (the desktop app starts it; one per user).
    Tray,
    /// Write man pages for every command into a directory (packaging).
    #[command(hide = true)]
    Manpages(manpages::ManpagesArgs),
}

fn main() -> ExitCode {
    let parsed = help::decorate(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let g = cli.global;
    // Like `systemctl` with no arguments: the state of things, not the usage.
    let verb = cli
        .verb
        .unwrap_or(Verb::Status(status_cmd::StatusArgs::default()));
    let outcome = match verb {
        Verb::Daemon(args) => daemon_cmd::main(args),
        Verb::Run(args) => run::main(args),
        Verb::Completions(args) => completions::main(args),
        Verb::Manpages(args) => manpages::main(args),
        Verb::Tray => tray_cmd::main(),
        Verb::Logs(args) if args.daemon => logs_cmd::daemon_logs(&g, args),
        Verb::Config(verb) => config_cmd::main(verb, &g),
        Verb::Status(status_cmd::StatusArgs { program: Some(id) }) => {
            client_cmds::block_on(status_cmd::one(&g, &id))
        }
        verb => client_cmds::block_on(client_main(verb, g)),
    };
    outcome.unwrap_or_else(|e| exit::report(&e))
}

async fn client_main(verb: Verb, g: Global) -> anyhow::Result<ExitCode> {
    let client = client_cmds::connect(&g).await?;
    let c = &client;
    match verb {
        Verb::Status(_) => status_cmd::status(c, &g).await,
        Verb::List => status_cmd::list(c, &g).await,
        Verb::Add(a) => client_cmds::add(c, &g, a).await,
        Verb::Remove(a) => client_cmds::remove(c, &g, a).await,
        Verb::Start(a) => client_cmds::control(c, &g, "start", a).await,
        Verb::Stop(a) => client_cmds::control(c, &g, "stop", a).await,
        Verb::Restart(a) => client_cmds::control(c, &g, "restart", a).await,
        Verb::Retry(a) => client_cmds::control(c, &g, "retry", a).await,
        Verb::Pause(a) => client_cmds::pause(c, &g, a).await,
        Verb::Resume(a) => client_cmds::resume(c, &g, a).await,
        Verb::History(a) => history_cmd::history(c, &g, a).await,
        Verb::Events(a) => history_cmd::events(c, &g, a).await,
        Verb::Logs(a) => logs_cmd::logs(c, &g, a).await,
        Verb::Shutdown(a) => client_cmds::shutdown(c, &g, a).await,
        Verb::Daemon(_)
        | Verb::Run(_)
        | Verb::Completions(_)
        | Verb::Manpages(_)
        | Verb::Tray
        | Verb::Config(_) => Ok(ExitCode::from(exit::USAGE)),
    }
}
