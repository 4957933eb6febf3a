//! Reading the backoff table as files write it, old files included.
//!
//! Before `min_uptime`, the same rule was called `stable_after`, with a default of 10 s that
//! `lifeguard add` and the window wrote into every entry. A run of 10 s is far longer than
//! the roulette's kills are apart, so that pinned value would keep the losing behaviour
//! (backoff, then giving up) for everyone who added a program before the change. So:
//! `stable_after = "10s"` (the old default, written by Lifeguard, not chosen) reads as the
//! new default; any other `stable_after` is a person's choice and is kept as `min_uptime`.
//! `min_uptime`, when given, wins. Files are rewritten with `min_uptime` on their next edit.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::BackoffSpec;

/// The old default of `stable_after`, which old versions wrote into every entry.
const OLD_STABLE_AFTER_DEFAULT: Duration = Duration::from_secs(10);

/// The backoff table as it is read (the schema of `backoff` in a config file).
#[derive(Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(rename = "BackoffSpec")
)]
pub(crate) struct BackoffFile {
    /// Delay before the restart after the first quick death that waits: the first of a
    /// streak that began with no real run, else the second (the first after a real run
    /// is restarted at once).
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    initial: Duration,
    /// Upper bound of the delay.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    max: Duration,
    /// A run at least this long is a real run: its death is restarted at once and forgets
    /// earlier quick deaths (backoff and crash-loop tally). Shorter runs are quick deaths.
    #[serde(with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    min_uptime: Duration,
    /// Fraction (0.0–1.0) of a delay that is randomly taken off, so programs that died
    /// together do not restart in lockstep.
    jitter: f64,
    /// Deprecated: the old name of `min_uptime`. "10s" (the old default) reads as the
    /// default; any other value as `min_uptime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
    stable_after: Option<String>,
}

impl Default for BackoffFile {
    fn default() -> Self {
        let d = BackoffSpec::default();
        Self {
            initial: d.initial,
            max: d.max,
            min_uptime: d.min_uptime,
            jitter: d.jitter,
            stable_after: None,
        }
    }
}

impl TryFrom<BackoffFile> for BackoffSpec {
    type Error = String;

    fn try_from(f: BackoffFile) -> Result<Self, String> {
        let mut min_uptime = f.min_uptime;
        if let Some(text) = f.stable_after.as_deref() {
            let old = crate::duration::parse(text).map_err(|e| format!("stable_after: {e}"))?;
            // A `min_uptime` other than the default was written, and wins. (One written
            // equal to the default is indistinguishable from none, and loses to an old
            // `stable_after` of another value: both name the same rule.)
            let min_uptime_written = min_uptime != BackoffSpec::default().min_uptime;
            if !min_uptime_written && old != OLD_STABLE_AFTER_DEFAULT {
                min_uptime = old;
            }
        }
        Ok(Self {
            initial: f.initial,
            max: f.max,
            min_uptime,
            jitter: f.jitter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<BackoffSpec, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn old_files_still_load() {
        let d = BackoffSpec::default();
        assert_eq!(read(r#"{}"#).unwrap(), d);
        assert_eq!(read(r#"{"stable_after":"10s"}"#).unwrap(), d);
        let kept = read(r#"{"stable_after":"30s"}"#).unwrap();
        assert_eq!(kept.min_uptime, Duration::from_secs(30));
        let both = read(r#"{"stable_after":"30s","min_uptime":"2s"}"#).unwrap();
        assert_eq!(both.min_uptime, Duration::from_secs(2));
        let new = read(r#"{"min_uptime":"3s","initial":"1s"}"#).unwrap();
        assert_eq!(new.min_uptime, Duration::from_secs(3));
        assert_eq!(new.initial, Duration::from_secs(1));
    }

    #[test]
    fn errors_name_the_field() {
        let e = read(r#"{"stable_after":"soon"}"#).unwrap_err().to_string();
        assert!(e.contains("stable_after"), "{e}");
        let e = read(r#"{"min_uptme":"1s"}"#).unwrap_err().to_string();
        assert!(e.contains("unknown field `min_uptme`"), "{e}");
    }

    #[test]
    fn writes_only_the_new_name() {
        let text = serde_json::to_string(&BackoffSpec::default()).unwrap();
        assert!(text.contains("\"min_uptime\":\"1s\""), "{text}");
        assert!(!text.contains("stable_after"), "{text}");
    }
}
