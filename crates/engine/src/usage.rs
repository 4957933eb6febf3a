//! What a running instance's tree uses at one moment: resident memory and CPU time, read
//! from `/proc` only when asked (no task, no timer). CPU time is cumulative, so a rate
//! needs two readings: the caller keeps the first (the daemon stays stateless).

use serde::{Deserialize, Serialize};

use crate::Instance;

/// One reading of an instance's tree (the processes stopped with it, zombies left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Usage {
    /// The resident memory of the tree's live processes, in bytes.
    pub rss_bytes: u64,
    /// The user and system CPU time of the tree's live processes, in milliseconds (what
    /// ended processes used is gone with them).
    pub cpu_ms: u64,
    /// How many live processes the tree has.
    pub processes: u32,
}

impl Instance {
    /// Reads the tree's memory and CPU time now. Blocking (reads `/proc`): call it off
    /// an async runtime's threads.
    pub fn usage(&self) -> Usage {
        let ticks = rustix::param::clock_ticks_per_second().max(1);
        let mut usage = Usage::default();
        for stat in crate::tree::members(self).iter().filter(|s| !s.is_zombie()) {
            // A process that ended since the listing counts for nothing, not a failure.
            let Some(rss) = crate::memory::rss(stat.pid) else {
                continue;
            };
            usage.rss_bytes = usage.rss_bytes.saturating_add(rss);
            let ms = stat.utime.saturating_add(stat.stime).saturating_mul(1000) / ticks;
            usage.cpu_ms = usage.cpu_ms.saturating_add(ms);
            usage.processes = usage.processes.saturating_add(1);
        }
        usage
    }
}
