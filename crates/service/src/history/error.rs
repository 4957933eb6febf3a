//! The history's error type.

use std::path::PathBuf;

/// Everything that can go wrong while recording or reading the restart history.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// SQLite refused an operation (I/O error, corrupt file, locked database…).
    #[error("history database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Reading or writing a file around the database failed.
    #[error("history I/O error on {path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Writing an export failed (the destination `Write` returned an error).
    #[error("history export failed: {0}")]
    Export(#[source] std::io::Error),
    /// A JSON value (the `detail` column or an export line) could not be encoded or decoded.
    #[error("history JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// The database was written by a newer Lifeguard; opening it could corrupt it.
    #[error(
        "history database {path} has schema version {found}, newer than the {supported} this \
         Lifeguard understands; upgrade Lifeguard or move the file aside"
    )]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// `PRAGMA user_version` found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The writer thread has stopped (after `close`, or because it could not start).
    #[error("history writer is closed")]
    Closed,
    /// The writer could not commit a batch; the events stay pending and are retried.
    #[error("history commit failed: {0}")]
    Commit(String),
}

/// Result alias for history operations.
pub type Result<T, E = HistoryError> = std::result::Result<T, E>;
