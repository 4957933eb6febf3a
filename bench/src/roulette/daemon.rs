//! The daemon under trial: `lifeguard daemon` in temporary XDG directories, started
//! through the roulette's keeper (systemd's role), and the `lifeguard` CLI pointed at it.
//! `lifeguard daemon` is two processes by default: its own keeper, which revives the
//! daemon proper after a SIGKILL, and the daemon proper. Dropping a [`Daemon`] kills
//! whatever is left: both, every tagged process, the roulette's keeper.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// A running (or restartable) daemon and its keeper.
pub struct Daemon {
    root: PathBuf,
    bin: PathBuf,
    keeper: Child,
    commands: Option<ChildStdin>,
    reports: Receiver<String>,
    tag_prefix: String,
    /// The pid of `lifeguard daemon`'s keeper (0 while none runs).
    keeper_pid: i32,
    /// The current daemon proper's pid (0 while none runs).
    pub pid: i32,
}

impl Daemon {
    /// Starts the keeper (this very binary with `--keeper`) for a daemon in `root`.
    pub fn new(root: &Path, bin: &Path, tag_prefix: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut cmd = Command::new(exe);
        env(&mut cmd, root);
        let mut keeper = cmd
            .arg("--keeper")
            .arg(bin)
            .arg(root.join("daemon.err"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the keeper")?;
        let commands = keeper.stdin.take();
        let out = keeper.stdout.take().context("keeper stdout")?;
        let (tx, reports) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            root: root.to_path_buf(),
            bin: bin.to_path_buf(),
            keeper,
            commands,
            reports,
            tag_prefix: tag_prefix.to_string(),
            keeper_pid: 0,
            pid: 0,
        })
    }

    /// Starts a daemon; returns the daemon proper's pid once it is known (not once it
    /// answers).
    pub fn start(&mut self) -> anyhow::Result<i32> {
        let stdin = self.commands.as_mut().context("keeper closed")?;
        writeln!(stdin, "start")?;
        stdin.flush()?;
        loop {
            let line = self.report(Duration::from_secs(10))?;
            if let Some(pid) = line.strip_prefix("pid ") {
                self.keeper_pid = pid.parse()?;
                self.pid = self.kept_daemon(0, Duration::from_secs(10))?;
                return Ok(self.pid);
            }
        }
    }

    /// Waits for the daemon proper under `lifeguard daemon`'s keeper, other than `not`.
    fn kept_daemon(&self, not: i32, patience: Duration) -> anyhow::Result<i32> {
        let deadline = Instant::now() + patience;
        loop {
            match super::procs::kept_daemon(self.keeper_pid) {
                Some(pid) if pid != not => return Ok(pid),
                _ if Instant::now() > deadline => {
                    bail!(
                        "no daemon under the keeper {} within {patience:?}",
                        self.keeper_pid
                    )
                }
                _ => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }

    /// True when the daemon's control socket accepts a connection.
    pub fn answers(&self) -> bool {
        std::os::unix::net::UnixStream::connect(self.socket()).is_ok()
    }

    /// Waits until the daemon answers on its socket.
    pub fn wait_answering(&self, patience: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + patience;
        while !self.answers() {
            if Instant::now() > deadline {
                bail!("the daemon did not answer within {patience:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(())
    }

    /// SIGKILLs the daemon proper and waits until its keeper has started a new one (which
    /// may not answer yet); returns the new pid.
    pub fn sigkill(&mut self) -> anyhow::Result<i32> {
        let pid = self.pid;
        super::procs::signal(pid, libc::SIGKILL);
        self.pid = self.kept_daemon(pid, Duration::from_secs(10))?;
        Ok(self.pid)
    }

    /// `lifeguard shutdown --stop-programs`, then waits for the keeper's exit (after the
    /// daemon's).
    pub fn shutdown(&mut self) -> anyhow::Result<()> {
        let out = self.cli(&["shutdown", "--stop-programs"])?;
        anyhow::ensure!(out.status.success(), "lifeguard shutdown failed: {out:?}");
        let want = format!("exit {}", self.keeper_pid);
        while self.report(Duration::from_secs(30))? != want {}
        self.pid = 0;
        self.keeper_pid = 0;
        Ok(())
    }

    fn report(&self, patience: Duration) -> anyhow::Result<String> {
        match self.reports.recv_timeout(patience) {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => bail!("no word from the keeper in {patience:?}"),
            Err(RecvTimeoutError::Disconnected) => bail!("the keeper exited"),
        }
    }

    /// Runs `lifeguard ARGS…` against this daemon.
    pub fn cli(&self, args: &[&str]) -> anyhow::Result<Output> {
        let mut cmd = Command::new(&self.bin);
        env(&mut cmd, &self.root);
        Ok(cmd.args(args).stdin(Stdio::null()).output()?)
    }

    /// The control socket's path.
    pub fn socket(&self) -> PathBuf {
        self.root.join("run/lifeguard/lifeguard.sock")
    }

    /// The history database's path.
    pub fn history_db(&self) -> PathBuf {
        self.root.join("data/lifeguard/history.sqlite3")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // Stopped first, so neither sees the other die and revives it.
        for sig in [libc::SIGSTOP, libc::SIGKILL] {
            for pid in [self.keeper_pid, self.pid] {
                if pid > 0 {
                    super::procs::signal(pid, sig);
                }
            }
        }
        for p in super::procs::scan(&self.tag_prefix) {
            super::procs::signal(p.pid, libc::SIGKILL);
        }
        // Closing stdin ends the keeper; give it a moment to reap, then make sure.
        self.commands = None;
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline && matches!(self.keeper.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.keeper.kill();
        let _ = self.keeper.wait();
    }
}

/// Points `cmd` at the temporary HOME and XDG directories under `root`.
pub fn env(cmd: &mut Command, root: &Path) {
    cmd.env("HOME", root)
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        .env("XDG_RUNTIME_DIR", root.join("run"))
        .env_remove("LIFEGUARD_SOCKET")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("LIFEGUARD_LOG", "info");
}
