//! The daemon's own log in a file, rotated by size (`daemon.log`, `daemon.log.1`, …):
//! the desktop app starts the daemon with `--log-file`, where there is no terminal or
//! journal to read it from. `lifeguard logs --daemon` prints it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

/// Size at which the log file is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// Rotated files kept besides the current one.
pub const KEEP: u32 = 3;

/// An append-only log file that rotates itself when it passes `max_bytes`.
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    keep: u32,
    file: File,
    written: u64,
    /// Whether the last byte written ended a line: rotation waits for one, so no line
    /// is split between two files.
    at_line_start: bool,
}

impl RotatingFile {
    /// Opens (creating its directory) `path` for appending.
    pub fn open(path: &Path, max_bytes: u64, keep: u32) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = append(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_owned(),
            max_bytes,
            keep,
            file,
            written,
            at_line_start: true,
        })
    }

    fn rotate(&mut self) -> io::Result<()> {
        for n in (1..self.keep).rev() {
            let _ = std::fs::rename(numbered(&self.path, n), numbered(&self.path, n + 1));
        }
        if self.keep == 0 {
            std::fs::remove_file(&self.path)?;
        } else {
            std::fs::rename(&self.path, numbered(&self.path, 1))?;
        }
        self.file = append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let full = self.written > 0 && self.written + buf.len() as u64 > self.max_bytes;
        if full && self.at_line_start {
            // A failed rotation keeps logging into the old file rather than losing lines.
            let _ = self.rotate();
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if n > 0 {
            self.at_line_start = buf[n - 1] == b'\n';
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

fn numbered(path: &Path, n: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// `lifeguard logs --daemon`: the last `lines` lines of the daemon's log file, reaching
/// into the rotated file when the current one is short; as a JSON array with `json`.
pub fn show(path: &Path, lines: usize, json: bool) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    for file in [numbered(path, 1), path.to_owned()] {
        match std::fs::read(&file) {
            Ok(bytes) => text.push_str(&String::from_utf8_lossy(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        }
    }
    if text.is_empty() && !path.exists() {
        anyhow::bail!(
            "no daemon log at {}: the desktop app writes it when it starts the daemon; a daemon \
             run by systemd logs to the journal (journalctl --user -u lifeguard), one run in a \
             terminal to that terminal",
            path.display()
        );
    }
    let all: Vec<&str> = text.lines().collect();
    let last = &all[all.len().saturating_sub(lines)..];
    if json {
        outln!("{}", serde_json::to_string_pretty(last)?);
    } else {
        for line in last {
            outln!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_past_the_limit_and_keeps_the_newest_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state/daemon.log");
        let mut log = RotatingFile::open(&path, 100, 2).expect("open");
        for i in 0..40 {
            writeln!(log, "line {i:03} of the daemon's log").expect("write");
        }
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        // Rotation waits for the end of a line: at most one line past the limit.
        assert!(size(&path) <= 100 + 32, "current file stays near the limit");
        assert!(size(&numbered(&path, 1)) > 0 && size(&numbered(&path, 2)) > 0);
        assert!(
            !numbered(&path, 3).exists(),
            "only `keep` rotated files remain"
        );
        let current = std::fs::read_to_string(&path).expect("read");
        assert!(
            current.ends_with("line 039 of the daemon's log\n"),
            "{current}"
        );
        for file in [path.clone(), numbered(&path, 1), numbered(&path, 2)] {
            let text = std::fs::read_to_string(&file).expect("read");
            assert!(
                text.lines()
                    .all(|l| l.starts_with("line ") && l.ends_with("log")),
                "no line is split between files: {text:?}"
            );
        }
    }
}
