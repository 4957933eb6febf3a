//! Config errors: where in the file, which field, what is wrong and how to fix it.

use std::path::PathBuf;

/// A problem in the config file, located for the person who will fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {field}: {message} (fix: {hint})", file.display())]
pub struct ConfigProblem {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Path of the field, e.g. `program[1].backoff.initial` (empty for a syntax error
    /// outside any key).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Why loading or writing the config failed. The last good config stays in force.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is not a valid config; nothing of it was applied.
    #[error("invalid config: {0}")]
    Invalid(Box<ConfigProblem>),
    /// Reading or writing a file failed.
    #[error("config I/O error on {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// An edit asked for something impossible (e.g. removing a program that is not there).
    #[error("config edit rejected: {0}")]
    Edit(String),
    /// The file watcher could not start.
    #[error("config watcher error: {0}")]
    Watch(#[from] notify::Error),
}

impl ConfigError {
    /// The located problem, for an invalid file.
    pub fn problem(&self) -> Option<&ConfigProblem> {
        match self {
            ConfigError::Invalid(p) => Some(p),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ConfigError::Io {
            path: path.into(),
            source,
        }
    }
}
