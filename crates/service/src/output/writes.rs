//! Writes to the log files, as inotify reports them: lets rotation look at the sizes only
//! after something was written, so a daemon whose programs are quiet never wakes up.
//!
//! The programs write straight to their files (see the [module](super) doc), so the
//! daemon cannot count the bytes itself; an inotify watch on the directory (`IN_MODIFY`,
//! which also reports writes from other processes) is the only event-driven way to learn
//! of them. The fd is registered with tokio's reactor, so waiting costs no thread.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

/// What [`LogWrites::written`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// A `*.log` file was written (or truncated), or the kernel dropped events.
    Written,
    /// The watch ended (the directory was removed or its file system unmounted).
    Gone,
}

/// An inotify watch on one directory for writes to its `*.log` files.
pub(crate) struct LogWrites {
    fd: AsyncFd<OwnedFd>,
    /// Room for many events per `read`: a busy directory queues one per write (the kernel
    /// merges only identical consecutive ones).
    buf: Box<[u8]>,
}

/// What the events read so far said.
#[derive(Debug, Default, Clone, Copy)]
struct Drained {
    written: bool,
    gone: bool,
}

impl LogWrites {
    /// Creates `dir` if needed (0700, as [`super::LogSettings`] does) and watches it.
    /// Must be called within a tokio runtime with I/O enabled.
    pub(crate) fn watch(dir: &Path) -> io::Result<Self> {
        // The directory appears with the first program's log otherwise; a watch needs it
        // now.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let (fd, _watch) = crate::inotify::watch_dir(dir, libc::IN_MODIFY, true)?;
        // SAFETY: the OwnedFd is owned by the AsyncFd from here on, so it stays open and
        // the same fd until the AsyncFd is dropped.
        let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }?;
        Ok(Self {
            fd,
            buf: vec![0u8; 16 * 1024].into_boxed_slice(),
        })
    }

    /// Waits until a `*.log` file in the directory is written or the watch ends. Events
    /// already queued count: call [`LogWrites::pending`] first to forget them.
    pub(crate) async fn written(&mut self) -> io::Result<Seen> {
        loop {
            let mut guard = self.fd.readable().await?;
            let mut seen = Drained::default();
            // Read until the queue is empty, so one wake-up answers a whole burst.
            loop {
                let buf = &mut self.buf;
                match guard.try_io(|fd| crate::inotify::read(fd.get_ref(), buf)) {
                    Ok(Ok(n)) => seen = parse(&buf[..n], seen),
                    Ok(Err(e)) => return Err(e),
                    Err(_would_block) => break,
                }
            }
            if seen.gone {
                return Ok(Seen::Gone);
            }
            if seen.written {
                return Ok(Seen::Written);
            }
        }
    }

    /// Reads what is queued without waiting: `Some` if anything was written (or the watch
    /// ended) since the last read.
    pub(crate) fn pending(&mut self) -> io::Result<Option<Seen>> {
        let mut seen = Drained::default();
        loop {
            match crate::inotify::read(self.fd.get_ref(), &mut self.buf) {
                Ok(n) => seen = parse(&self.buf[..n], seen),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(if seen.gone {
            Some(Seen::Gone)
        } else if seen.written {
            Some(Seen::Written)
        } else {
            None
        })
    }
}

/// Folds the events in `bytes` (whole `inotify_event`s, as one `read` returns them).
fn parse(bytes: &[u8], mut seen: Drained) -> Drained {
    for ev in crate::inotify::events(bytes) {
        // Events were dropped: some may have been writes.
        if ev.overflowed() {
            seen.written = true;
        }
        if ev.ended() {
            seen.gone = true;
        }
        // Only the live files: rotation's own copies (`<id>.log.1`) are written too, and
        // must not cause another check.
        if ev.mask & libc::IN_MODIFY != 0 && ev.name.ends_with(b".log") {
            seen.written = true;
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Write;
    use std::time::Duration;

    use super::*;

    fn append(path: &Path, bytes: &[u8]) {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn reports_writes_to_log_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut w = LogWrites::watch(&out).unwrap();
        assert_eq!(w.pending().unwrap(), None);

        // A rotated copy is not a log file.
        append(&out.join("a.log.1"), b"old\n");
        assert_eq!(w.pending().unwrap(), None);
        let quiet = tokio::time::timeout(Duration::from_millis(200), w.written()).await;
        assert!(quiet.is_err(), "woke up for a rotated copy: {quiet:?}");

        append(&out.join("a.log"), b"hello\n");
        let seen = tokio::time::timeout(Duration::from_secs(5), w.written()).await;
        assert_eq!(seen.unwrap().unwrap(), Seen::Written);
        // The burst was read whole.
        assert_eq!(w.pending().unwrap(), None);

        // A truncation is a write too (rotation's own: costs one more look).
        std::fs::OpenOptions::new()
            .write(true)
            .open(out.join("a.log"))
            .unwrap()
            .set_len(0)
            .unwrap();
        assert_eq!(w.pending().unwrap(), Some(Seen::Written));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn reports_the_end_of_the_watch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut w = LogWrites::watch(&out).unwrap();
        std::fs::remove_dir(&out).unwrap();
        let seen = tokio::time::timeout(Duration::from_secs(5), w.written()).await;
        assert_eq!(seen.unwrap().unwrap(), Seen::Gone);
    }

    #[test]
    fn a_missing_parent_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _enter = rt.enter();
        assert!(LogWrites::watch(&file.join("output")).is_err());
    }
}
