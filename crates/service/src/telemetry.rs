//! Telemetry: one JSON line per event, appended to a file in the state directory, with
//! size-based rotation (`telemetry.jsonl`, then `.1`, `.2`, … up to `keep` old files).
//!
//! The line has the same fields as `lifeguard run`'s stdout, so one parser reads both.
//! The history writer thread appends after each commit, keeping file I/O off the
//! restart path.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::history::HistoryRecord;

/// One telemetry line: the same keys, in the same order, as `lifeguard run`'s stdout
/// (the engine's `Event::to_json_line`), so one parser reads both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelemetryLine {
    /// UTC milliseconds since the Unix epoch.
    pub ts: i64,
    /// Event kind (`started`, `exited`, `restarted`…).
    pub event: String,
    /// Program id.
    pub program: String,
    /// Program display name.
    pub name: String,
    /// Process id, if any.
    pub pid: Option<u32>,
    /// Start attempt.
    pub attempt: Option<u32>,
    /// How the run ended: `code`, `signal` or `unknown`.
    pub exit: Option<String>,
    /// Exit code, if the process exited.
    pub exit_code: Option<i32>,
    /// Signal name (`SIGKILL`), or `SIG<n>` when only the number is known.
    pub signal: Option<String>,
    /// Signal number.
    pub signal_number: Option<i32>,
    /// Whether the process dumped core (signal deaths).
    pub core_dumped: Option<bool>,
    /// Uptime of the run that ended.
    pub uptime_ms: Option<u64>,
    /// Delay before a scheduled restart.
    pub delay_ms: Option<u64>,
    /// End of a pause, UTC ms.
    pub until: Option<u64>,
    /// Who asked.
    pub requested_by: Option<String>,
    /// Reason, if any.
    pub reason: Option<String>,
}

impl From<&HistoryRecord> for TelemetryLine {
    fn from(r: &HistoryRecord) -> Self {
        let detail = |key: &str| r.detail.as_ref().and_then(|d| d.get(key));
        let exit = detail("exit").and_then(|v| v.as_str()).map(str::to_owned);
        let exit = exit.or_else(|| match (r.exit_code, r.signal) {
            (Some(_), _) => Some("code".to_owned()),
            (None, Some(_)) => Some("signal".to_owned()),
            (None, None) => None,
        });
        Self {
            ts: r.ts_ms,
            event: r.kind.clone(),
            program: r.program_id.clone(),
            name: r.program_name.clone(),
            pid: r.pid,
            attempt: r.attempt,
            exit,
            exit_code: r.exit_code,
            signal: r
                .signal_name
                .clone()
                .or_else(|| r.signal.map(|n| format!("SIG{n}"))),
            signal_number: r.signal,
            core_dumped: detail("core_dumped").and_then(|v| v.as_bool()),
            uptime_ms: r.uptime_ms,
            delay_ms: r.delay_ms,
            until: detail("until").and_then(|v| v.as_u64()),
            requested_by: r.requested_by.clone(),
            reason: r.reason.clone(),
        }
    }
}

/// Appends telemetry lines to a file, rotating it by size.
#[derive(Debug)]
pub struct TelemetryWriter {
    path: PathBuf,
    max_bytes: u64,
    keep: u32,
    file: Option<File>,
    size: u64,
}

impl TelemetryWriter {
    /// Default size of one file before it is rotated: 10 MB.
    pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
    /// Default number of rotated files kept besides the current one.
    pub const DEFAULT_KEEP: u32 = 3;

    /// A writer for `path`, rotating at `max_bytes` and keeping `keep` old files. The file
    /// (and its directory) is created on the first append.
    pub fn new(path: impl Into<PathBuf>, max_bytes: u64, keep: u32) -> Self {
        Self {
            path: path.into(),
            max_bytes: max_bytes.max(1),
            keep,
            file: None,
            size: 0,
        }
    }

    /// The current file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line, rotating first if it would overflow the current file.
    pub fn append(&mut self, line: &TelemetryLine) -> std::io::Result<()> {
        let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
        text.push('\n');
        if self.file.is_none() {
            self.open()?;
        }
        if self.size > 0 && self.size + text.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        let file = match self.file.as_mut() {
            Some(f) => f,
            None => return Err(std::io::Error::other("telemetry file not open")),
        };
        file.write_all(text.as_bytes())?;
        self.size += text.len() as u64;
        Ok(())
    }

    /// Appends one line per record; failures are logged, never propagated, because losing
    /// telemetry must not stop the history.
    pub fn append_all(&mut self, records: &[HistoryRecord]) {
        for record in records {
            if let Err(e) = self.append(&TelemetryLine::from(record)) {
                tracing::warn!(error = %e, path = %self.path.display(), "telemetry write failed");
                self.file = None; // reopen next time, in case the file was removed
                return;
            }
        }
    }

    fn open(&mut self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)?;
        self.size = file.metadata()?.len();
        self.file = Some(file);
        Ok(())
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        self.file = None;
        if self.keep == 0 {
            std::fs::remove_file(&self.path)?;
        } else {
            for i in (1..self.keep).rev() {
                let from = self.rotated(i);
                if from.exists() {
                    std::fs::rename(&from, self.rotated(i + 1))?;
                }
            }
            std::fs::rename(&self.path, self.rotated(1))?;
        }
        self.open()
    }

    /// Path of the `n`th rotated file (`telemetry.jsonl.1` is the newest old one).
    pub fn rotated(&self, n: u32) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }
}

/// Formats UTC milliseconds since the epoch as RFC 3339 (`1970-01-01T00:00:00.000Z`).
pub fn rfc3339_ms(ts_ms: i64) -> String {
    let days = ts_ms.div_euclid(86_400_000);
    let ms_of_day = ts_ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, min) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (s, ms) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's
/// `civil_from_days`), to avoid a date-time dependency for one format.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339_ms(1_767_323_045_678), "2026-01-02T03:04:05.678Z");
    }
}
