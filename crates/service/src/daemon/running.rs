//! Finding a program that already runs without Lifeguard — started by the session at
//! login, or by hand before the daemon came up — so start-up adopts it instead of
//! starting a second copy. PIDs from before a reboot mean nothing, so the match is on
//! what the process is: the same user, the same executable and the same argv.
//!
//! A process that carries a Lifeguard instance marker belongs to a supervisor. It is
//! taken only when its program marker names this very program: a daemon of this user
//! that was killed before its state file caught up with a start left it orphaned, and
//! its token lets the adoption find its whole tree. Other marked processes are left alone.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use lifeguard_engine::{
    procfs, Instance, ProcessInfo, ProgramId, ProgramSpec, INSTANCE_VAR, PROGRAM_VAR,
};

/// A running copy of a program, and the instance to adopt it as.
pub(super) struct Found {
    /// What the process is (argv, cwd, identity).
    pub info: ProcessInfo,
    /// Its instance: with the previous daemon's token when it carries one.
    pub instance: Instance,
}

/// For each of `specs`, the oldest process of this user running the same executable with
/// the same argv, if any. One pass over `/proc`.
pub(super) fn find(specs: &[&ProgramSpec]) -> BTreeMap<ProgramId, Found> {
    let mut found: BTreeMap<ProgramId, Found> = BTreeMap::new();
    if specs.is_empty() {
        return found;
    }
    let wanted: Vec<(&ProgramSpec, Option<PathBuf>)> =
        specs.iter().map(|s| (*s, executable(s))).collect();
    let (me, uid) = (std::process::id(), crate::server::euid());
    let home = std::env::var("HOME").ok();
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
        let marks = markers(&entry.path());
        for (spec, exe) in &wanted {
            let ours = marks.0.as_deref() == Some(spec.id.as_str()) && marks.2 == home;
            let same = spec.argv == argv && same_exe(&entry.path(), exe.as_deref());
            if !(ours || (same && marks.1.is_none())) {
                continue;
            }
            let Ok(info) = ProcessInfo::read(pid) else {
                continue;
            };
            let older = found
                .get(&spec.id)
                .is_none_or(|f| info.identity.start_time < f.info.identity.start_time);
            if older {
                let mut instance = info.instance();
                instance.token = marks.1.clone().filter(|_| ours);
                found.insert(spec.id.clone(), Found { info, instance });
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

/// The process's Lifeguard markers (program id, instance token) and its HOME, which ties
/// it to a daemon of this session rather than another one of the same user (tests run
/// many daemons side by side, each in its own HOME).
fn markers(dir: &Path) -> (Option<String>, Option<String>, Option<String>) {
    let Ok(bytes) = std::fs::read(dir.join("environ")) else {
        return (None, None, None);
    };
    let mut environ = procfs::environ(&bytes);
    (
        environ.remove(PROGRAM_VAR),
        environ.remove(INSTANCE_VAR),
        environ.remove("HOME"),
    )
}
