//! One tray per user: an exclusive `flock` on `tray.lock` in the state directory (the
//! daemon's lock, reused). A second `lifeguard tray` (the window starts one every time it
//! opens, in case the tray was quit) finds it held and leaves at once.

use lifeguard_service::daemon::Lock;
use lifeguard_service::paths::Paths;

/// The lock file's name in the state directory.
const FILE: &str = "tray.lock";

/// What taking the lock found.
pub enum Instance {
    /// This process is the tray; the lock is held while this value lives.
    First(Lock),
    /// Another tray runs (its pid, when it wrote one).
    Running(Option<u32>),
}

/// Takes the tray's lock.
pub fn acquire(paths: &Paths) -> Result<Instance, lifeguard_service::daemon::DaemonError> {
    std::fs::create_dir_all(&paths.state_dir).map_err(|source| {
        lifeguard_service::daemon::DaemonError::Io {
            what: "the state directory",
            path: paths.state_dir.clone(),
            source,
        }
    })?;
    match Lock::acquire(&paths.state_dir.join(FILE)) {
        Ok(lock) => Ok(Instance::First(lock)),
        Err(lifeguard_service::daemon::DaemonError::AlreadyRunning { pid, .. }) => {
            Ok(Instance::Running(pid))
        }
        Err(error) => Err(error),
    }
}
