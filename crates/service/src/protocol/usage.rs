//! `usage`: what each running program's process tree uses now, read from `/proc` only
//! when a client asks (the window, every 2 s while its program list shows). The daemon
//! keeps no samples: a client computes CPU % from two answers, as
//! `Δ cpu_ms / Δ at_ms` of the same `pid`.

use lifeguard_engine::{ProgramId, Usage};
use serde::{Deserialize, Serialize};

use super::methods::{Empty, Method};

/// `usage`: memory and CPU time of every running program's tree.
#[derive(Debug, Clone, Copy)]
pub struct UsageMethod;
impl Method for UsageMethod {
    const NAME: &'static str = "usage";
    type Params = Empty;
    type Result = UsageReport;
}

/// `usage`'s result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsageReport {
    /// When the readings were taken: the daemon's monotonic clock, in milliseconds (only
    /// differences between two answers mean anything).
    pub at_ms: u64,
    /// One entry per program with a live instance; programs that are down are absent.
    pub programs: Vec<ProgramUsage>,
}

/// One program's reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramUsage {
    /// The program.
    pub id: ProgramId,
    /// Its instance's main process: a rate is only meaningful between two readings of
    /// the same instance (a restart starts CPU time from zero).
    pub pid: u32,
    /// Memory, CPU time and process count of its tree.
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub usage: Usage,
}

/// Milliseconds of `CLOCK_MONOTONIC`, for [`UsageReport::at_ms`].
pub fn monotonic_ms() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    let secs = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(now.tv_nsec).unwrap_or(0);
    secs.saturating_mul(1000).saturating_add(nanos / 1_000_000)
}
