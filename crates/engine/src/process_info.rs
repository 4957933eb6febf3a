//! What `/proc` tells about a running process the user picked: enough to adopt it now and
//! to relaunch it the same way later. [`ProcessInfo::parse`] is pure (tested on crafted
//! inputs); [`ProcessInfo::read`] reads the live files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::instance::{INSTANCE_VAR, PROGRAM_VAR};
use crate::procfs::{self, Identity, Stat};
use crate::{Instance, ProgramId, ProgramSpec, SpecError};

/// A running process: identity, argv, working directory, environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    /// Pid and start time.
    pub identity: Identity,
    /// Its command line.
    pub argv: Vec<String>,
    /// Its working directory, if readable.
    pub cwd: Option<PathBuf>,
    /// Its environment (may hold secrets: store it only in files of mode 0600).
    pub env: BTreeMap<String, String>,
}

/// Why a process cannot be described.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// No such process (it ended), or its files cannot be read (another user's).
    #[error("cannot read /proc/{pid}/{file}: {source}")]
    Unreadable {
        /// The process.
        pid: u32,
        /// Which file.
        file: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file did not have the expected form.
    #[error("/proc/{pid}/{file} is not as expected")]
    Garbled {
        /// The process.
        pid: u32,
        /// Which file.
        file: &'static str,
    },
    /// It has no command line: a kernel thread or a zombie, nothing to relaunch.
    #[error("process {pid} has no command line (a kernel thread or a zombie)")]
    NoCommandLine {
        /// The process.
        pid: u32,
    },
}

impl ProcessInfo {
    /// Builds it from the contents of `/proc/PID/{stat,cmdline,environ}` and the `cwd` link.
    pub fn parse(
        pid: u32,
        stat: &str,
        cmdline: &[u8],
        cwd: Option<PathBuf>,
        environ: &[u8],
    ) -> Result<Self, ProcError> {
        let garbled = |file| ProcError::Garbled { pid, file };
        let stat = Stat::parse(stat).ok_or(garbled("stat"))?;
        if stat.pid != pid {
            return Err(garbled("stat"));
        }
        let argv = procfs::nul_list(cmdline);
        if argv.is_empty() || stat.is_zombie() {
            return Err(ProcError::NoCommandLine { pid });
        }
        let mut env = procfs::environ(environ);
        // Markers of a former instance must not leak into the relaunched one.
        env.remove(PROGRAM_VAR);
        env.remove(INSTANCE_VAR);
        Ok(Self {
            identity: Identity {
                pid,
                start_time: stat.start_time,
            },
            argv,
            cwd,
            env,
        })
    }

    /// Reads the live process `pid`.
    pub fn read(pid: u32) -> Result<Self, ProcError> {
        let dir = PathBuf::from(format!("/proc/{pid}"));
        let read = |file: &'static str| {
            std::fs::read(dir.join(file)).map_err(|source| ProcError::Unreadable {
                pid,
                file,
                source,
            })
        };
        let stat = read("stat")?;
        let cmdline = read("cmdline")?;
        let environ = read("environ")?;
        let cwd = std::fs::read_link(dir.join("cwd")).ok();
        Self::parse(
            pid,
            &String::from_utf8_lossy(&stat),
            &cmdline,
            cwd,
            &environ,
        )
    }

    /// A spec that relaunches it the same way: same argv, working directory and
    /// environment; defaults for the rest.
    pub fn to_spec(&self, id: ProgramId) -> Result<ProgramSpec, SpecError> {
        let mut spec = ProgramSpec::new(id, self.argv.clone());
        spec.cwd = self.cwd.clone();
        spec.env = self.env.clone();
        spec.validate()?;
        Ok(spec)
    }

    /// The instance to pass to [`Supervisor::adopt`](crate::Supervisor::adopt).
    pub fn instance(&self) -> Instance {
        Instance::foreign(self.identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "4242 (my app) S 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 1 0 \
                        987654 8937472 891 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1";

    #[test]
    fn builds_a_relaunch_spec_without_our_markers() {
        let info = ProcessInfo::parse(
            4242,
            STAT,
            b"/usr/bin/app\0--window\0two words\0",
            Some("/home/u".into()),
            b"HOME=/home/u\0LIFEGUARD_INSTANCE=1-ab\0LIFEGUARD_PROGRAM=x\0",
        )
        .unwrap();
        assert_eq!(
            info.identity,
            Identity {
                pid: 4242,
                start_time: 987_654
            }
        );
        let spec = info.to_spec(ProgramId::new("app").unwrap()).unwrap();
        assert_eq!(spec.argv, ["/usr/bin/app", "--window", "two words"]);
        assert_eq!(spec.cwd, Some("/home/u".into()));
        assert_eq!(spec.env.keys().collect::<Vec<_>>(), ["HOME"]);
        assert_eq!(info.instance().token, None);
    }

    #[test]
    fn kernel_threads_zombies_and_mismatched_pids_are_refused() {
        assert!(matches!(
            ProcessInfo::parse(4242, STAT, b"", None, b""),
            Err(ProcError::NoCommandLine { pid: 4242 })
        ));
        let zombie = STAT.replace(") S ", ") Z ");
        assert!(ProcessInfo::parse(4242, &zombie, b"app\0", None, b"").is_err());
        assert!(matches!(
            ProcessInfo::parse(4243, STAT, b"app\0", None, b""),
            Err(ProcError::Garbled { .. })
        ));
    }
}
