//! The seam between the engine and the OS: starting a program, waiting for it, signalling
//! its tree, following a launcher's heir, watching a process it did not start.
//! [`OsSpawner`](crate::OsSpawner) is the real one; tests plug in a fake.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use crate::procfs::Identity;
use crate::{Exit, Instance, ProgramSpec, Signal};

/// What a spawn needs besides the spec.
#[derive(Clone, Copy, Debug)]
pub struct Launch<'a> {
    /// The program.
    pub spec: &'a ProgramSpec,
    /// The session environment, layered between the supervisor's own environment and the
    /// spec's overrides (see [`Supervisor::set_session_env`](crate::Supervisor::set_session_env)).
    pub session_env: &'a BTreeMap<String, String>,
    /// The instance's token, to put in its environment as `LIFEGUARD_INSTANCE`.
    pub token: &'a str,
}

/// Starts programs and reaches their process trees.
pub trait Spawner: Send + Sync + 'static {
    /// Starts `launch.spec.argv` in a new process group whose id is the child's pid.
    fn spawn(&self, launch: &Launch<'_>) -> std::io::Result<Box<dyn Child>>;

    /// Sends `signal` to every process of the instance's tree. Processes already gone are
    /// not an error.
    fn signal_tree(&self, instance: &Instance, signal: Signal) -> std::io::Result<()>;

    /// The quick part of [`Spawner::signal_tree`]: `signal` to the instance's own process
    /// group, one system call and no scan. The engine sends it when a dead instance is
    /// replaced, before the successor is spawned, and the full `signal_tree` right after
    /// the spawn, so nothing that reads `/proc` stands between a death and its restart.
    /// The default does nothing (the full one follows anyway).
    fn signal_group(&self, _instance: &Instance, _signal: Signal) -> std::io::Result<()> {
        Ok(())
    }

    /// After the main process exited: a live process of its tree to follow from now on
    /// (its pid and start time, and a watch on it), or `None`. The default finds none.
    fn find_heir(&self, _instance: &Instance) -> Option<(Identity, Box<dyn Child>)> {
        None
    }

    /// A live process of the instance's tree that the program named its main process
    /// (sd_notify `MAINPID=`): its pid and start time, and a watch on it; `None` when
    /// `pid` is not of the tree, or is gone. The default follows none.
    fn follow(&self, _instance: &Instance, _pid: u32) -> Option<(Identity, Box<dyn Child>)> {
        None
    }

    /// Watches a process that is already running (adoption). The default cannot.
    fn watch(&self, _process: Identity) -> std::io::Result<Box<dyn Child>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "this spawner cannot watch processes it did not start",
        ))
    }
}

/// A process the engine watches (and reaps, when it is a child of ours).
pub trait Child: Send + 'static {
    /// Its process id.
    fn pid(&self) -> u32;

    /// Its start time (field 22 of `/proc/PID/stat`); 0 when unknown.
    fn start_time(&self) -> u64 {
        0
    }

    /// Waits for it to end and reaps it. Must be cancel-safe: the engine drops this future
    /// whenever a control or timer wins the race, and calls `wait` again later.
    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>>;
}
