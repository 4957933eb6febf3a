//! The engine's error types.

use crate::ProgramId;

/// A bad value in a [`ProgramSpec`](crate::ProgramSpec): names the field, what is wrong and
/// how to fix it, e.g. `argv: must not be empty — give the program to run`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem} — {fix}")]
pub struct SpecError {
    /// The field's path in the spec, e.g. `backoff.initial`.
    pub field: String,
    /// What is wrong with its value.
    pub problem: String,
    /// How to fix it.
    pub fix: String,
}

impl SpecError {
    /// Builds an error for `field`.
    pub fn new(
        field: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

/// Why a control on the [`Supervisor`](crate::Supervisor) could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The spec failed validation.
    #[error("invalid program spec: {0}")]
    InvalidSpec(#[from] SpecError),
    /// No program with this id is supervised.
    #[error("no program with id \"{0}\" — list programs with a snapshot")]
    UnknownProgram(ProgramId),
    /// `add` was given an id that is already supervised.
    #[error("a program with id \"{0}\" already exists — use update to change it")]
    DuplicateProgram(ProgramId),
    /// The process to adopt is not running any more (or its pid now names another process).
    #[error("process {pid} cannot be adopted: {source} — start the program instead")]
    NotRunning {
        /// The pid that was to be adopted.
        pid: u32,
        /// Why it could not be watched.
        source: std::io::Error,
    },
    /// The supervisor was shut down; no further controls are accepted.
    #[error("the supervisor has shut down")]
    ShutDown,
}
