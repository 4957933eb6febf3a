//! Hot reload: a `notify` watcher on the config file's directory (editors replace files
//! by rename, which a watch on the file itself would lose). A burst of events is
//! debounced — the file is re-read once it has been quiet for [`QUIET`] — because an
//! editor that writes in place shows a truncated file first, and applying that half
//! would stop programs only to start them again. The re-read goes through
//! [`ConfigStore::reload`], which ignores our own writes by content. The debounce timer
//! is armed only after an event: an idle watcher never wakes up.

use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
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
    _watcher: RecommendedWatcher,
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
        let name = path.file_name().map(|n| n.to_owned());
        let (tx, rx) = mpsc::unbounded_channel();
        let (poke, pokes) = std_mpsc::channel::<()>();
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                let event = match res {
                    Ok(e) => e,
                    Err(e) => {
                        tracing::warn!(error = %e, "config watcher error");
                        return;
                    }
                };
                let ours = event
                    .paths
                    .iter()
                    .any(|p| p.file_name().map(|n| n.to_owned()) == name);
                if ours && !matches!(event.kind, EventKind::Access(_)) {
                    let _ = poke.send(());
                }
            })?;
        std::thread::Builder::new()
            .name("lifeguard-config-watch".into())
            .spawn(move || debounce_and_reload(&store, &pokes, &tx))
            .map_err(|e| ConfigError::io(&dir, e))?;
        watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        Ok((Self { _watcher: watcher }, rx))
    }
}

/// Waits for a poke, then for [`QUIET`] without one, then reloads; ends when the watcher
/// (the sender of pokes) or the receiver of results is dropped.
fn debounce_and_reload(
    store: &ConfigStore,
    pokes: &std_mpsc::Receiver<()>,
    out: &mpsc::UnboundedSender<ConfigEvent>,
) {
    while pokes.recv().is_ok() {
        loop {
            match pokes.recv_timeout(QUIET) {
                Ok(()) => continue,
                Err(std_mpsc::RecvTimeoutError::Timeout) => break,
                Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
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
