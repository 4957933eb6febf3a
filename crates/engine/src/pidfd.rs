//! Process file descriptors: a handle on one process that a reused pid cannot fool, to
//! signal it and to wait for its end without polling.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use crate::{Exit, Signal};

/// A pidfd (`pidfd_open(2)`) of one process.
#[derive(Debug)]
pub struct PidFd {
    fd: OwnedFd,
    pid: u32,
}

impl PidFd {
    /// Opens a pidfd for `pid`. Check the process's start time *after* opening, so the fd is
    /// known to name the intended process.
    pub fn open(pid: u32) -> io::Result<Self> {
        let raw = i32::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, raw, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = RawFd::try_from(fd).map_err(|_| io::Error::other("pidfd out of range"))?;
        // SAFETY: the kernel just gave us this fd; nobody else owns it.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Self { fd, pid })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Registers it with tokio's reactor, to await its readiness: a pidfd becomes readable
    /// when the process has ended. Must be called inside a tokio runtime.
    pub(crate) fn into_async(self) -> io::Result<tokio::io::unix::AsyncFd<PidFd>> {
        // SAFETY: `PidFd` owns its fd and always returns that same fd from `as_raw_fd`.
        let fd = unsafe {
            tokio::io::unix::AsyncFd::register_with_interest(self, tokio::io::Interest::READABLE)
        };
        Ok(fd?)
    }

    /// Sends `signal`; a process that already ended is not an error.
    pub fn send(&self, signal: Signal) -> io::Result<()> {
        // SAFETY: pidfd_send_signal with our fd, a signal number and no siginfo.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                self.fd.as_raw_fd(),
                signal.number(),
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        match io::Error::last_os_error() {
            e if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
            e => Err(e),
        }
    }

    /// Reaps the process if it is a child of ours that has ended: `Ok(Some(exit))`;
    /// `Ok(None)` if it still runs; `Err` (ECHILD) if it is not our child to reap.
    pub fn try_reap(&self) -> io::Result<Option<Exit>> {
        // SAFETY: an all-zero siginfo_t is a valid value for waitid to overwrite.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let id = libc::id_t::try_from(self.fd.as_raw_fd())
            .map_err(|_| io::Error::other("pidfd out of range"))?;
        // SAFETY: waitid on exactly this pidfd, writing into `info`.
        let rc =
            unsafe { libc::waitid(libc::P_PIDFD, id, &mut info, libc::WEXITED | libc::WNOHANG) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: waitid filled in the SIGCHLD fields (or left si_pid 0 with WNOHANG).
        let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
        if pid == 0 {
            return Ok(None);
        }
        Ok(Some(match info.si_code {
            libc::CLD_EXITED => Exit::Code(status),
            libc::CLD_KILLED | libc::CLD_DUMPED => match Signal::from_number(status) {
                Some(signal) => Exit::Signal {
                    signal,
                    core_dumped: info.si_code == libc::CLD_DUMPED,
                },
                None => Exit::Unknown,
            },
            _ => Exit::Unknown,
        }))
    }
}

impl AsRawFd for PidFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
