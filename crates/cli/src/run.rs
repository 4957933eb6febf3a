//! `lifeguard run -- CMD ARGS…`: supervise one command in the foreground.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};
use lifeguard_engine::{
    duration, Event, EventKind, Observed, Origin, ProgramId, ProgramSpec, RestartPolicy, Signal,
    Supervisor,
};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::broadcast::error::RecvError;

/// Options of `lifeguard run`.
#[derive(Args)]
pub struct RunArgs {
    /// Program id used in events (default: derived from the command's file name).
    #[arg(long)]
    id: Option<String>,
    /// When to restart.
    #[arg(long, value_enum, default_value_t = Policy::OnFailure)]
    restart: Policy,
    /// Exit codes that count as clean under on-failure (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "0")]
    clean_exit_codes: Vec<i32>,
    /// Delay before the first restart that waits (the first quick death after a real run
    /// is restarted at once).
    #[arg(long, value_parser = duration::parse, default_value = SHOWN.initial.as_str())]
    backoff_initial: Duration,
    /// Longest delay between restarts.
    #[arg(long, value_parser = duration::parse, default_value = SHOWN.max.as_str())]
    backoff_max: Duration,
    /// A run this long is a real run: its death is answered by an immediate restart and
    /// forgets earlier quick deaths. Shorter runs are quick deaths (backoff, breaker).
    #[arg(long, alias = "stable-after", value_parser = duration::parse, default_value = SHOWN.min_uptime.as_str())]
    min_uptime: Duration,
    /// Fraction of each delay randomly taken off (0.0–1.0).
    #[arg(long, default_value = SHOWN.jitter.as_str())]
    jitter: f64,
    /// Quick deaths within --breaker-window that make Lifeguard give up.
    #[arg(long, default_value = SHOWN.max_deaths.as_str())]
    breaker_deaths: u32,
    /// The window quick deaths are counted in.
    #[arg(long, value_parser = duration::parse, default_value = SHOWN.window.as_str())]
    breaker_window: Duration,
    /// Never give up (restarts stay spaced by the backoff).
    #[arg(long)]
    no_breaker: bool,
    /// Signal that stops the program's process group.
    #[arg(long, value_parser = |s: &str| Signal::parse(s).map_err(|e| e.to_string()), default_value = SHOWN.stop_signal.as_str())]
    stop_signal: Signal,
    /// Time between the stop signal and SIGKILL.
    #[arg(long, value_parser = duration::parse, default_value = SHOWN.grace.as_str())]
    grace: Duration,
    /// Working directory of the program.
    #[arg(long)]
    cwd: Option<PathBuf>,
    /// Environment variable for the program, NAME=VALUE (repeatable).
    #[arg(long, value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

/// The engine's defaults as flag text: the flags' defaults are the spec's, the same as
/// `lifeguard add`, the window and a `[[program]]` with only `id` and `argv`, and
/// `--help` shows them.
struct Shown {
    initial: String,
    max: String,
    min_uptime: String,
    jitter: String,
    max_deaths: String,
    window: String,
    stop_signal: String,
    grace: String,
}

static SHOWN: LazyLock<Shown> = LazyLock::new(|| {
    let d = ProgramSpec::new(ProgramId::slug("program"), ["program"]);
    Shown {
        initial: duration::format(d.backoff.initial),
        max: duration::format(d.backoff.max),
        min_uptime: duration::format(d.backoff.min_uptime),
        jitter: d.backoff.jitter.to_string(),
        max_deaths: d.breaker.max_deaths.to_string(),
        window: duration::format(d.breaker.window),
        stop_signal: d.stop_signal.to_string(),
        grace: duration::format(d.stop_grace),
    }
});

/// Restart policies, as flags.
#[derive(Clone, Copy, ValueEnum)]
enum Policy {
    Always,
    OnFailure,
    Never,
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    let (k, v) = text.split_once('=').ok_or("write NAME=VALUE")?;
    Ok((k.to_owned(), v.to_owned()))
}

impl RunArgs {
    fn spec(self) -> anyhow::Result<ProgramSpec> {
        let id = match self.id {
            Some(id) => ProgramId::new(id)?,
            None => {
                let file = self
                    .command
                    .first()
                    .map(|c| c.rsplit('/').next().unwrap_or(c));
                ProgramId::slug(file.unwrap_or("program"))
            }
        };
        let mut spec = ProgramSpec::new(id, self.command);
        spec.restart = match self.restart {
            Policy::Always => RestartPolicy::Always,
            Policy::OnFailure => RestartPolicy::OnFailure {
                clean_exit_codes: self.clean_exit_codes,
            },
            Policy::Never => RestartPolicy::Never,
        };
        spec.backoff.initial = self.backoff_initial;
        spec.backoff.max = self.backoff_max;
        spec.backoff.min_uptime = self.min_uptime;
        spec.backoff.jitter = self.jitter;
        spec.breaker.enabled = !self.no_breaker;
        spec.breaker.max_deaths = self.breaker_deaths;
        spec.breaker.window = self.breaker_window;
        spec.stop_signal = self.stop_signal;
        spec.stop_grace = self.grace;
        spec.cwd = self.cwd;
        spec.env = self.env.into_iter().collect();
        spec.validate()?;
        Ok(spec)
    }
}

/// Runs the command until it is done for good or a signal asks Lifeguard to stop.
pub fn main(args: RunArgs) -> anyhow::Result<ExitCode> {
    let spec = args.spec()?;
    // Orphans of the program (launchers' children, helpers of a crashed instance) come to
    // us, so the engine can follow, stop and reap them. Without it, trees are still found
    // by their environment marker, only more slowly.
    if let Err(e) = lifeguard_engine::enable_child_subreaper() {
        eprintln!("lifeguard: cannot become a child subreaper: {e}");
    }
    // One thread is plenty for one program, and keeps the idle process small and quiet.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(supervise(spec))
}

async fn supervise(spec: ProgramSpec) -> anyhow::Result<ExitCode> {
    let id = spec.id.clone();
    let mut term = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot watch SIGINT")?;
    let sup = Supervisor::new();
    // A single-instance app handing its request to a copy already running: watch that copy.
    sup.set_copy_finder(|spec: &ProgramSpec| {
        lifeguard_service::single_instance::find_copy(spec, None)
    });
    let mut events = sup.subscribe();
    sup.add(spec, Origin::cli()).await?;
    let (code, why) = loop {
        let event = tokio::select! {
            event = events.recv() => event,
            _ = term.recv() => break (ExitCode::SUCCESS, "got SIGTERM"),
            _ = int.recv() => break (ExitCode::SUCCESS, "got SIGINT"),
        };
        match event {
            Ok(event) => {
                report(&event);
                if let Some(code) = finished(&sup, &id, &event).await {
                    return Ok(code);
                }
            }
            Err(RecvError::Lagged(n)) => eprintln!("lifeguard: {n} events were dropped"),
            Err(RecvError::Closed) => break (ExitCode::FAILURE, "the engine stopped"),
        }
    };
    eprintln!("lifeguard: {why}: stopping {id}");
    sup.shutdown(Origin::cli().with_reason(format!("lifeguard run {why}")))
        .await;
    while let Ok(event) = events.try_recv() {
        report(&event);
    }
    Ok(code)
}

/// The exit code once the program is down for good (policy said done, or gave up).
async fn finished(sup: &Supervisor, id: &ProgramId, event: &Event) -> Option<ExitCode> {
    match event.kind {
        EventKind::GaveUp => Some(ExitCode::from(1)),
        EventKind::Exited | EventKind::NothingLeft => match sup.program(id).await.ok()?.state {
            Observed::Exited {
                exit: lifeguard_engine::Exit::Code(c),
                ..
            } => Some(ExitCode::from(u8::try_from(c).unwrap_or(1))),
            Observed::Exited { .. } => Some(ExitCode::from(1)),
            _ => None,
        },
        _ => None,
    }
}

/// One JSON line on stdout, one human line on stderr: each one `write`, not one per piece
/// (stderr is unbuffered), since this runs while a restarted program is starting up.
fn report(event: &Event) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(format!("{}\n", event.to_json_line()).as_bytes());
    let pid = event.pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
    let detail = match event.kind {
        EventKind::Exited | EventKind::Stopped => {
            let how = event.exit.map(|e| e.to_string()).unwrap_or_default();
            let up = event
                .uptime_ms
                .map(|ms| format!(" after {}", crate::human::ago(ms)))
                .unwrap_or_default();
            format!("{how}{up}")
        }
        EventKind::RestartScheduled => format!(
            "restart in {}",
            crate::human::ago(event.delay_ms.unwrap_or(0))
        ),
        _ => String::new(),
    };
    let reason = event
        .reason
        .as_deref()
        .map(|r| format!(" — {r}"))
        .unwrap_or_default();
    let kind = serde_json::to_value(event.kind).ok();
    let kind = kind.as_ref().and_then(|k| k.as_str()).unwrap_or("event");
    let line = format!(
        "lifeguard: {} {kind}{pid} {detail}{reason}\n",
        event.program
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn spec(args: &[&str]) -> ProgramSpec {
        let argv = ["lifeguard"].iter().chain(args);
        Cli::try_parse_from(argv)
            .map(|c| c.run.spec())
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn no_flags_means_the_engines_defaults() {
        let got = spec(&["--", "sleep", "5"]);
        let want = ProgramSpec::new(ProgramId::slug("sleep"), ["sleep", "5"]);
        assert_eq!(got, want);
    }

    #[test]
    fn min_uptime_and_its_old_name() {
        let got = spec(&["--min-uptime", "3s", "--", "x"]);
        assert_eq!(got.backoff.min_uptime, Duration::from_secs(3));
        let got = spec(&["--stable-after", "2s", "--", "x"]);
        assert_eq!(got.backoff.min_uptime, Duration::from_secs(2));
    }
}
