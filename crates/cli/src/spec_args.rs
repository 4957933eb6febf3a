//! The options of a program's spec, shared by `lifeguard run` and `lifeguard add`: the
//! same names, the same defaults (the engine's, which are also what the window and a
//! `[[program]]` with only `id` and `argv` get), shown by `--help`.

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;

use clap::{Args, ValueEnum};
use lifeguard_engine::{duration, ProgramId, ProgramSpec, RestartPolicy, Signal};

/// How a program is restarted and stopped, where it runs.
#[derive(Args, Debug)]
pub struct SpecArgs {
    /// When to restart it.
    #[arg(long, value_enum, default_value_t = Policy::OnFailure, alias = "policy")]
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
}

/// The engine's defaults as flag text, so `--help` shows them and no flag means the
/// engine's own value.
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
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Policy {
    /// Restart after every exit.
    Always,
    /// Restart unless it exited with a clean code (--clean-exit-codes).
    OnFailure,
    /// Never restart.
    Never,
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    let (k, v) = text.split_once('=').ok_or("write NAME=VALUE")?;
    Ok((k.to_owned(), v.to_owned()))
}

/// The id a command gets when none is given: its file name's slug.
pub fn default_id(command: &[String]) -> ProgramId {
    let file = command.first().map(|c| c.rsplit('/').next().unwrap_or(c));
    ProgramId::slug(file.unwrap_or("program"))
}

impl SpecArgs {
    /// `spec` with these options applied, validated (the error names the field).
    pub fn apply(self, mut spec: ProgramSpec) -> anyhow::Result<ProgramSpec> {
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
