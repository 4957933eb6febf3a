//! The daemon's one inotify implementation: a watch on one directory, reads, and the
//! kernel's packed `inotify_event` records turned into safe values. The config watcher
//! (`config/watch.rs`) and the log-write watch (`output/writes.rs`) fold these events
//! into what they mean for them.

use std::io;
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::inotify::{self, CreateFlags, WatchFlags};

/// A new inotify descriptor watching `dir` (which must be a directory) for `mask`
/// (`libc::IN_*`); `nonblocking` for a descriptor registered with tokio's reactor.
/// Returns the descriptor and the watch's id.
pub(crate) fn watch_dir(dir: &Path, mask: u32, nonblocking: bool) -> io::Result<(OwnedFd, i32)> {
    let mut flags = CreateFlags::CLOEXEC;
    if nonblocking {
        flags |= CreateFlags::NONBLOCK;
    }
    let fd = inotify::init(flags)?;
    let wd = inotify::add_watch(
        &fd,
        dir,
        WatchFlags::from_bits_retain(mask) | WatchFlags::ONLYDIR,
    )?;
    Ok((fd, wd))
}

/// Ends watch `wd` of `fd`; the kernel then queues `IN_IGNORED`, which tells a reader
/// blocked on the descriptor that the watch is over.
pub(crate) fn unwatch(fd: &OwnedFd, wd: i32) {
    // Already gone (the directory was removed) is the same outcome.
    let _ = inotify::remove_watch(fd, wd);
}

/// Reads queued events into `buf`. An empty queue of a non-blocking descriptor is
/// `WouldBlock`; so is a read of 0 bytes, which inotify never returns (a too-small buffer
/// is EINVAL), so a surprise cannot make a caller spin.
pub(crate) fn read(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<usize> {
    match rustix::io::read(fd, buf)? {
        0 => Err(io::ErrorKind::WouldBlock.into()),
        n => Ok(n),
    }
}

/// One event: its `IN_*` bits and the name of the directory entry it is about (empty for
/// events about the directory or the queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Event<'a> {
    /// The event's `IN_*` bits.
    pub mask: u32,
    /// The entry's name, without its NUL padding.
    pub name: &'a [u8],
}

impl Event<'_> {
    /// Whether the kernel dropped events (the queue overflowed): anything may have
    /// happened.
    pub(crate) fn overflowed(&self) -> bool {
        self.mask & libc::IN_Q_OVERFLOW != 0
    }

    /// Whether the watch ended (removed, or the directory deleted or unmounted).
    pub(crate) fn ended(&self) -> bool {
        self.mask & libc::IN_IGNORED != 0
    }
}

/// The whole events in `bytes`, as one `read` returns them; a truncated tail is skipped.
/// Each record is a header of four native-endian 32-bit fields (watch, mask, cookie, name
/// length) and then the name, NUL-padded to an alignment boundary.
pub(crate) fn events(bytes: &[u8]) -> impl Iterator<Item = Event<'_>> {
    const HEADER: usize = 16;
    let field = |at: usize| -> u32 {
        let mut word = [0u8; 4];
        word.copy_from_slice(&bytes[at..at + 4]);
        u32::from_ne_bytes(word)
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        if at + HEADER > bytes.len() {
            return None;
        }
        let mask = field(at + 4);
        let len = usize::try_from(field(at + 12)).unwrap_or(usize::MAX);
        let end = at
            .saturating_add(HEADER)
            .saturating_add(len)
            .min(bytes.len());
        let name = bytes[at + HEADER..end]
            .split(|b| *b == 0)
            .next()
            .unwrap_or_default();
        at = end;
        Some(Event { mask, name })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// One packed record as the kernel writes it: header, then the name NUL-padded.
    fn record(mask: u32, name: &str, padded: usize) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&1i32.to_ne_bytes()); // wd
        out.extend_from_slice(&mask.to_ne_bytes());
        out.extend_from_slice(&0u32.to_ne_bytes()); // cookie
        out.extend_from_slice(&u32::try_from(padded).unwrap().to_ne_bytes());
        let mut n = name.as_bytes().to_vec();
        n.resize(padded, 0);
        out.extend(n);
        out
    }

    #[test]
    fn reads_packed_records_and_skips_a_truncated_tail() {
        let mut bytes = record(libc::IN_MODIFY, "a.log", 16);
        bytes.extend(record(libc::IN_IGNORED, "", 0));
        bytes.extend(&record(libc::IN_CREATE, "cut", 16)[..10]);
        let seen: Vec<_> = events(&bytes).collect();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].name, b"a.log");
        assert_eq!(seen[0].mask, libc::IN_MODIFY);
        assert!(seen[1].ended() && seen[1].name.is_empty());
    }

    #[test]
    fn a_name_longer_than_the_buffer_is_cut_not_a_panic() {
        let mut bytes = record(libc::IN_MODIFY, "long-name.toml", 32);
        bytes.truncate(16 + 5);
        let seen: Vec<_> = events(&bytes).collect();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].name, b"long-");
    }

    #[test]
    fn watches_a_directory_and_sees_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let (fd, _wd) = watch_dir(dir.path(), libc::IN_MODIFY, true).unwrap();
        std::fs::write(dir.path().join("x.log"), b"hi").unwrap();
        let mut buf = [0u8; 4096];
        let n = read(&fd, &mut buf).unwrap();
        assert!(events(&buf[..n]).any(|e| e.name == b"x.log" && e.mask & libc::IN_MODIFY != 0));
        assert_eq!(
            read(&fd, &mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
    }
}
