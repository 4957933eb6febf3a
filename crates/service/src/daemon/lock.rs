//! One daemon per user: an exclusive `flock` on `daemon.lock` in the state directory
//! (where every daemon of the user looks, with or without `XDG_RUNTIME_DIR`),
//! holding the owner's pid so a second daemon can name it. The kernel drops the lock when
//! the process dies however it dies, so a stale lock file never blocks a new daemon.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::DaemonError;

/// The lock file's name in the state directory.
pub(super) const FILE: &str = "daemon.lock";

/// The held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct Lock {
    _file: File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path`, or fails at once with the running daemon's pid.
    pub fn acquire(path: &Path) -> Result<Self, DaemonError> {
        let io = |source| DaemonError::Io {
            what: "the lock file",
            path: path.to_owned(),
            source,
        };
        // Rust opens files close-on-exec, so supervised programs never inherit the lock
        // (an orphaned program holding it would block every later daemon).
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        if let Err(errno) =
            rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        {
            let err = std::io::Error::from(errno);
            if errno == rustix::io::Errno::WOULDBLOCK {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(DaemonError::AlreadyRunning {
                    pid: text.trim().parse().ok(),
                    lock: path.to_owned(),
                });
            }
            return Err(io(err));
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        Ok(Self {
            _file: file,
            path: path.to_owned(),
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
