//! Programs' output: each program's stdout and stderr go to its own two log files in the
//! state directory (`output/<id>.log` and `output/<id>.err.log`, as supervisord and pm2
//! keep them), opened for append by the program itself. Two files, because a file cannot
//! say which stream wrote a line; an older daemon's combined `<id>.log` simply becomes the
//! stdout file.
//!
//! No pipes on purpose: a pipe's reader is the daemon, so a program writing to a pipe
//! after the daemon died would get SIGPIPE (or EPIPE) and could die with it. With a file
//! the program never notices the daemon. The price is that the daemon does not see the
//! writes as they happen, so rotation is by copy-truncate ([`rotate`]) after inotify
//! reports a write to the directory (`writes`; on a timer where inotify is unavailable),
//! and following a log polls its size while a client follows it ([`tail`]).

pub mod rotate;
pub mod tail;
pub(crate) mod writes;

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use lifeguard_engine::{Output, ProgramId, ProgramSpec};

/// Where programs' output goes and when it is rotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    /// The directory of the log files.
    pub dir: PathBuf,
    /// Rotate a file once it reaches this size (default 5 MB).
    pub max_bytes: u64,
    /// Rotated copies kept of each file (`<id>.log.1` … `.N`, `<id>.err.log.1` … `.N`,
    /// default 3).
    pub keep: u32,
    /// The pause after a size check (one `stat` per log file) before the next one
    /// (default 10 s): sizes are checked when a log file is written, at most this often,
    /// and never while nothing is written. Where inotify is unavailable, sizes are
    /// checked at this interval instead.
    pub check_every: Duration,
}

impl LogSettings {
    /// Default rotation size: 5 MB.
    pub const DEFAULT_MAX_BYTES: u64 = 5 * 1024 * 1024;
    /// Default number of rotated copies.
    pub const DEFAULT_KEEP: u32 = 3;
    /// Default pause between size checks.
    pub const DEFAULT_CHECK_EVERY: Duration = Duration::from_secs(10);

    /// Defaults, with the files in `state_dir/output`.
    pub fn new(state_dir: &Path) -> Self {
        Self {
            dir: state_dir.join("output"),
            max_bytes: Self::DEFAULT_MAX_BYTES,
            keep: Self::DEFAULT_KEEP,
            check_every: Self::DEFAULT_CHECK_EVERY,
        }
    }

    /// The stdout log file of a program (`<id>.log`).
    pub fn path(&self, id: &ProgramId) -> PathBuf {
        self.dir.join(format!("{id}.log"))
    }

    /// The stderr log file of a program (`<id>.err.log`).
    pub fn stderr_path(&self, id: &ProgramId) -> PathBuf {
        self.dir.join(format!("{id}.err.log"))
    }

    /// The spec the engine gets: output the config leaves as "inherit" goes to the
    /// program's log files instead (the daemon's own stdout may be a closed terminal or a
    /// pipe), stdout to [`LogSettings::path`] and stderr to [`LogSettings::stderr_path`].
    /// `null` and explicit files are the user's choice and stay.
    pub fn prepare(&self, mut spec: ProgramSpec) -> ProgramSpec {
        let paths = [self.path(&spec.id), self.stderr_path(&spec.id)];
        for (out, path) in [&mut spec.stdout, &mut spec.stderr].into_iter().zip(paths) {
            if *out == Output::Inherit {
                // Created here with 0600, since output may hold secrets; the engine then
                // only appends to it. A failure shows up as the engine's spawn error.
                let _ = self.create(&path);
                *out = Output::File(path);
            }
        }
        spec
    }

    fn create(&self, path: &Path) -> std::io::Result<()> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map(drop)
    }
}
