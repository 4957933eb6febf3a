//! How a process ended.

use serde::{Deserialize, Serialize};

use crate::Signal;

/// The classification of a process's end, as every exit event reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Exit {
    /// It called `exit(code)`.
    Code(i32),
    /// A signal killed it.
    Signal {
        /// The signal (serialized as its name, e.g. `"SIGKILL"`).
        signal: Signal,
        /// Whether it dumped core.
        core_dumped: bool,
    },
    /// The status could not be read (e.g. waiting on it failed).
    Unknown,
}

impl Exit {
    /// Classifies a status from `wait`.
    pub fn from_status(status: std::process::ExitStatus) -> Self {
        use std::os::unix::process::ExitStatusExt;
        if let Some(code) = status.code() {
            Exit::Code(code)
        } else if let Some(signal) = status.signal().and_then(Signal::from_number) {
            Exit::Signal {
                signal,
                core_dumped: status.core_dumped(),
            }
        } else {
            Exit::Unknown
        }
    }

    /// Whether this is a clean exit for an on-failure policy with these clean codes.
    pub fn is_clean(&self, clean_exit_codes: &[i32]) -> bool {
        matches!(self, Exit::Code(c) if clean_exit_codes.contains(c))
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exit::Code(c) => write!(f, "exited with code {c}"),
            Exit::Signal {
                signal,
                core_dumped: true,
            } => write!(f, "killed by {signal} (core dumped)"),
            Exit::Signal { signal, .. } => write!(f, "killed by {signal}"),
            Exit::Unknown => f.write_str("ended with an unknown status"),
        }
    }
}
