//! Copy-truncate rotation: the program keeps its file descriptor (opened with O_APPEND,
//! so after the truncation its next write lands at the new end, not at its old offset).
//!
//! Caveat: lines written between the copy and the truncation are lost; with checks every
//! few seconds that window is a few milliseconds per rotation.

use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};

/// `<path>.<n>`.
pub fn rotated(path: &Path, n: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// Rotates `path` if it has reached `max_bytes`: `.N-1` → `.N` … `.1` → `.2`, a copy of
/// the file → `.1`, then the file is truncated in place. Returns whether it rotated.
pub fn rotate_if_needed(path: &Path, max_bytes: u64, keep: u32) -> io::Result<bool> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if size < max_bytes.max(1) {
        return Ok(false);
    }
    if keep > 0 {
        for n in (1..keep).rev() {
            let from = rotated(path, n);
            if from.exists() {
                std::fs::rename(&from, rotated(path, n + 1))?;
            }
        }
        std::fs::copy(path, rotated(path, 1))?;
    }
    OpenOptions::new().write(true).open(path)?.set_len(0)?;
    Ok(true)
}

/// The `*.log` files in `dir` that reached `max_bytes`: one `stat` each, cheap enough for
/// the daemon's own thread, so an idle check wakes no other thread.
pub fn due(dir: &Path, max_bytes: u64) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new(); // no program has written anything yet
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() >= max_bytes.max(1)))
        .collect()
}

/// Rotates each of `paths` (see [`rotate_if_needed`]), logging failures.
pub fn rotate_all(paths: &[PathBuf], max_bytes: u64, keep: u32) {
    for path in paths {
        if let Err(e) = rotate_if_needed(path, max_bytes, keep) {
            tracing::warn!(error = %e, path = %path.display(), "log rotation failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_copies_and_truncates() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        for round in 0..4 {
            std::fs::write(&log, format!("round {round}\n"))?;
            assert!(rotate_if_needed(&log, 5, 2)?);
            assert_eq!(std::fs::metadata(&log)?.len(), 0);
        }
        assert_eq!(std::fs::read_to_string(rotated(&log, 1))?, "round 3\n");
        assert_eq!(std::fs::read_to_string(rotated(&log, 2))?, "round 2\n");
        assert!(!rotated(&log, 3).exists());
        assert!(!rotate_if_needed(&log, 5, 2)?);
        Ok(())
    }
}
