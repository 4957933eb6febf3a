//! Reading `/proc` for real (the parsing is in [`crate::procfs`]): the one place the
//! engine, the daemon and the window read live process files. Every read may fail because a
//! process ended meanwhile; callers treat that as "not there".

use std::path::Path;

use crate::procfs::{self, Stat};

/// `/proc/PID/stat` of `pid`, if it (still) exists.
pub fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Stat::parse(&text)
}

/// Whether `pid`'s environment holds the entry `KEY=VALUE`. Unreadable (gone, another
/// user's, a zombie) is `false`.
pub fn environ_has(pid: u32, entry: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|b| procfs::environ_has(&b, entry))
}

/// The children of every thread of `dir` (`/proc/self` or `/proc/PID`).
fn children_in(dir: &Path) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(dir.join("task")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(procfs::children(&text));
        }
    }
    out
}

/// The children of `pid` (of all its threads).
pub fn children_of(pid: u32) -> Vec<u32> {
    children_in(Path::new(&format!("/proc/{pid}")))
}

/// This process's own children, its inherited orphans included.
pub fn our_children() -> Vec<u32> {
    children_in(Path::new("/proc/self"))
}

/// Every pid on the system (the slow path, for trees whose orphans are not ours).
pub fn all_pids() -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect()
}
