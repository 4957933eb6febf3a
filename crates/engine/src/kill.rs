//! Signalling a whole process group.

use std::io;

use crate::Signal;

/// Sends `signal` to process group `pgid`. Missing groups (ESRCH) are fine: the job is done.
///
/// Refuses pgid 0 and 1, for which `kill(-pgid)` would mean "my own group" or "every
/// process I may signal".
pub fn signal_group(pgid: u32, signal: Signal) -> io::Result<()> {
    let pgid = i32::try_from(pgid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    if pgid <= 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "refusing to signal group 0 or 1",
        ));
    }
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    let rc = unsafe { libc::kill(-pgid, signal.number()) };
    if rc == 0 {
        return Ok(());
    }
    match io::Error::last_os_error() {
        e if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
        e => Err(e),
    }
}
