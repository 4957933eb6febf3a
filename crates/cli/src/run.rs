//! `lifeguard run -- CMD ARGS…`: supervise one command in the foreground.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use lifeguard_engine::{Event, EventKind, Observed, Origin, ProgramId, ProgramSpec, Supervisor};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::broadcast::error::RecvError;

use crate::spec_args::{default_id, SpecArgs};

/// Options of `lifeguard run`.
#[derive(Args)]
pub struct RunArgs {
    /// Program id used in events (default: derived from the command's file name).
    #[arg(long)]
    id: Option<String>,
    /// Display name used in events (default: the id).
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    spec: SpecArgs,
    /// The command and its arguments, after --.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

impl RunArgs {
    fn spec(self) -> anyhow::Result<ProgramSpec> {
        let id = match self.id {
            Some(id) => ProgramId::new(id)?,
            None => default_id(&self.command),
        };
        let mut spec = ProgramSpec::new(id, self.command);
        spec.name = self.name.unwrap_or_default();
        self.spec.apply(spec)
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
    // A closed stdout must not end the supervision (nor leave the program orphaned).
    static STDOUT_GONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let line = crate::out::try_write(format_args!("{}\n", event.to_json_line()));
    if line.is_err() && !STDOUT_GONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
        eprintln!("lifeguard: stdout is closed: events go on stderr only");
    }
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
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::time::Duration;

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
