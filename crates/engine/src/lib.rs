//! Lifeguard's supervision engine: a library with no files, sockets or GUI of its own.
#![doc = include_str!("../README.md")]

mod actor;
pub mod backoff;
pub mod breaker;
mod clock;
pub mod duration;
mod error;
mod event;
mod exit;
mod id;
mod kill;
pub mod machine;
mod origin;
pub mod policy;
mod signal;
mod snapshot;
mod spawn;
mod spawner;
mod spec;
mod supervisor;
mod validate;

pub use error::{EngineError, SpecError};
pub use event::{Event, EventKind};
pub use exit::Exit;
pub use id::ProgramId;
pub use machine::Wanted;
pub use origin::{Origin, RequestedBy};
pub use signal::Signal;
pub use snapshot::{Observed, ProgramSnapshot, Snapshot, StopReport};
pub use spawn::OsSpawner;
pub use spawner::{Child, Spawner};
pub use spec::{BackoffSpec, BreakerSpec, Output, ProgramSpec, RestartPolicy};
pub use supervisor::Supervisor;
