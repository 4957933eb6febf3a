//! Making the embedding process a child subreaper, so orphaned descendants of the programs
//! it starts (launchers' grandchildren, helpers of a crashed program) become its children
//! instead of init's: the engine can then find, stop and reap them.

use std::io;

/// Makes this process a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`).
///
/// An explicit opt-in: it changes the whole process, since every orphaned descendant —
/// also those of other libraries' children — is reparented to it and must be reaped by
/// someone. The engine reaps only the ones it can attribute to its programs, by pid; an
/// embedding program that starts other children that daemonize must reap their orphans
/// itself. Lifeguard's binaries call this first thing.
pub fn enable_child_subreaper() -> io::Result<()> {
    // SAFETY: prctl with integer arguments only.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Whether this process is a child subreaper now.
pub(crate) fn enabled() -> bool {
    let mut flag: libc::c_int = 0;
    // SAFETY: PR_GET_CHILD_SUBREAPER writes one int to the pointer we pass.
    let rc = unsafe { libc::prctl(libc::PR_GET_CHILD_SUBREAPER, &mut flag as *mut libc::c_int) };
    rc == 0 && flag != 0
}
