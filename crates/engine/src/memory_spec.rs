//! The optional memory limit of a program: the whole tree's resident memory (RSS) above
//! `max` for `checks` checks in a row, `interval` apart, restarts it (with its stop signal
//! and grace) or only tells. Sizes are written `"500MB"`, `"2GB"`, `"512MiB"`.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::SpecError;

/// A memory limit. Only `max` is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemoryLimit {
    /// The most the program's processes together may use (resident set size), in bytes;
    /// written `"500MB"` (MB = 1000² bytes), `"2GB"`, `"512MiB"` (MiB = 1024²).
    #[serde(with = "crate::bytes")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub max: u64,
    /// Checks in a row above `max` that trigger the action.
    #[serde(default = "defaults::checks")]
    pub checks: u32,
    /// Time between checks.
    #[serde(default = "defaults::interval", with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub interval: Duration,
    /// What happens past the limit.
    #[serde(default)]
    pub action: MemoryAction,
}

/// What happens when a program stays above its memory limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum MemoryAction {
    /// Restart it: stop signal, grace, SIGKILL, then a start (counted by the breaker).
    #[default]
    Restart,
    /// Only record and notify; it keeps running.
    Notify,
}

/// How the `memory_high` event's reason ends when the program is left running (its
/// limit's action is notify), so a reader of the event knows no restart follows.
pub const LEFT_RUNNING: &str = "left running: its memory limit only notifies";

/// The smallest limit accepted (a smaller one is a typo: no program runs in it).
pub const MIN_MEMORY: u64 = 1_000_000;
/// The largest limit accepted.
pub const MAX_MEMORY: u64 = 1 << 44;
/// The shortest time between checks.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// The longest time between checks.
pub const MAX_INTERVAL: Duration = Duration::from_secs(3600);
/// The most checks in a row that can be asked for.
pub const MAX_CHECKS: u32 = 1_000;

mod defaults {
    use std::time::Duration;
    pub fn checks() -> u32 {
        3
    }
    pub fn interval() -> Duration {
        Duration::from_secs(2)
    }
}

impl MemoryLimit {
    /// A limit of `max` bytes with the default checks, interval and action.
    pub fn new(max: u64) -> Self {
        Self {
            max,
            checks: defaults::checks(),
            interval: defaults::interval(),
            action: MemoryAction::Restart,
        }
    }

    /// Every value within its range; the error names the field, the limit and the fix.
    pub fn validate(&self) -> Result<(), SpecError> {
        let size = crate::bytes::words;
        if !(MIN_MEMORY..=MAX_MEMORY).contains(&self.max) {
            return Err(SpecError::new(
                "memory_limit.max",
                format!(
                    "{} is outside the range {} to {}",
                    size(self.max),
                    size(MIN_MEMORY),
                    size(MAX_MEMORY)
                ),
                "use a size like \"500MB\" or \"2GB\"",
            ));
        }
        if !(1..=MAX_CHECKS).contains(&self.checks) {
            return Err(SpecError::new(
                "memory_limit.checks",
                format!("{} is outside the range 1 to {MAX_CHECKS}", self.checks),
                "use e.g. 3",
            ));
        }
        if !(MIN_INTERVAL..=MAX_INTERVAL).contains(&self.interval) {
            let f = crate::duration::format;
            return Err(SpecError::new(
                "memory_limit.interval",
                format!(
                    "{} is outside the range {} to {}",
                    f(self.interval),
                    f(MIN_INTERVAL),
                    f(MAX_INTERVAL)
                ),
                "use e.g. \"2s\"",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_name_the_field_the_limit_and_the_fix() {
        let ok = MemoryLimit::new(500_000_000);
        assert_eq!(ok.validate(), Ok(()));
        let e = MemoryLimit::new(10).validate().unwrap_err();
        assert_eq!(e.field, "memory_limit.max");
        assert!(e.problem.contains("10 B is outside the range 1 MB"), "{e}");
        let e = MemoryLimit {
            checks: 0,
            ..ok.clone()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "memory_limit.checks");
        let e = MemoryLimit {
            interval: Duration::from_millis(10),
            ..ok
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "memory_limit.interval");
        assert!(e.to_string().contains("100ms"), "{e}");
    }

    #[test]
    fn reads_a_table_with_defaults() {
        let l: MemoryLimit = serde_json::from_str(r#"{"max":"500MB"}"#).unwrap();
        assert_eq!(l, MemoryLimit::new(500_000_000));
        let l: MemoryLimit =
            serde_json::from_str(r#"{"max":"1GiB","checks":5,"action":"notify"}"#).unwrap();
        assert_eq!(
            (l.max, l.checks, l.action),
            (1 << 30, 5, MemoryAction::Notify)
        );
        assert!(serde_json::from_str::<MemoryLimit>(r#"{"max":"lots"}"#).is_err());
    }
}
