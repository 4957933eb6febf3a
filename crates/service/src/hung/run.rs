//! The pinger's thread: every program with `window_ping` has its windows pinged at its
//! interval; between pings the thread sleeps in poll(2) on the X connection (answers) and
//! on its wake socket (a change of the list, or the end). Verdicts go to the engine.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lifeguard_engine::{Observed, ProgramId, Supervisor};

use super::judge::{Verdict, Watch};
use super::x11::{Display, PingableWindow, XResult};
use super::Watched;

/// What the thread needs.
pub(super) struct Pinging {
    pub display: Display,
    pub sup: Supervisor,
    pub runtime: tokio::runtime::Handle,
    pub watched: Arc<Mutex<Vec<Watched>>>,
    pub wake: UnixStream,
}

impl Pinging {
    /// Runs until the wake socket is closed or the connection breaks.
    pub fn run(mut self) {
        let mut watches: BTreeMap<ProgramId, Watch> = BTreeMap::new();
        let mut stamp: u32 = 0;
        loop {
            let now = Instant::now();
            let list = self
                .watched
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            watches.retain(|id, _| list.iter().any(|w| &w.id == id));
            let mut windows: Option<Vec<PingableWindow>> = None;
            for w in &list {
                let due = watches.get(&w.id).is_none_or(|x| x.next <= now);
                if !due {
                    continue;
                }
                let Some(pids) = self.processes(&w.id) else {
                    watches.remove(&w.id);
                    continue;
                };
                let main = pids[0];
                let watch = watches
                    .entry(w.id.clone())
                    .or_insert_with(|| Watch::new(main, now));
                if watch.pid != main {
                    *watch = Watch::new(main, now);
                }
                watch.next = now + w.ping.interval;
                let all = match windows.as_ref() {
                    Some(all) => all,
                    None => match self.display.pingable() {
                        Ok(found) => windows.insert(found),
                        Err(e) => return tracing::warn!("window pings end: {e}"),
                    },
                };
                let mine: Vec<u32> = all
                    .iter()
                    .filter(|x| pids.contains(&x.pid))
                    .map(|x| x.window)
                    .collect();
                watch.keep(&mine);
                if let Some(verdict) = watch.judge(&w.ping, now) {
                    self.tell(&w.id, verdict);
                }
                for window in mine {
                    stamp = stamp.wrapping_add(1).max(1);
                    if let Err(e) = self.display.ping(window, stamp) {
                        return tracing::warn!("window pings end: {e}");
                    }
                    watch.pinged(window, now);
                }
            }
            let next = watches.values().map(|w| w.next).min();
            match self.wait(next.map(|n| n.saturating_duration_since(Instant::now()))) {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => return tracing::warn!("window pings end: {e}"),
            }
            let answers = match self.display.answers() {
                Ok(a) => a,
                Err(e) => return tracing::warn!("window pings end: {e}"),
            };
            let now = Instant::now();
            for window in answers {
                for (id, watch) in &mut watches {
                    if !watch.owes(window) {
                        continue;
                    }
                    if let Some(verdict) = watch.answered(window, now) {
                        self.tell(id, verdict);
                    }
                }
            }
        }
    }

    /// The live processes of the program's running instance, its main process first.
    fn processes(&self, id: &ProgramId) -> Option<Vec<u32>> {
        let snap = self.runtime.block_on(self.sup.program(id)).ok()?;
        let Observed::Running { pid, .. } = snap.state else {
            return None;
        };
        let mut pids = vec![pid];
        pids.extend(snap.instance?.processes().into_iter().filter(|&p| p != pid));
        Some(pids)
    }

    fn tell(&self, id: &ProgramId, verdict: Verdict) {
        let secs = |d: Duration| d.as_secs();
        let sup = &self.sup;
        let done = match verdict {
            Verdict::NotResponding(d) => {
                let why = format!("not responding for {} s", secs(d));
                tracing::info!(program = %id, "{why}");
                self.runtime.block_on(sup.not_responding(id, why, false))
            }
            Verdict::Restart(d) => {
                let why = format!("not responding for {} s: restarting it", secs(d));
                tracing::info!(program = %id, "{why}");
                self.runtime.block_on(sup.not_responding(id, why, true))
            }
            Verdict::Responding(d) => {
                let why = format!("responding again after {} s", secs(d));
                tracing::info!(program = %id, "{why}");
                self.runtime.block_on(sup.responding(id, why))
            }
        };
        if let Err(e) = done {
            tracing::debug!(program = %id, "window ping verdict not delivered: {e}");
        }
    }

    /// Sleeps until `timeout` passes (`None`: forever), an answer arrives or the wake
    /// socket speaks. `Ok(false)`: the pinger is dropped.
    fn wait(&mut self, timeout: Option<Duration>) -> XResult<bool> {
        let ms = timeout.map_or(-1, |t| {
            i32::try_from(t.as_millis().max(1)).unwrap_or(i32::MAX)
        });
        let mut fds = [
            libc::pollfd {
                fd: self.display.fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: self.wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfd entries, for the duration of the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return if e.kind() == std::io::ErrorKind::Interrupted {
                Ok(true)
            } else {
                Err(e.into())
            };
        }
        if fds[1].revents != 0 {
            let mut byte = [0u8; 64];
            // A byte: the list changed; end of file: the handle was dropped.
            return Ok(matches!(self.wake.read(&mut byte), Ok(n) if n > 0));
        }
        Ok(true)
    }
}
