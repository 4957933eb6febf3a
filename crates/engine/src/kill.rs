//! Signalling a whole process group.

use std::io;

use crate::Signal;

/// Sends `signal` to process group `pgid`. Missing groups (ESRCH) are fine: the job is done.
///
/// Refuses pgid 0 and 1, for which `kill(-pgid)` would mean "my own group" or "every
/// process I may signal".
pub fn signal_group(pgid: u32, signal: Signal) -> io::Result<()> {
    if pgid <= 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "refusing to signal group 0 or 1",
        ));
    }
    let group = crate::pidfd::pid_of(pgid)?;
    let sent = match rustix::process::Signal::from_named_raw(signal.number()) {
        Some(sig) => rustix::process::kill_process_group(group, sig).map_err(io::Error::from),
        None => killpg_realtime(group, signal),
    };
    match sent {
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
        other => other,
    }
}

/// A real-time signal, which rustix's `Signal` names only through an unsafe constructor.
fn killpg_realtime(group: rustix::process::Pid, signal: Signal) -> io::Result<()> {
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    let rc = unsafe { libc::kill(-group.as_raw_nonzero().get(), signal.number()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Sends `signal` to the instance's process group and to every process of its tree (see
/// `tree.rs`), each through a pidfd checked against the start time seen in the scan, so a
/// pid reused meanwhile is never signalled. Zombies of the tree that are ours are reaped;
/// the signalled processes are reaped in the background as they end.
pub(crate) fn signal_tree(inst: &crate::Instance, signal: Signal) -> io::Result<()> {
    use crate::{inspect, pidfd::PidFd, reap, tree};
    let group = inst.pgid.map_or(Ok(()), |g| signal_group(g, signal));
    let members = tree::members(inst);
    let me = std::process::id();
    let mut signalled = Vec::new();
    for s in &members {
        if s.is_zombie() {
            if s.ppid == me && s.pid != inst.main.pid {
                reap::reap(s.pid);
            }
            continue;
        }
        let Ok(fd) = PidFd::open(s.pid) else {
            continue; // gone already
        };
        if inspect::stat(s.pid).is_none_or(|now| now.start_time != s.start_time) {
            continue; // the pid was reused between the scan and the open
        }
        let _ = fd.send(signal);
        if s.pid != inst.main.pid {
            signalled.push(fd);
        }
    }
    // A stop signal may be ignored until the SIGKILL after the grace: wait longer for it.
    let patience = if signal == Signal::KILL { 5 } else { 120 };
    reap::when_ended(
        signalled,
        tree::groups(inst, &members),
        inst.main.pid,
        std::time::Duration::from_secs(patience),
    );
    group
}
