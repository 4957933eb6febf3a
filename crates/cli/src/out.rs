//! Everything the commands print on stdout goes through [`outln!`]: a closed stdout
//! (`lifeguard history | head`) ends the command quietly, as it ends `cat` or `grep`,
//! instead of the panic `println!` gives.
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe fails with EPIPE. Setting SIGPIPE
//! back to its default would let the kernel end us, but the same signal would then kill
//! a client whose daemon went away mid-request (and the daemon, which shares `main`),
//! losing the message that says why. So the write's error is looked at instead.

use std::io::{self, Write};

/// The exit status of a command whose reader went away: 128 + SIGPIPE, what a shell
/// reports for `cat` in the same place (`set -o pipefail` sees it like theirs).
pub const CLOSED: i32 = 128 + libc::SIGPIPE;

/// Prints a line on stdout (like `println!`); see the module's doc for a closed stdout.
#[macro_export]
macro_rules! outln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Writes `args` to stdout. On EPIPE the process ends at once with [`CLOSED`] and says
/// nothing (nobody reads it any more); any other write error ends it with status 1.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        closed(&e);
    }
}

/// Writes `args` to stdout and hands back the error, for a command that must go on
/// when nobody reads its stdout (`lifeguard run` still supervises its program).
pub fn try_write(args: std::fmt::Arguments<'_>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_fmt(args)?;
    out.flush()
}

/// Writes raw bytes to stdout, with [`write`]'s handling of a closed stdout.
pub fn bytes(data: &[u8]) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(data) {
        closed(&e);
    }
}

/// Flushes stdout (after each followed line, so a pipe sees it as it happens).
pub fn flush() {
    if let Err(e) = io::stdout().lock().flush() {
        closed(&e);
    }
}

fn closed(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(CLOSED);
    }
    eprintln!("lifeguard: cannot write to stdout: {e}");
    std::process::exit(i32::from(crate::exit::ERROR));
}
