//! The short-lived children the process starts for itself (health-check commands, a
//! `systemctl` query) and waits for itself. A child subreaper also inherits orphans that
//! nobody waits for, and must reap those; it must never reap these, or the waiting code
//! sees `ECHILD` (a health check would fail for no reason). So such children are
//! registered here from before they can exit until they have been waited for, and the
//! reaper lists zombies under [`hold`], which no spawn runs through.

use std::collections::BTreeSet;
use std::sync::{Mutex, RwLock, RwLockWriteGuard};

/// Held for reading around each spawn-and-register, for writing while the reaper lists
/// zombies: so every child the reaper sees is either registered or not ours.
static GATE: RwLock<()> = RwLock::new(());
/// The pids of our own children not yet waited for.
static OWN: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

fn own() -> std::sync::MutexGuard<'static, BTreeSet<u32>> {
    // One insert or remove at a time: a poisoned set is still consistent.
    OWN.lock().unwrap_or_else(|p| p.into_inner())
}

/// While the returned guard lives no child is spawned through this module: list the
/// zombies and check [`is_own`] under it.
pub fn hold() -> RwLockWriteGuard<'static, ()> {
    GATE.write().unwrap_or_else(|p| p.into_inner())
}

/// Whether `pid` is one of our own children that its spawner will wait for.
pub fn is_own(pid: u32) -> bool {
    own().contains(&pid)
}

fn spawned<T>(spawn: impl FnOnce() -> std::io::Result<(T, Option<u32>)>) -> std::io::Result<T> {
    let _gate = GATE.read().unwrap_or_else(|p| p.into_inner());
    let (child, pid) = spawn()?;
    if let Some(pid) = pid {
        own().insert(pid);
    }
    Ok(child)
}

/// A child spawned with [`spawn`]; unregistered once waited for or dropped.
#[derive(Debug)]
pub struct OwnChild {
    child: tokio::process::Child,
    pid: Option<u32>,
}

/// Spawns `cmd` as one of our own children (see the module docs).
pub fn spawn(cmd: &mut tokio::process::Command) -> std::io::Result<OwnChild> {
    spawned(|| {
        let child = cmd.spawn()?;
        let pid = child.id();
        Ok((OwnChild { child, pid }, pid))
    })
}

impl OwnChild {
    /// Its process id, while it has not been waited for.
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Waits for the child to exit (reaping it).
    pub async fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        let status = self.child.wait().await;
        self.forget();
        status
    }

    fn forget(&mut self) {
        if let Some(pid) = self.pid.take() {
            own().remove(&pid);
        }
    }
}

impl Drop for OwnChild {
    fn drop(&mut self) {
        // Not waited for (a check that timed out): tokio kills it (`kill_on_drop`) and
        // reaps it later, or the reaper does; whichever comes second finds nothing.
        self.forget();
    }
}

/// Runs `cmd` to completion as one of our own children, collecting its output, like
/// [`std::process::Command::output`].
pub fn output(cmd: &mut std::process::Command) -> std::io::Result<std::process::Output> {
    let child = spawned(|| {
        let child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        let pid = child.id();
        Ok((child, Some(pid)))
    })?;
    let pid = child.id();
    let out = child.wait_with_output();
    own().remove(&pid);
    out
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn registered_until_waited_for() {
        let mut cmd = tokio::process::Command::new("true");
        let mut child = super::spawn(&mut cmd).unwrap_or_else(|e| panic!("{e}"));
        let pid = child.pid.unwrap_or_default();
        assert!(super::is_own(pid));
        assert!(child.wait().await.is_ok_and(|s| s.success()));
        assert!(!super::is_own(pid));
    }
}
