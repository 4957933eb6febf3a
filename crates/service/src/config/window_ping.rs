//! `window_ping = { interval, after, restart_after }`: the opt-in hung-window check of
//! one program (X11 and XWayland windows only; a native Wayland window cannot be pinged
//! by another client).

use std::time::Duration;

use lifeguard_engine::SpecError;
use serde::{Deserialize, Serialize};

/// The shortest ping `interval`.
pub const MIN_INTERVAL: Duration = Duration::from_millis(500);
/// The longest ping `interval`: ten minutes.
pub const MAX_INTERVAL: Duration = Duration::from_secs(600);
/// The shortest `after` (no answer for this long is "not responding").
pub const MIN_AFTER: Duration = Duration::from_secs(1);
/// The longest `after` and `restart_after`: a day.
pub const MAX_AFTER: Duration = Duration::from_secs(86_400);

/// Pings the program's X11/XWayland windows with `_NET_WM_PING`. Native Wayland windows
/// cannot be pinged by another client, so a program showing only those is never judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WindowPing {
    /// How often its windows are pinged (default `"5s"`, 500ms–10m).
    #[serde(with = "lifeguard_engine::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub interval: Duration,
    /// No answer for this long: "not responding" (default `"30s"`, 1s–1d).
    #[serde(with = "lifeguard_engine::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub after: Duration,
    /// No answer for this long: restart it with its stop signal and grace (default
    /// `"0s"`, off; otherwise between `after` and 1d).
    #[serde(with = "lifeguard_engine::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub restart_after: Duration,
}

impl Default for WindowPing {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            after: Duration::from_secs(30),
            restart_after: Duration::ZERO,
        }
    }
}

fn within(field: &str, value: Duration, min: Duration, max: Duration) -> Result<(), SpecError> {
    use lifeguard_engine::duration::format;
    if value >= min && value <= max {
        return Ok(());
    }
    Err(SpecError::new(
        field,
        format!(
            "{} is outside {}–{}",
            format(value),
            format(min),
            format(max)
        ),
        format!(
            "use a value from \"{}\" to \"{}\"",
            format(min),
            format(max)
        ),
    ))
}

impl WindowPing {
    /// Checks every duration against its range; the error names the field (under
    /// `window_ping.`), the limit and the fix.
    pub fn validate(&self) -> Result<(), SpecError> {
        within(
            "window_ping.interval",
            self.interval,
            MIN_INTERVAL,
            MAX_INTERVAL,
        )?;
        within("window_ping.after", self.after, MIN_AFTER, MAX_AFTER)?;
        if !self.restart_after.is_zero() {
            let r = self.restart_after;
            within("window_ping.restart_after", r, self.after, MAX_AFTER)?;
        }
        Ok(())
    }
}
