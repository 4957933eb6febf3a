//! Lifeguard's supervision engine: a library with no files, sockets or GUI of its own.
#![doc = include_str!("../README.md")]

pub mod backoff;
pub mod breaker;
pub mod duration;
mod error;
mod event;
mod exit;
mod id;
pub mod machine;
mod origin;
pub mod policy;
mod signal;
mod spec;
mod validate;

pub use error::{EngineError, SpecError};
pub use event::{Event, EventKind};
pub use exit::Exit;
pub use id::ProgramId;
pub use origin::{Origin, RequestedBy};
pub use signal::Signal;
pub use spec::{BackoffSpec, BreakerSpec, Output, ProgramSpec, RestartPolicy};
