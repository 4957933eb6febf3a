//! The methods the desktop app uses to live with the daemon: handing over the graphical
//! session's environment, asking the daemon to guard the app itself, and the restarts no
//! notification showed (`missed`, `dismiss_missed`). Kept apart from [`super::methods`],
//! which mirrors the engine's handle.

use std::collections::BTreeMap;

use lifeguard_engine::{Origin, ProgramSnapshot};
use serde::{Deserialize, Serialize};

use super::methods::Removed;
use super::Method;
pub use crate::notify::MissedRestart;

/// The id under which the daemon guards the desktop app. It is never written to
/// `config.toml` nor shown by `list`; `status` shows it, and clients that list the user's
/// programs (the tray, the window) filter it out by this id.
pub const DESKTOP_PROGRAM: &str = DESKTOP_BINARY;

/// The desktop app's binary name (the window; the tray starts it on "Open"). The daemon
/// guards it under the same name, [`DESKTOP_PROGRAM`].
pub const DESKTOP_BINARY: &str = "lifeguard-desktop";

/// `session.env`: the graphical session's environment for programs started from now on.
#[derive(Debug, Clone, Copy)]
pub struct SessionEnv;
impl Method for SessionEnv {
    const NAME: &'static str = "session.env";
    type Params = SessionEnvParams;
    type Result = SessionEnvSet;
}

/// `guard`: protect the desktop app (a running process) under [`DESKTOP_PROGRAM`].
#[derive(Debug, Clone, Copy)]
pub struct Guard;
impl Method for Guard {
    const NAME: &'static str = "guard";
    type Params = GuardParams;
    type Result = ProgramSnapshot;
}

/// `unguard`: stop protecting the desktop app, leaving it running (a deliberate quit).
#[derive(Debug, Clone, Copy)]
pub struct Unguard;
impl Method for Unguard {
    const NAME: &'static str = "unguard";
    type Params = UnguardParams;
    type Result = Removed;
}

/// `missed`: the restarts no notification showed (no server answered), oldest first.
#[derive(Debug, Clone, Copy)]
pub struct Missed;
impl Method for Missed {
    const NAME: &'static str = "missed";
    type Params = super::methods::Empty;
    type Result = MissedList;
}

/// `dismiss_missed`: forget the missed restarts (the person saw the list); answers the
/// list now, empty.
#[derive(Debug, Clone, Copy)]
pub struct DismissMissed;
impl Method for DismissMissed {
    const NAME: &'static str = "dismiss_missed";
    type Params = DismissMissedParams;
    type Result = MissedList;
}

/// The notification carrying [`MissedList`] to `subscribe` clients that asked for
/// `snapshots`: once at once, then on every change of the list.
pub const MISSED_NOTIFICATION: &str = "missed";

/// These methods' names, for `method_not_found` messages and the docs.
pub const ALL: [&str; 5] = [
    SessionEnv::NAME,
    Guard::NAME,
    Unguard::NAME,
    Missed::NAME,
    DismissMissed::NAME,
];

/// `missed`'s and `dismiss_missed`'s result, and the `missed` notification's params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissedList {
    /// One entry per program, oldest first; empty once a summary popup showed them or
    /// the person dismissed them.
    pub missed: Vec<MissedRestart>,
}

/// `dismiss_missed`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissMissedParams {
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `session.env`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEnvParams {
    /// The variables (only the session's are kept: DISPLAY, WAYLAND_DISPLAY, XAUTHORITY,
    /// DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_CURRENT_DESKTOP, XDG_SESSION_TYPE).
    pub vars: BTreeMap<String, String>,
}

/// `session.env`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEnvSet {
    /// The names of the variables now in force.
    pub vars: Vec<String>,
}

/// `guard`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardParams {
    /// The app's process id (adopted as it is, never restarted by this call).
    pub pid: u32,
    /// How to relaunch it when it dies, e.g. `["/usr/bin/lifeguard", "tray"]`.
    pub argv: Vec<String>,
    /// Its environment for a relaunch; absent: read from `/proc/PID/environ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}

/// `unguard`'s params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnguardParams {
    /// Who asked and why.
    #[serde(flatten)]
    pub origin: Origin,
}
