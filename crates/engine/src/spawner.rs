//! The seam between the engine and the OS: starting a program, waiting for it, signalling
//! its group. [`OsSpawner`](crate::OsSpawner) is the real one; tests plug in a fake.

use std::future::Future;
use std::pin::Pin;

use crate::{Exit, ProgramSpec, Signal};

/// Starts programs and signals their process groups.
pub trait Spawner: Send + Sync + 'static {
    /// Starts `spec.argv` in a new process group whose id is the child's pid.
    fn spawn(&self, spec: &ProgramSpec) -> std::io::Result<Box<dyn Child>>;

    /// Sends `signal` to every process in group `pgid`. A group that is already gone is
    /// not an error.
    fn signal_group(&self, pgid: u32, signal: Signal) -> std::io::Result<()>;
}

/// A started process that the engine owns and reaps.
pub trait Child: Send + 'static {
    /// Its process id (also its process group id).
    fn pid(&self) -> u32;

    /// Waits for it to end and reaps it. Must be cancel-safe: the engine drops this future
    /// whenever a control or timer wins the race, and calls `wait` again later.
    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>>;
}
