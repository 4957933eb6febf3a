//! Hot reload: an inotify watch on the config file's directory (editors replace files
//! by rename, which a watch on the file itself would lose), read by one thread of our
//! own (no file-watching crate and its extra thread). A burst of events is debounced —
//! the file is re-read once it has been quiet for [`QUIET`] — because an editor that
//! writes in place shows a truncated file first, and applying that half would stop
//! programs only to start them again. The re-read goes through [`ConfigStore::reload`],
//! which ignores our own writes by content. The thread blocks in `poll` with no timeout
//! until an event comes: an idle watcher never wakes up.

use std::ffi::OsString;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::diff::ConfigDiff;
use super::error::ConfigError;
use super::store::ConfigStore;

/// How long the file must be quiet before it is re-read.
pub const QUIET: Duration = Duration::from_millis(200);

/// What a reload produced.
#[derive(Debug)]
pub enum ConfigEvent {
    /// A new valid file is in force; apply this diff to the engine.
    Applied(ConfigDiff),
    /// The file is invalid; the previous config stays in force.
    Rejected(ConfigError),
}

/// Watches the config file while alive.
#[derive(Debug)]
pub struct ConfigWatcher {
    inotify: Arc<OwnedFd>,
    watch: i32,
}

impl Drop for ConfigWatcher {
    fn drop(&mut self) {
        // The kernel answers with IN_IGNORED, which ends the thread.
        crate::inotify::unwatch(&self.inotify, self.watch);
    }
}

impl ConfigWatcher {
    /// Starts watching `store`'s file; reload results arrive on the returned channel.
    pub fn start(
        store: ConfigStore,
    ) -> Result<(Self, mpsc::UnboundedReceiver<ConfigEvent>), ConfigError> {
        let path = store.path().to_owned();
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_owned(),
            None => std::path::PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| ConfigError::io(&dir, e))?;
        let name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
        let (inotify, watch) = watch_dir(&dir).map_err(ConfigError::Watch)?;
        let watcher = Self {
            inotify: Arc::new(inotify),
            watch,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let fd = watcher.inotify.clone();
        std::thread::Builder::new()
            .name("lifeguard-config-watch".into())
            .spawn(move || debounce_and_reload(&store, &fd, &name, &tx))
            .map_err(|e| ConfigError::io(&dir, e))?;
        Ok((watcher, rx))
    }
}

/// A blocking inotify descriptor watching `dir` for changes to its entries.
fn watch_dir(dir: &std::path::Path) -> io::Result<(OwnedFd, i32)> {
    let mask = libc::IN_MODIFY
        | libc::IN_CLOSE_WRITE
        | libc::IN_CREATE
        | libc::IN_DELETE
        | libc::IN_MOVED_FROM
        | libc::IN_MOVED_TO;
    crate::inotify::watch_dir(dir, mask, false)
}

/// What one wait on the descriptor saw.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// The config file changed (or events were dropped).
    Ours,
    /// Only other files of the directory changed.
    Other,
    /// Nothing within the timeout.
    Quiet,
    /// The watch ended (the watcher was dropped, or the directory removed).
    Gone,
}

/// Waits for events, at most `timeout` (`None`: for ever), and reads them all.
fn wait(fd: &OwnedFd, name: &OsString, timeout: Option<Duration>) -> Seen {
    let timeout = timeout.map(|t| rustix::event::Timespec {
        tv_sec: i64::try_from(t.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(t.subsec_nanos()),
    });
    let mut fds = [rustix::event::PollFd::new(fd, rustix::event::PollFlags::IN)];
    match rustix::event::poll(&mut fds, timeout.as_ref()) {
        Ok(0) => return Seen::Quiet,
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Seen::Other,
        Err(error) => {
            tracing::warn!(%error, "config watcher stopped");
            return Seen::Gone;
        }
    }
    let mut buf = [0u8; 4096];
    match crate::inotify::read(fd, &mut buf) {
        Ok(n) => parse(&buf[..n], name.as_bytes()),
        Err(_) => Seen::Gone,
    }
}

/// Folds whole `inotify_event`s into what they mean for the config file `name`.
fn parse(bytes: &[u8], name: &[u8]) -> Seen {
    let mut seen = Seen::Other;
    for ev in crate::inotify::events(bytes) {
        if ev.ended() {
            return Seen::Gone;
        }
        if ev.overflowed() || ev.name == name {
            seen = Seen::Ours;
        }
    }
    seen
}

/// Waits for a change of the file, then for [`QUIET`] without one, then reloads; ends
/// when the watch ends or the receiver of results is dropped.
fn debounce_and_reload(
    store: &ConfigStore,
    fd: &OwnedFd,
    name: &OsString,
    out: &mpsc::UnboundedSender<ConfigEvent>,
) {
    loop {
        match wait(fd, name, None) {
            Seen::Ours => {}
            Seen::Other | Seen::Quiet => continue,
            Seen::Gone => return,
        }
        loop {
            match wait(fd, name, Some(QUIET)) {
                Seen::Ours | Seen::Other => continue,
                Seen::Quiet => break,
                Seen::Gone => return,
            }
        }
        let event = match store.reload() {
            Ok(Some(diff)) if !diff.is_empty() => ConfigEvent::Applied(diff),
            Ok(_) => continue,
            Err(e) => ConfigEvent::Rejected(e),
        };
        if out.send(event).is_err() {
            return;
        }
    }
}
