//! Finding a program that already runs without Lifeguard — started by the session at
//! login, or by hand before the daemon came up — so start-up adopts it instead of
//! starting a second copy. PIDs from before a reboot mean nothing, so the match is on
//! what the process is: the same user, the same executable and the same argv.
//!
//! Processes that carry a Lifeguard instance marker are left out: they belong to a
//! supervisor (the previous daemon's are found through the state file, by pid and start
//! time; another supervisor's are not ours to take).

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use lifeguard_engine::{procfs, ProcessInfo, ProgramId, ProgramSpec, INSTANCE_VAR};

/// For each of `specs`, the oldest process of this user running the same executable with
/// the same argv, if any. One pass over `/proc`.
pub(super) fn find(specs: &[&ProgramSpec]) -> BTreeMap<ProgramId, ProcessInfo> {
    let mut found: BTreeMap<ProgramId, ProcessInfo> = BTreeMap::new();
    if specs.is_empty() {
        return found;
    }
    let wanted: Vec<(&ProgramSpec, Option<PathBuf>)> =
        specs.iter().map(|s| (*s, executable(s))).collect();
    let (me, uid) = (std::process::id(), crate::server::euid());
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me || !entry.metadata().is_ok_and(|m| m.uid() == uid) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let argv = procfs::nul_list(&cmdline);
        for (spec, exe) in wanted.iter().filter(|(s, _)| s.argv == argv) {
            if !same_exe(&entry.path(), exe.as_deref()) || supervised(&entry.path()) {
                continue;
            }
            let Ok(info) = ProcessInfo::read(pid) else {
                continue;
            };
            let older = found
                .get(&spec.id)
                .is_none_or(|f| info.identity.start_time < f.identity.start_time);
            if older {
                found.insert(spec.id.clone(), info);
            }
        }
    }
    found
}

/// What `argv[0]` names: a path (relative to the spec's cwd) or a name on `PATH`.
fn executable(spec: &ProgramSpec) -> Option<PathBuf> {
    let first = Path::new(spec.argv.first()?);
    if first.components().count() > 1 {
        let path = match &spec.cwd {
            Some(cwd) if first.is_relative() => cwd.join(first),
            _ => first.to_owned(),
        };
        return std::fs::canonicalize(path).ok();
    }
    let path = spec
        .env
        .get("PATH")
        .cloned()
        .or_else(|| std::env::var("PATH").ok())?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(first))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::canonicalize(p).ok())
}

/// Whether the process at `dir` runs `exe` (unknown executable: no match).
fn same_exe(dir: &Path, exe: Option<&Path>) -> bool {
    let Some(exe) = exe else {
        return false;
    };
    std::fs::read_link(dir.join("exe")).is_ok_and(|running| running == exe)
}

/// Whether the process carries a Lifeguard instance marker.
fn supervised(dir: &Path) -> bool {
    std::fs::read(dir.join("environ"))
        .is_ok_and(|bytes| procfs::environ(&bytes).contains_key(INSTANCE_VAR))
}
