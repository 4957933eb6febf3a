//! Unix signals by name, as they appear in specs and events (`"SIGTERM"`).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::SpecError;

/// A Unix signal number that serializes as its name (`"SIGKILL"`); numbers without a
/// standard name serialize as `"SIG<n>"` (real-time signals).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "String"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Signal(i32);

const NAMES: &[(i32, &str)] = &[
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
    (libc::SIGILL, "SIGILL"),
    (libc::SIGTRAP, "SIGTRAP"),
    (libc::SIGABRT, "SIGABRT"),
    (libc::SIGBUS, "SIGBUS"),
    (libc::SIGFPE, "SIGFPE"),
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGUSR1, "SIGUSR1"),
    (libc::SIGSEGV, "SIGSEGV"),
    (libc::SIGUSR2, "SIGUSR2"),
    (libc::SIGPIPE, "SIGPIPE"),
    (libc::SIGALRM, "SIGALRM"),
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGCHLD, "SIGCHLD"),
    (libc::SIGCONT, "SIGCONT"),
    (libc::SIGSTOP, "SIGSTOP"),
    (libc::SIGTSTP, "SIGTSTP"),
    (libc::SIGTTIN, "SIGTTIN"),
    (libc::SIGTTOU, "SIGTTOU"),
    (libc::SIGURG, "SIGURG"),
    (libc::SIGXCPU, "SIGXCPU"),
    (libc::SIGXFSZ, "SIGXFSZ"),
    (libc::SIGVTALRM, "SIGVTALRM"),
    (libc::SIGPROF, "SIGPROF"),
    (libc::SIGWINCH, "SIGWINCH"),
    (libc::SIGIO, "SIGIO"),
    (libc::SIGPWR, "SIGPWR"),
    (libc::SIGSYS, "SIGSYS"),
];

impl Signal {
    /// SIGTERM, the default stop signal.
    pub const TERM: Signal = Signal(libc::SIGTERM);
    /// SIGKILL, sent to the group when the grace period runs out.
    pub const KILL: Signal = Signal(libc::SIGKILL);
    /// SIGINT.
    pub const INT: Signal = Signal(libc::SIGINT);

    /// Wraps a raw signal number (1..=64 on Linux).
    pub fn from_number(n: i32) -> Option<Self> {
        (1..=libc::SIGRTMAX()).contains(&n).then_some(Signal(n))
    }

    /// The raw signal number.
    pub fn number(self) -> i32 {
        self.0
    }

    /// The signal's name, e.g. `SIGKILL` (or `SIG40` for a real-time signal).
    pub fn name(self) -> String {
        NAMES
            .iter()
            .find(|(n, _)| *n == self.0)
            .map(|(_, name)| (*name).to_owned())
            .unwrap_or_else(|| format!("SIG{}", self.0))
    }

    /// Parses `SIGTERM`, `TERM`, `term`, `SIG40` or `15`.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let upper = text.trim().to_ascii_uppercase();
        let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
        let by_name = NAMES
            .iter()
            .find(|(_, name)| &name[3..] == bare)
            .map(|(n, _)| *n);
        by_name
            .or_else(|| bare.parse::<i32>().ok())
            .and_then(Signal::from_number)
            .ok_or_else(|| {
                SpecError::new(
                    "signal",
                    format!("{text:?} is not a signal"),
                    "use a name such as \"SIGTERM\", \"SIGINT\" or \"SIGHUP\"",
                )
            })
    }
}

impl Default for Signal {
    fn default() -> Self {
        Signal::TERM
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl TryFrom<String> for Signal {
    type Error = SpecError;
    fn try_from(s: String) -> Result<Self, SpecError> {
        Signal::parse(&s)
    }
}

impl From<Signal> for String {
    fn from(s: Signal) -> String {
        s.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(Signal::KILL.name(), "SIGKILL");
        assert_eq!(Signal::parse("term").unwrap(), Signal::TERM);
        assert_eq!(Signal::parse("SIGHUP").unwrap().number(), libc::SIGHUP);
        assert_eq!(Signal::parse("9").unwrap(), Signal::KILL);
        assert_eq!(Signal::parse(&Signal(40).name()).unwrap(), Signal(40));
        assert!(Signal::parse("SIGNOPE").is_err());
        assert!(Signal::parse("0").is_err());
    }
}
