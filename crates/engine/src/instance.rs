//! What identifies one running instance of a program: enough to find its tree again, and
//! to re-adopt it after the supervising process restarted.

use serde::{Deserialize, Serialize};

use crate::procfs::Identity;

/// Environment variable naming the program, set on every process Lifeguard starts.
pub const PROGRAM_VAR: &str = "LIFEGUARD_PROGRAM";
/// Environment variable holding the per-instance token; descendants inherit it, which is
/// how orphans are attributed to their program (those that left its session with
/// `setsid` only while a launcher hands off: otherwise they are the user's).
pub const INSTANCE_VAR: &str = "LIFEGUARD_INSTANCE";

/// One instance of a program: its main process and how to find the rest of its tree. A
/// state file stores this (see [`ProgramSnapshot::instance`](crate::ProgramSnapshot)) to
/// re-adopt the instance with [`Supervisor::adopt`](crate::Supervisor::adopt).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// The main process (the one started, the one a launcher handed off to, or the
    /// adopted one) and its start time.
    pub main: Identity,
    /// The token in its tree's environment (`LIFEGUARD_INSTANCE`), if Lifeguard started it.
    pub token: Option<String>,
    /// Its own process group, if Lifeguard started it (the first process's pid).
    pub pgid: Option<u32>,
    /// The session a launcher's heir started (not the supervisor's): what stays in it is
    /// stopped with the program even once the heir is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// Whether this very process started it, so its orphans come back to us when we are a
    /// child subreaper (otherwise finding them needs a scan of every process).
    #[serde(skip)]
    pub local: bool,
}

impl Instance {
    /// An instance that was already running, known only by its main process.
    pub fn foreign(main: Identity) -> Self {
        Self {
            main,
            token: None,
            pgid: None,
            session: None,
            local: false,
        }
    }

    /// The live processes of its tree as seen now (those stopped with it, as the memory
    /// limit counts them): for an embedder matching windows or sockets to the program.
    pub fn processes(&self) -> Vec<u32> {
        crate::tree::members(self)
            .iter()
            .filter(|s| !s.is_zombie())
            .map(|s| s.pid)
            .collect()
    }

    /// The `KEY=VALUE` environment entry that marks its tree, if it has a token.
    pub(crate) fn marker(&self) -> Option<String> {
        self.token.as_ref().map(|t| format!("{INSTANCE_VAR}={t}"))
    }

    /// A fresh token for a new instance: unique per supervising process and start.
    pub(crate) fn new_token() -> String {
        format!("{}-{:016x}", std::process::id(), fastrand::u64(..))
    }
}
