//! The two processes of `lifeguard daemon`: the keeper (the child the test started) and
//! the daemon proper, the keeper's child started with `--kept-by`.

use super::real::children;
use super::{alive, kill, wait_for, Env};

/// The daemon proper under `keeper`, if one runs.
pub fn daemon_under(keeper: u32) -> Option<u32> {
    children(keeper).into_iter().find(|c| {
        alive(*c)
            && std::fs::read(format!("/proc/{c}/cmdline"))
                .is_ok_and(|raw| raw.split(|b| *b == 0).any(|a| a == b"--kept-by"))
    })
}

/// Waits for a daemon proper under `keeper` other than `not`; returns its pid.
pub fn wait_daemon_under(keeper: u32, not: Option<u32>) -> u32 {
    let mut pid = 0;
    wait_for("the keeper's daemon", || {
        pid = daemon_under(keeper)
            .filter(|p| Some(*p) != not)
            .unwrap_or(0);
        pid != 0
    });
    pid
}

impl Env {
    /// The keeper's pid: the process the test started.
    pub fn keeper_pid(&self) -> u32 {
        self.daemon.as_ref().expect("a daemon was started").id()
    }

    /// The daemon proper's pid (the one that answers `hello`).
    pub fn daemon_pid(&self) -> u32 {
        wait_daemon_under(self.keeper_pid(), None)
    }

    /// SIGKILLs the keeper and its daemon together, as when the whole daemon dies (the
    /// OOM killer, a logout): no daemon is left, and none is revived. The keeper is
    /// stopped first, so it cannot revive the daemon.
    pub fn kill_daemon(&mut self) {
        drop(self.kill_daemon_pipes());
    }

    /// [`Env::kill_daemon`], handing back the keeper's stdout and stderr pipes (the daemon
    /// proper shared them), still open.
    pub fn kill_daemon_pipes(
        &mut self,
    ) -> (
        Option<std::process::ChildStdout>,
        Option<std::process::ChildStderr>,
    ) {
        let mut keeper = self.daemon.take().expect("a daemon was started");
        kill(keeper.id(), libc::SIGSTOP);
        if let Some(d) = daemon_under(keeper.id()) {
            kill(d, libc::SIGKILL);
            // Gone for good only once its last thread has exited (its files, the lock
            // among them, close then): a zombie leader alone is not enough.
            wait_for("the daemon to die", || !has_threads(d));
        }
        kill(keeper.id(), libc::SIGKILL);
        keeper.wait().unwrap();
        (keeper.stdout.take(), keeper.stderr.take())
    }
}

/// Whether `pid` still has a live thread (a zombie whose other threads still run counts).
fn has_threads(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|s| {
        let zombie = s
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        let threads = s
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|n| n.trim().parse::<u32>().ok())
            .unwrap_or(0);
        !zombie || threads > 1
    })
}
