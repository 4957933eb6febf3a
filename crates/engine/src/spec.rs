//! What to supervise and how: [`ProgramSpec`] and its parts. Checked by
//! [`ProgramSpec::validate`](crate::ProgramSpec::validate) (in `validate.rs`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::{ProgramId, Signal};

/// Everything the engine needs to run one program. Only `id` and `argv` are required;
/// unknown fields are rejected so a typo in a config file is an error, not a silent default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramSpec {
    /// Stable identifier used in events, history and controls.
    pub id: ProgramId,
    /// Display name; empty means "use the id".
    #[serde(default)]
    pub name: String,
    /// The program and its arguments, run directly (no shell unless argv says `sh -c`).
    pub argv: Vec<String>,
    /// Working directory; `None` inherits the supervisor's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<PathBuf>,
    /// Environment variables set on top of the supervisor's environment.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// When a death is followed by a restart.
    #[serde(default)]
    pub restart: RestartPolicy,
    /// Spacing of restarts after quick deaths.
    #[serde(default)]
    pub backoff: BackoffSpec,
    /// The crash-loop breaker.
    #[serde(default)]
    pub breaker: BreakerSpec,
    /// Signal sent to the program's process group to stop it.
    #[serde(default)]
    pub stop_signal: Signal,
    /// How long to wait after the stop signal before SIGKILLing the group.
    #[serde(default = "defaults::stop_grace", with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub stop_grace: Duration,
    /// Where the program's standard output goes.
    #[serde(default)]
    pub stdout: Output,
    /// Where the program's standard error goes.
    #[serde(default)]
    pub stderr: Output,
    /// An optional health check; without one the engine does no periodic work for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<crate::HealthCheck>,
    /// An optional memory limit on the whole tree; without one nothing is measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<crate::MemoryLimit>,
    /// A command (argv, no shell) run after each restart, once the new instance runs, with
    /// the cause in `LIFEGUARD_*` variables (`hooks.rs`); it never delays the restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_restart: Option<Vec<String>>,
    /// A command (argv, no shell) run when the breaker gives up on the program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_give_up: Option<Vec<String>>,
    /// How long a hook may run before it is killed (with its process group).
    #[serde(
        default = "crate::hooks::default_timeout",
        skip_serializing_if = "defaults::is_hook_timeout",
        with = "crate::duration"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub hook_timeout: Duration,
    /// Whether the program speaks the sd_notify protocol on the `NOTIFY_SOCKET` it is
    /// given: it counts as starting until it says `READY=1`, and its `STATUS=` is shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sd_notify: bool,
    /// A watchdog interval (`0s`: none): a program that said `WATCHDOG=1` and then stays
    /// silent this long is restarted. It is passed as `WATCHDOG_USEC` and implies a
    /// `NOTIFY_SOCKET`.
    #[serde(
        default,
        skip_serializing_if = "Duration::is_zero",
        with = "crate::duration"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub watchdog: Duration,
}

/// When a program that ended is started again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "kebab-case", deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RestartPolicy {
    /// Restart after every death, clean exits included.
    Always,
    /// Restart unless it exited with one of `clean_exit_codes`. Death by any signal,
    /// SIGTERM included, is a failure: a stray `kill` is what Lifeguard guards against.
    OnFailure {
        /// Exit codes that mean "finished on purpose".
        #[serde(default = "defaults::clean_exit_codes")]
        clean_exit_codes: Vec<i32>,
    },
    /// Never restart; run once.
    Never,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy::OnFailure {
            clean_exit_codes: defaults::clean_exit_codes(),
        }
    }
}

/// Restart spacing. A death after a run of at least `min_uptime` is answered by an immediate
/// restart, whatever came before, and so is the first quick death after such a run (a kill
/// that landed soon after the restart); only further quick deaths in a row (runs shorter
/// than `min_uptime`, and failed starts) wait, doubling from `initial` up to `max`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "crate::spec_compat::BackoffFile")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackoffSpec {
    /// Delay before the restart after the first quick death that waits: the first of a
    /// streak that began with no real run, else the second.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub initial: Duration,
    /// Upper bound of the delay.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub max: Duration,
    /// A run at least this long is a real run: its death is restarted at once and forgets
    /// earlier quick deaths (backoff and crash-loop tally). Shorter runs are quick deaths.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub min_uptime: Duration,
    /// Fraction (0.0–1.0) of a delay that is randomly taken off, so programs that died
    /// together do not restart in lockstep.
    pub jitter: f64,
}

impl Default for BackoffSpec {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(30),
            min_uptime: defaults::MIN_UPTIME,
            jitter: 0.1,
        }
    }
}

/// The crash-loop breaker: `max_deaths` quick deaths in a row (runs shorter than
/// `backoff.min_uptime`, or failed starts) within `window` → gave up. Deaths after a real
/// run are never counted: a program that keeps being killed is restarted every time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BreakerSpec {
    /// Off means restart forever (still spaced by the backoff).
    pub enabled: bool,
    /// How many quick deaths within `window` trip the breaker.
    pub max_deaths: u32,
    /// The sliding window quick deaths are counted in.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub window: Duration,
}

impl Default for BreakerSpec {
    fn default() -> Self {
        Self {
            enabled: true,
            max_deaths: 5,
            window: Duration::from_secs(120),
        }
    }
}

/// Where a standard output stream of the program goes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Output {
    /// The supervisor's own stream.
    #[default]
    Inherit,
    /// Discarded.
    Null,
    /// Appended to this file (created if missing).
    File(PathBuf),
}

pub(crate) mod defaults {
    use std::time::Duration;

    /// The shortest run that counts as a real run (the rule daemontools and s6 use).
    pub const MIN_UPTIME: Duration = Duration::from_secs(1);

    pub fn stop_grace() -> Duration {
        Duration::from_secs(5)
    }

    pub fn is_hook_timeout(d: &Duration) -> bool {
        *d == crate::hooks::default_timeout()
    }

    pub fn clean_exit_codes() -> Vec<i32> {
        vec![0]
    }
}

impl ProgramSpec {
    /// A spec with defaults for everything but `id` and `argv` (validate before use, or
    /// use [`ProgramSpec::build`]).
    pub fn new(id: ProgramId, argv: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            id,
            name: String::new(),
            argv: argv.into_iter().map(Into::into).collect(),
            cwd: None,
            env: BTreeMap::new(),
            restart: RestartPolicy::default(),
            backoff: BackoffSpec::default(),
            breaker: BreakerSpec::default(),
            stop_signal: Signal::TERM,
            stop_grace: defaults::stop_grace(),
            stdout: Output::Inherit,
            stderr: Output::Inherit,
            health: None,
            memory_limit: None,
            on_restart: None,
            on_give_up: None,
            hook_timeout: crate::hooks::default_timeout(),
            sd_notify: false,
            watchdog: Duration::ZERO,
        }
    }

    /// Whether the program gets a `NOTIFY_SOCKET` (it notifies, or has a watchdog).
    pub fn talks(&self) -> bool {
        self.sd_notify || !self.watchdog.is_zero()
    }

    /// The display name: `name`, or the id when no name was given.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            self.id.as_str()
        } else {
            &self.name
        }
    }

    /// Whether switching from `self` to `other` changes how the process is launched, so a
    /// running instance must be restarted for the update to take effect.
    pub fn launch_differs(&self, other: &ProgramSpec) -> bool {
        (&self.argv, &self.cwd, &self.env, &self.stdout, &self.stderr)
            != (
                &other.argv,
                &other.cwd,
                &other.env,
                &other.stdout,
                &other.stderr,
            )
    }
}
