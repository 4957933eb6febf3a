//! The keeper's exit records: one small file per reaped process in the runtime
//! directory's `exits/` (mode 0700, like the rest of it), named `PID-STARTTIME` so a
//! reused pid never reads another process's status, holding the raw wait status.
//! Written atomically by the keeper before anyone can look for it; taken (read and
//! removed) by the daemon that watches the process.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use lifeguard_engine::{Exit, ExitRecords, Identity};

/// How long a record nobody took is kept (a helper's, an orphan's).
const KEEP: Duration = Duration::from_secs(600);

/// The records directory in a runtime directory.
pub fn dir(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("exits")
}

fn file(dir: &Path, who: Identity) -> PathBuf {
    dir.join(format!("{}-{}", who.pid, who.start_time))
}

/// Records that `who` ended with the raw wait status `status`.
pub(super) fn write(dir: &Path, who: Identity, status: i32) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{}-{}", who.pid, who.start_time));
    std::fs::write(&tmp, status.to_string())?;
    std::fs::rename(&tmp, file(dir, who))
}

/// Removes the records older than [`KEEP`].
pub(super) fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > KEEP);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The keeper's records as the engine reads them.
#[derive(Debug, Clone)]
pub struct RecordDir(pub PathBuf);

impl ExitRecords for RecordDir {
    fn take(&self, who: Identity) -> Option<Exit> {
        let path = file(&self.0, who);
        let raw: i32 = std::fs::read_to_string(&path).ok()?.trim().parse().ok()?;
        let _ = std::fs::remove_file(&path);
        Some(Exit::from_status(std::process::ExitStatus::from_raw(raw)))
    }
}
