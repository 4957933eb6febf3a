//! Who asked for a control, carried into the events it causes.

use serde::{Deserialize, Serialize};

/// The kind of client a control came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RequestedBy {
    /// The desktop window.
    Ui,
    /// The tray menu.
    Tray,
    /// The `lifeguard` command line.
    Cli,
    /// A program embedding the engine or talking to the daemon's API.
    Api,
    /// Loading or reloading the config file.
    Config,
}

/// Who asked for a control and why; copied into every event the control causes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The client.
    pub requested_by: RequestedBy,
    /// Free text from the person or program, e.g. "updating firefox".
    pub reason: Option<String>,
}

impl Origin {
    /// An origin without a reason.
    pub fn new(requested_by: RequestedBy) -> Self {
        Self {
            requested_by,
            reason: None,
        }
    }

    /// Adds a reason.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Shorthand for `Origin::new(RequestedBy::Api)`.
    pub fn api() -> Self {
        Self::new(RequestedBy::Api)
    }

    /// Shorthand for `Origin::new(RequestedBy::Cli)`.
    pub fn cli() -> Self {
        Self::new(RequestedBy::Cli)
    }
}
