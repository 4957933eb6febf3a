//! Starting `lifeguard daemon` when none runs: found next to this app's binary (the
//! usual install layout and `target/debug`), or on PATH; detached into its own session
//! so closing the tray does not take supervision down with it. Its own log goes to
//! `$XDG_STATE_HOME/lifeguard/daemon.log` (rotated by the daemon), where
//! `lifeguard logs --daemon` reads it.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Environment variable naming the `lifeguard` binary to start (tests, odd installs).
pub const BIN_ENV: &str = "LIFEGUARD_BIN";

/// The `lifeguard` binary this app starts its daemon from.
pub fn daemon_binary() -> PathBuf {
    if let Some(path) = std::env::var_os(BIN_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let sibling = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("lifeguard")));
    match sibling {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("lifeguard"),
    }
}

/// Starts `lifeguard daemon` in a new session. The daemon takes its lock itself, so two
/// racing starts leave exactly one daemon. A thread reaps the child if it ever exits
/// while this app still runs, so it never lingers as a zombie.
pub fn start_daemon() -> std::io::Result<u32> {
    let mut command = Command::new(daemon_binary());
    command.arg("daemon");
    match lifeguard_service::paths::Paths::from_env() {
        Ok(paths) => {
            command.arg("--log-file").arg(paths.daemon_log());
        }
        Err(error) => tracing::warn!("the daemon's log is lost: {error}"),
    }
    command.stderr(Stdio::null());
    let pid = spawn_detached(command, "lifeguard-daemon-reaper")?;
    Ok(pid)
}

/// Starts `command` in a new session (setsid: no signal for this process's group or
/// terminal reaches it), stdin and stdout closed; a thread named `reaper` reaps it if it
/// exits while this process runs, so it never lingers as a zombie. Returns its pid.
pub(crate) fn spawn_detached(mut command: Command, reaper: &str) -> std::io::Result<u32> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    // SAFETY: setsid is async-signal-safe and touches no memory of this process.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    let pid = child.id();
    std::thread::Builder::new()
        .name(reaper.into())
        .spawn(move || {
            let _ = child.wait();
        })?;
    Ok(pid)
}
