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
    /// The file is missing or empty (no TOML at all) while programs are in force: it is
    /// not taken as "remove every program" (a deliberate empty list is a file with
    /// something in it, e.g. a `# no programs` comment). Nothing changes.
    #[error("{} is missing or empty: the {programs} program(s) in force are kept, and the next change writes them back (to remove every program on purpose, leave a line in the file, e.g. `# no programs`)", path.display())]
    Emptied {
        /// The file.
        path: PathBuf,
        /// How many programs are kept.
        programs: usize,
    },
    /// The file is the beginning of the last good text, cut mid-line (a write cut short):
    /// not applied, and edits are refused until it is whole again.
    #[error("{} looks cut short (it is the start of the last good file and ends mid-line): not applied; finish the file or restore it", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be saved because its directory refuses writes (read-only
    /// mount, immutable, permissions). Nothing changed; the config in force still runs.
    #[error("cannot save {}: its directory is read-only or refuses writes ({source}); nothing was changed and the programs keep running as configured — make the directory writable, then try again", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file watcher could not start.
    #[error("cannot watch the config file's directory for changes (inotify: {0}); edits are applied after a restart of the daemon — raise fs.inotify.max_user_instances or max_user_watches")]
    Watch(std::io::Error),
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
