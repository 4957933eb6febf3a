//! Process file descriptors: a handle on one process that a reused pid cannot fool, to
//! signal it and to wait for its end without polling.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};

use rustix::process::{Pid, PidfdFlags, WaitId, WaitIdOptions};

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
        let fd = rustix::process::pidfd_open(pid_of(pid)?, PidfdFlags::empty())?;
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
        let sent = match rustix::process::Signal::from_named_raw(signal.number()) {
            Some(sig) => rustix::process::pidfd_send_signal(&self.fd, sig).map_err(io::Error::from),
            None => send_realtime(&self.fd, signal),
        };
        match sent {
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
            other => other,
        }
    }

    /// Reaps the process if it is a child of ours that has ended: `Ok(Some(exit))`;
    /// `Ok(None)` if it still runs; `Err` (ECHILD) if it is not our child to reap.
    pub fn try_reap(&self) -> io::Result<Option<Exit>> {
        let status = rustix::process::waitid(
            WaitId::PidFd(self.fd.as_fd()),
            WaitIdOptions::EXITED | WaitIdOptions::NOHANG,
        )?;
        let Some(status) = status else {
            return Ok(None);
        };
        Ok(Some(if let Some(code) = status.exit_status() {
            Exit::Code(code)
        } else if let Some(signal) = status.terminating_signal().and_then(Signal::from_number) {
            Exit::Signal {
                signal,
                core_dumped: status.dumped(),
            }
        } else {
            Exit::Unknown
        }))
    }
}

impl AsRawFd for PidFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// `pid` as the kernel's type; 0 and values past `i32` name no single process.
pub(crate) fn pid_of(pid: u32) -> io::Result<Pid> {
    i32::try_from(pid)
        .ok()
        .and_then(Pid::from_raw)
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
}

/// A real-time signal (a program's chosen stop signal may be one), which rustix's
/// `Signal` names only through an unsafe constructor: sent with the raw system call.
fn send_realtime(fd: &OwnedFd, signal: Signal) -> io::Result<()> {
    // SAFETY: pidfd_send_signal with our fd, a signal number and no siginfo.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            signal.number(),
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
