//! Hung windows (X11 and XWayland): the opt-in `window_ping` of a program. A thread exists
//! only while some program has it; it pings those programs' top-level windows with
//! `_NET_WM_PING` and tells the engine when they stop (`not_responding`, a restart after
//! `restart_after`) and start again (`responding`) answering. Native Wayland windows
//! cannot be pinged by another client. No display: nothing happens, one log line.

mod judge;
mod run;
mod x11;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use lifeguard_engine::{ProgramId, Supervisor};

use crate::config::window_ping::WindowPing;
use crate::config::Config;

/// One program whose windows are pinged, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// The program.
    pub id: ProgramId,
    /// Its `window_ping`.
    pub ping: WindowPing,
}

/// The programs of `config` that have `window_ping`.
pub fn watched(config: &Config) -> Vec<Watched> {
    config
        .program
        .iter()
        .filter_map(|e| {
            let ping = e.options.window_ping.clone()?;
            Some(Watched {
                id: e.spec.id.clone(),
                ping,
            })
        })
        .collect()
}

/// The running pinger: dropping it ends its thread.
pub struct Pinger {
    watched: Arc<Mutex<Vec<Watched>>>,
    wake: UnixStream,
}

impl Pinger {
    /// Starts the thread for `list` (not empty), or logs one line and returns `None`
    /// when there is no display to talk to. Must be called within a tokio runtime.
    pub fn start(sup: Supervisor, list: Vec<Watched>) -> Option<Self> {
        let display = match x11::Display::open() {
            Ok(d) => d,
            Err(e) => {
                tracing::info!("no X display ({e}): windows are not pinged");
                return None;
            }
        };
        let (wake, theirs) = UnixStream::pair()
            .map_err(|e| tracing::warn!("window pings are off: {e}"))
            .ok()?;
        let watched = Arc::new(Mutex::new(list));
        let pinging = run::Pinging {
            display,
            sup,
            runtime: tokio::runtime::Handle::current(),
            watched: Arc::clone(&watched),
            wake: theirs,
        };
        let spawned = std::thread::Builder::new()
            .name("window-ping".into())
            .spawn(move || pinging.run());
        if let Err(e) = spawned {
            tracing::warn!("window pings are off: {e}");
            return None;
        }
        tracing::info!("pinging windows");
        Some(Self { watched, wake })
    }

    /// Replaces the list of programs (after a config change).
    pub fn set(&mut self, list: Vec<Watched>) {
        let mut now = self.watched.lock().unwrap_or_else(|p| p.into_inner());
        if *now != list {
            *now = list;
            drop(now);
            let _ = self.wake.write_all(b"!");
        }
    }
}
