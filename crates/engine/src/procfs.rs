//! Pure parsers for `/proc/PID/…` files, so they can be tested on crafted inputs. The OS
//! reads live in `inspect.rs`.

use std::collections::BTreeMap;

/// The fields of `/proc/PID/stat` the engine uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// Field 1: the process id.
    pub pid: u32,
    /// Field 3: `R`, `S`, `D`, `Z` (zombie), …
    pub state: char,
    /// Field 4: the parent's pid.
    pub ppid: u32,
    /// Field 5: the process group.
    pub pgrp: u32,
    /// Field 6: the session.
    pub session: u32,
    /// Field 14: CPU time spent in user mode, in clock ticks.
    pub utime: u64,
    /// Field 15: CPU time spent in kernel mode, in clock ticks.
    pub stime: u64,
    /// Field 22: the start time, in clock ticks since boot. With the pid it names one
    /// process for good: a reused pid has a later start time.
    pub start_time: u64,
}

impl Stat {
    /// Parses the text of `/proc/PID/stat`. The command name (field 2) may hold spaces and
    /// parentheses, so the fields after it are found from the last `)`.
    pub fn parse(text: &str) -> Option<Stat> {
        let (head, rest) = text.rsplit_once(')')?;
        let pid = head.split_once('(')?.0.trim().parse().ok()?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // `fields[0]` is field 3, so field N is `fields[N - 3]`.
        let field = |n: usize| fields.get(n - 3).copied();
        Some(Stat {
            pid,
            state: field(3)?.chars().next()?,
            ppid: field(4)?.parse().ok()?,
            pgrp: field(5)?.parse().ok()?,
            session: field(6)?.parse().ok()?,
            utime: field(14)?.parse().ok()?,
            stime: field(15)?.parse().ok()?,
            start_time: field(22)?.parse().ok()?,
        })
    }

    /// Whether it is a zombie (dead, waiting to be reaped by its parent).
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z' || self.state == 'X'
    }
}

/// A process named by pid and start time: what a state file records so that a reused pid
/// is never mistaken for the process it once named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    /// The process id.
    pub pid: u32,
    /// Its start time (field 22 of `/proc/PID/stat`, clock ticks since boot).
    pub start_time: u64,
}

impl Identity {
    /// Whether `stat` (read now) is still this process: same pid, same start time, and not
    /// a zombie.
    pub fn matches(&self, stat: &Stat) -> bool {
        stat.pid == self.pid && stat.start_time == self.start_time && !stat.is_zombie()
    }
}

/// Splits a NUL-separated file (`cmdline`, `environ`) into its entries.
pub fn nul_list(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

/// Parses `/proc/PID/environ` into a map (entries without `=` are skipped).
pub fn environ(bytes: &[u8]) -> BTreeMap<String, String> {
    nul_list(bytes)
        .into_iter()
        .filter_map(|e| e.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

/// Whether `/proc/PID/environ` holds exactly the entry `KEY=VALUE` (`entry`).
pub fn environ_has(bytes: &[u8], entry: &str) -> bool {
    bytes.split(|b| *b == 0).any(|e| e == entry.as_bytes())
}

/// Parses `/proc/PID/task/TID/children`: space-separated pids.
pub fn children(text: &str) -> Vec<u32> {
    text.split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

#[cfg(test)]
#[path = "procfs_tests.rs"]
mod tests;
