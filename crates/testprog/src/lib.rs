//! Finds the `lg-testprog` binary for tests of any crate in the workspace.
//!
//! `lg-testprog` is a scriptable program for process tests (see `lg-testprog --help`):
//! it exits with a code, dies by a signal, ignores SIGTERM, forks helpers, daemonizes like a
//! desktop launcher, crashes on its first K starts, and writes its start time and pid.
//!
//! ```no_run
//! let mut child = std::process::Command::new(lifeguard_testprog::path())
//!     .args(["--exit", "3"])
//!     .spawn()
//!     .unwrap();
//! assert_eq!(child.wait().unwrap().code(), Some(3));
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

/// The path of a built, up-to-date `lg-testprog`.
///
/// Order: `$LG_TESTPROG` if set; else `lg-testprog` in the target directory of the running
/// executable (`…/target/debug/deps/x` → `…/target/debug/lg-testprog`), built there with
/// `cargo build -p lifeguard-testprog --bin lg-testprog` (using `$CARGO` or `cargo`) if it is
/// missing or older than the test program's sources. Concurrent builds from several test
/// processes are serialized by cargo's own lock on the target directory; within a process
/// the result is computed once.
///
/// # Panics
/// When the binary cannot be found or built: tests cannot run without it.
pub fn path() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(locate).clone()
}

fn locate() -> PathBuf {
    if let Some(p) = std::env::var_os("LG_TESTPROG") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("lg-testprog: current_exe: {e}"));
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") || dir.ends_with("examples") {
        dir.pop();
    }
    let candidate = dir.join("lg-testprog");
    if !is_fresh(&candidate) {
        build(&dir);
    }
    assert!(
        candidate.exists(),
        "lg-testprog: built, but {} is missing",
        candidate.display()
    );
    candidate
}

/// Whether `bin` exists and is newer than every source file of the test program.
fn is_fresh(bin: &Path) -> bool {
    let Ok(built) = bin.metadata().and_then(|m| m.modified()) else {
        return false;
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let newest = std::fs::read_dir(src)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().and_then(|m| m.modified()).ok())
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    built >= newest
}

fn build(profile_dir: &Path) {
    let target_dir = profile_dir.parent().unwrap_or(profile_dir);
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_owned(),
        Some(other) => other.to_owned(),
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let status = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "lifeguard-testprog",
            "--bin",
            "lg-testprog",
        ])
        .arg("--profile")
        .arg(&profile)
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .unwrap_or_else(|e| {
            panic!("lg-testprog: cannot run {cargo:?} to build it: {e}; set LG_TESTPROG")
        });
    assert!(
        status.success(),
        "lg-testprog: `cargo build -p lifeguard-testprog` failed ({status})"
    );
}
