//! Commands that change programs: add, remove, start/stop/restart/retry, pause/resume.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use lifeguard_engine::{Origin, ProgramId, ProgramSpec};
use lifeguard_service::client::Client;
use lifeguard_service::config::ProgramOptions;
use lifeguard_service::protocol::methods::ProgramInfo;

use crate::spec_args::{default_id, SpecArgs};
use crate::{human, Global};

/// Runs a client command on a small single-threaded runtime.
pub fn block_on(
    f: impl std::future::Future<Output = anyhow::Result<ExitCode>>,
) -> anyhow::Result<ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(f)
}

/// Connects to the daemon named by `--socket`, or the user's.
pub async fn connect(g: &Global) -> anyhow::Result<Client> {
    Ok(match &g.socket {
        Some(path) => Client::connect(path).await?,
        None => Client::connect_default().await?,
    })
}

/// The origin of every change made from the command line.
pub fn origin(g: &Global) -> Origin {
    match &g.reason {
        Some(r) => Origin::cli().with_reason(r.clone()),
        None => Origin::cli(),
    }
}

/// `add`'s arguments: `run`'s, with the same names and defaults, and the daemon's own.
#[derive(Args)]
pub struct AddArgs {
    /// Display name (also the source of the id when --id is not given).
    #[arg(long)]
    name: Option<String>,
    /// Stable id (default: derived from the name or the command).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    spec: SpecArgs,
    /// Do not start it when the daemon starts (it is still started now).
    #[arg(long)]
    no_autostart: bool,
    /// Protect this running process as it is, without restarting it; the command (default:
    /// the process's own command line) is what relaunches it when it dies.
    #[arg(long, value_name = "PID")]
    adopt: Option<u32>,
    /// Take this program over from the desktop's login start (an XDG autostart entry such
    /// as nm-applet.desktop): the session stops starting it and Lifeguard starts it at
    /// login instead; removing it from Lifeguard gives the entry back.
    #[arg(long, value_name = "ID.desktop")]
    takes_over: Option<String>,
    /// The command and its arguments, after --.(optional with --adopt).
    #[arg(last = true, required_unless_present = "adopt", value_name = "CMD")]
    command: Vec<String>,
}

/// One program, by id.
#[derive(Args)]
pub struct ProgramArg {
    /// The program's id (see lifeguard status).
    program: ProgramId,
}

/// `remove`'s arguments.
#[derive(Args)]
pub struct RemoveArgs {
    /// The program's id.
    program: ProgramId,
    /// Stop protecting it but leave it running.
    #[arg(long)]
    keep_running: bool,
}

/// `pause`'s arguments.
#[derive(Args)]
pub struct PauseArgs {
    /// One program; without it, protection of every program is paused.
    program: Option<ProgramId>,
    /// How long, e.g. 15m, 1h (default: until resumed).
    #[arg(long = "for", value_name = "DURATION")]
    for_: Option<String>,
}

/// `resume`'s arguments.
#[derive(Args)]
pub struct ResumeArgs {
    /// One program; without it, every pause ends.
    program: Option<ProgramId>,
}

/// `lifeguard add`.
pub async fn add(c: &Client, g: &Global, mut a: AddArgs) -> anyhow::Result<ExitCode> {
    if let (Some(pid), true) = (a.adopt, a.command.is_empty()) {
        let info = lifeguard_engine::ProcessInfo::read(pid)
            .with_context(|| format!("--adopt {pid}: cannot read that process"))?;
        a.command = info.argv;
    }
    let id = match (&a.id, &a.name) {
        (Some(id), _) => ProgramId::new(id.clone())?,
        (None, Some(name)) => ProgramId::slug(name),
        (None, None) => default_id(&a.command),
    };
    let mut spec = ProgramSpec::new(id, a.command);
    spec.name = a.name.unwrap_or_default();
    let spec = a.spec.apply(spec)?;
    let options = ProgramOptions {
        autostart: !a.no_autostart,
        autostart_entry: a.takes_over,
        ..ProgramOptions::default()
    };
    let program = ProgramInfo { spec, options };
    let snap = match a.adopt {
        Some(pid) => c.add_adopting(program, pid, origin(g)).await?,
        None => c.add(program, origin(g)).await?,
    };
    let done = if a.adopt.is_some() {
        "adopted"
    } else {
        "added"
    };
    human::print_program(g, &snap, done)
}

/// `lifeguard remove`.
pub async fn remove(c: &Client, g: &Global, a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let removed = c.remove(&a.program, a.keep_running, origin(g)).await?;
    if g.json {
        outln!("{}", serde_json::to_string(&removed)?);
    } else if let Some(pid) = removed.left_running {
        outln!(
            "{}: no longer protected; pid {pid} left running",
            removed.program
        );
    } else {
        outln!("{}: removed", removed.program);
    }
    Ok(ExitCode::SUCCESS)
}

/// `lifeguard start|stop|restart|retry`.
pub async fn control(
    c: &Client,
    g: &Global,
    verb: &str,
    a: ProgramArg,
) -> anyhow::Result<ExitCode> {
    let o = origin(g);
    let snap = match verb {
        "start" => c.start(&a.program, o).await?,
        "stop" => c.stop(&a.program, o).await?,
        "restart" => c.restart(&a.program, o).await?,
        _ => c.retry(&a.program, o).await?,
    };
    human::print_program(g, &snap, verb)
}

/// `lifeguard pause`.
pub async fn pause(c: &Client, g: &Global, a: PauseArgs) -> anyhow::Result<ExitCode> {
    let snap = c.pause(a.program.as_ref(), None, a.for_, origin(g)).await?;
    human::print_snapshot(g, &snap)
}

/// `lifeguard resume`.
pub async fn resume(c: &Client, g: &Global, a: ResumeArgs) -> anyhow::Result<ExitCode> {
    let snap = c.resume(a.program.as_ref(), origin(g)).await?;
    human::print_snapshot(g, &snap)
}

/// `shutdown`'s arguments.
#[derive(Args)]
pub struct ShutdownArgs {
    /// Stop every protected program too (default: leave them running).
    #[arg(long)]
    stop_programs: bool,
}

/// `lifeguard shutdown`.
pub async fn shutdown(c: &Client, g: &Global, a: ShutdownArgs) -> anyhow::Result<ExitCode> {
    let r = c.shutdown(a.stop_programs, origin(g)).await?;
    if g.json {
        outln!("{}", serde_json::to_string(&r)?);
    } else if r.stop_programs {
        outln!("daemon shutting down; stopping every program");
    } else {
        outln!("daemon shutting down; programs left running");
    }
    Ok(ExitCode::SUCCESS)
}
