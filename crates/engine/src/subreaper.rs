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
    // The flag is any non-zero value; rustix passes a pid's number, and init's is 1.
    Ok(rustix::process::set_child_subreaper(Some(
        rustix::process::Pid::INIT,
    ))?)
}

/// Whether this process is a child subreaper now.
pub(crate) fn enabled() -> bool {
    rustix::process::child_subreaper().is_ok_and(|flag| flag.is_some())
}
