//! Watching a process that was not spawned by this [`Spawner`](crate::Spawner) call — a
//! launcher's heir, an adopted program — through a pidfd: woken by the kernel, no polling.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::unix::AsyncFd;

use crate::pidfd::PidFd;
use crate::procfs::Identity;
use crate::{Child, Exit, ExitRecords};

/// A watched process. Its exit status is known if it became our child (an orphan we
/// inherited as a subreaper) or its parent recorded it (a keeper, see [`ExitRecords`]);
/// otherwise it is [`Exit::Unknown`].
pub(crate) struct Watched {
    fd: AsyncFd<PidFd>,
    start_time: u64,
    records: Option<Arc<dyn ExitRecords>>,
    /// When the wait for its exit record gives up, once it was seen ended.
    records_deadline: Option<tokio::time::Instant>,
}

impl Watched {
    /// Opens a pidfd on `who` and checks, after opening, that the pid still names that
    /// process (same start time), so a reused pid is never watched by mistake.
    pub(crate) fn open(
        who: Identity,
        records: Option<Arc<dyn ExitRecords>>,
    ) -> std::io::Result<Self> {
        let fd = PidFd::open(who.pid)?;
        match crate::inspect::stat(who.pid) {
            Some(s) if who.matches(&s) => {}
            _ => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "process {} (started at tick {}) is gone",
                        who.pid, who.start_time
                    ),
                ))
            }
        }
        Ok(Self {
            fd: fd.into_async()?,
            start_time: who.start_time,
            records,
            records_deadline: None,
        })
    }
}

impl Child for Watched {
    fn pid(&self) -> u32 {
        self.fd.get_ref().pid()
    }

    fn start_time(&self) -> u64 {
        self.start_time
    }

    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>> {
        Box::pin(async move {
            // Readable once the process has ended; `readable` is cancel-safe.
            if self.fd.readable().await.is_err() {
                return Exit::Unknown;
            }
            if let Ok(Some(exit)) = self.fd.get_ref().try_reap() {
                return exit;
            }
            let who = Identity {
                pid: self.fd.get_ref().pid(),
                start_time: self.start_time,
            };
            let patience = crate::exit_records::RECORD_PATIENCE;
            let deadline = *self
                .records_deadline
                .get_or_insert_with(|| tokio::time::Instant::now() + patience);
            match &self.records {
                Some(records) => crate::exit_records::wait_for(records, who, deadline)
                    .await
                    .unwrap_or(Exit::Unknown),
                None => Exit::Unknown,
            }
        })
    }
}

/// A process that had already ended when it was to be watched, with its recorded exit.
pub(crate) struct Ended {
    /// The process.
    pub(crate) process: Identity,
    /// How it ended (its parent's record).
    pub(crate) exit: Exit,
}

impl Child for Ended {
    fn pid(&self) -> u32 {
        self.process.pid
    }

    fn start_time(&self) -> u64 {
        self.process.start_time
    }

    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>> {
        let exit = self.exit;
        Box::pin(async move { exit })
    }
}
