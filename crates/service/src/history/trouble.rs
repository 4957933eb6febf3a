//! When the history cannot be written: a full disk, a corrupt file. Supervision never
//! waits for the history, so these are reported (once per episode, to whoever the daemon
//! tells: [`Trouble`]) and survived: events stay pending until the disk takes them again,
//! and a file SQLite cannot read is moved aside and a new one started.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::HistoryError;

/// Where the writer reports trouble, in words for the person (the daemon keeps them as
/// warnings that `lifeguard status` and the window show).
#[derive(Clone)]
pub struct Trouble(Arc<dyn Fn(String) + Send + Sync>);

impl Trouble {
    /// Reports through `f`.
    pub fn new(f: impl Fn(String) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub(super) fn tell(&self, text: String) {
        (self.0)(text);
    }
}

impl std::fmt::Debug for Trouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Trouble")
    }
}

/// Whether `e` says the file is not a database SQLite can use (a garbage header, a
/// truncated or malformed file), as opposed to a passing condition (disk full, locked).
pub fn is_corrupt(e: &HistoryError) -> bool {
    let code = match e {
        HistoryError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => f.code,
        _ => return false,
    };
    matches!(
        code,
        rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
    )
}

/// Moves `path` and its WAL and shared-memory files aside, to `PATH.corrupt-MS`; returns
/// the new name of the database file.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = super::now_ms();
    let with = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let to = with(&format!(".corrupt-{stamp}"));
    std::fs::rename(path, &to)?;
    for side in ["-wal", "-shm"] {
        let from = with(side);
        if from.exists() {
            let mut dest = to.as_os_str().to_owned();
            dest.push(side);
            let _ = std::fs::rename(&from, PathBuf::from(dest));
        }
    }
    Ok(to)
}

/// Opens the database for writing; a file SQLite cannot read (garbage header, truncated)
/// is moved aside, a new one started and `trouble` told: the history never keeps the
/// daemon from protecting programs.
pub(super) fn open_or_move_aside(
    path: &Path,
    trouble: Option<&Trouble>,
) -> super::Result<rusqlite::Connection> {
    let e = match super::schema::open_for_writing(path) {
        Ok(conn) => return Ok(conn),
        Err(e) if is_corrupt(&e) => e,
        Err(e) => return Err(e),
    };
    let to = move_aside(path).map_err(|source| HistoryError::Io {
        path: path.to_owned(),
        source,
    })?;
    let conn = super::schema::open_for_writing(path)?;
    let text = format!(
        "the history file {} was unreadable ({e}); moved aside to {} and a new one started",
        path.display(),
        to.display()
    );
    tracing::warn!("{text}");
    if let Some(t) = trouble {
        t.tell(text);
    }
    Ok(conn)
}
