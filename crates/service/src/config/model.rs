//! The shape of `config.toml`: `[settings]` and `[[program]]` entries.

use std::time::Duration;

use lifeguard_engine::{ProgramSpec, RestartPolicy};
use serde::{Deserialize, Serialize};

use crate::history::Retention;

/// The whole file, as loaded and validated.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schemars",
    schemars(title = "Lifeguard configuration (config.toml)", deny_unknown_fields)
)]
pub struct Config {
    /// Global settings.
    #[serde(default)]
    pub settings: Settings,
    /// The protected programs, in file order.
    #[serde(default)]
    pub program: Vec<ProgramEntry>,
}

impl Config {
    /// The entry with this id.
    pub fn program(&self, id: &str) -> Option<&ProgramEntry> {
        self.program.iter().find(|p| p.spec.id.as_str() == id)
    }
}

/// One `[[program]]`: the engine's spec plus what only the service and the app use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(deny_unknown_fields))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramEntry {
    /// What the engine runs (id, argv, cwd, env, restart, backoff, breaker, stop…).
    #[serde(flatten)]
    pub spec: ProgramSpec,
    /// Service-level options.
    #[serde(flatten)]
    pub options: ProgramOptions,
}

/// Per-program options the engine does not know about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramOptions {
    /// Start it when the daemon starts (default true); otherwise it is listed but down.
    pub autostart: bool,
    /// Show a desktop notification when it is restarted (default true).
    pub notify: bool,
    /// The desktop entry it was picked from (`firefox.desktop`), for the UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub desktop_id: Option<String>,
    /// Icon name or path, for the UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub icon: Option<String>,
    /// The XDG autostart entry (`nm-applet.desktop`) Lifeguard took over from the desktop
    /// session: a `Hidden=true` override of that id in `~/.config/autostart` keeps the
    /// session from starting a second copy at login, and is undone (the user's own entry
    /// put back) when the program is removed from Lifeguard.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub autostart_entry: Option<String>,
    /// Opt-in hung-window check (`_NET_WM_PING`, X11 and XWayland only: native Wayland
    /// windows cannot be pinged by another client).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub window_ping: Option<super::window_ping::WindowPing>,
}

impl ProgramOptions {
    /// The keys of a `[[program]]` table that belong here rather than to the spec.
    pub const KEYS: [&'static str; 6] = [
        "autostart",
        "notify",
        "desktop_id",
        "icon",
        "autostart_entry",
        "window_ping",
    ];
}

impl Default for ProgramOptions {
    fn default() -> Self {
        Self {
            autostart: true,
            notify: true,
            desktop_id: None,
            icon: None,
            autostart_entry: None,
            window_ping: None,
        }
    }
}

/// `[settings]`: everything global the UI can change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// Desktop notifications on restarts (default true).
    pub notifications: bool,
    /// Start Lifeguard when the user logs in (default true).
    pub launch_at_login: bool,
    /// Restart policy of programs that do not set `restart` themselves.
    pub default_restart: RestartPolicy,
    /// The Prometheus metrics endpoint.
    pub metrics: MetricsSettings,
    /// Leave the programs running when the daemon exits or dies (default true).
    pub programs_outlive_daemon: bool,
    /// How much restart history to keep.
    pub history: HistorySettings,
    /// Removed `quit_action`: nothing read it (the tray offers both ways to quit, each
    /// its own item). Still accepted in a file, and dropped by the next settings write.
    #[serde(default, skip_serializing, rename = "quit_action")]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub removed_quit_action: Option<serde::de::IgnoredAny>,
    /// Removed `[settings.pause]` (`default_duration`): nothing read it (the tray offers
    /// 15 minutes, an hour or until resumed; `lifeguard pause --for` says how long).
    /// Still accepted in a file, and dropped by the next settings write.
    #[serde(default, skip_serializing, rename = "pause")]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub removed_pause: Option<serde::de::IgnoredAny>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            notifications: true,
            launch_at_login: true,
            default_restart: RestartPolicy::default(),
            metrics: MetricsSettings::default(),
            programs_outlive_daemon: true,
            history: HistorySettings::default(),
            removed_quit_action: None,
            removed_pause: None,
        }
    }
}

/// `[settings.metrics]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MetricsSettings {
    /// Serve metrics (default false).
    pub enabled: bool,
    /// Loopback address and port to listen on (default `127.0.0.1:9464`).
    pub bind: String,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            bind: "127.0.0.1:9464".to_owned(),
        }
    }
}

/// `[settings.history]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistorySettings {
    /// Drop events older than this (default `"90d"`; `"0s"` keeps them forever).
    #[serde(with = "lifeguard_engine::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub max_age: Duration,
    /// Keep at most this many events (default: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_rows: Option<u64>,
}

impl Default for HistorySettings {
    fn default() -> Self {
        Self {
            max_age: Duration::from_secs(90 * 86_400),
            max_rows: None,
        }
    }
}

impl HistorySettings {
    /// As the history's [`Retention`].
    pub fn retention(&self) -> Retention {
        Retention {
            max_age: (!self.max_age.is_zero()).then_some(self.max_age),
            max_rows: self.max_rows,
        }
    }
}
