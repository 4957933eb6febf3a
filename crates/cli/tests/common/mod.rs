//! A small harness: a real `lifeguard daemon` in its own temporary HOME and XDG
//! directories, and the `lifeguard` CLI run against it. Waits poll with deadlines; no
//! test asserts a tight timing.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub mod daemon;
pub mod notify_bus;
pub mod procs;
pub mod real;

/// How long any wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The `lifeguard` binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lifeguard"))
}

/// A temporary user environment, optionally with a daemon running in it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub daemon: Option<Child>,
    /// Extra variables for every command (e.g. a test's own system bus).
    pub vars: Vec<(String, String)>,
}

impl Env {
    /// Fresh directories; `config` is written as config.toml when given.
    pub fn new(config: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let env = Self {
            dir,
            daemon: None,
            vars: Vec::new(),
        };
        std::fs::create_dir_all(env.config_dir()).unwrap();
        if let Some(text) = config {
            std::fs::write(env.config_dir().join("config.toml"), text).unwrap();
        }
        env
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.root().join("config/lifeguard")
    }

    pub fn runtime_dir(&self) -> PathBuf {
        self.root().join("run/lifeguard")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime_dir().join("lifeguard.sock")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.root().join("state/lifeguard/output")
    }

    /// Starts `lifeguard ARGS…` (a following command: `logs --follow`, `events
    /// --follow`) and hands its stdout over line by line as they come.
    pub fn lines_of(&self, args: &[&str]) -> (Child, std::sync::mpsc::Receiver<String>) {
        use std::io::BufRead;
        let mut child = self
            .command(&bin())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        (child, rx)
    }

    /// A command for `program` with this environment's HOME and XDG variables.
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        let r = self.root();
        cmd.env("HOME", r)
            .env("XDG_CONFIG_HOME", r.join("config"))
            .env("XDG_DATA_HOME", r.join("data"))
            .env("XDG_STATE_HOME", r.join("state"))
            .env("XDG_RUNTIME_DIR", r.join("run"))
            .env_remove("LIFEGUARD_SOCKET")
            .env("LIFEGUARD_LOG", "info")
            .envs(self.vars.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs `lifeguard ARGS…` to completion.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(&bin()).args(args).output().unwrap()
    }

    /// Runs `lifeguard ARGS… --json` and parses stdout; panics on failure.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cli(&[args, &["--json"]].concat());
        assert!(
            out.status.success(),
            "lifeguard {args:?}: {}",
            text(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
    }

    /// One JSON-RPC call on the daemon's socket, as any client makes it; panics on an
    /// error reply.
    #[allow(dead_code)]
    pub fn rpc(&self, method: &str, params: Value) -> Value {
        use std::io::{BufRead, BufReader, Write};
        let mut stream = std::os::unix::net::UnixStream::connect(self.socket()).unwrap();
        let line =
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        writeln!(stream, "{line}").unwrap();
        let mut reply = String::new();
        BufReader::new(stream).read_line(&mut reply).unwrap();
        let reply: Value = serde_json::from_str(&reply).unwrap();
        assert!(reply["error"].is_null(), "{method}: {reply}");
        reply["result"].clone()
    }

    /// Starts `lifeguard daemon EXTRA…` and waits until it answers.
    pub fn start_daemon(&mut self, extra: &[&str]) {
        let stderr = std::fs::File::create(self.root().join("daemon.err")).unwrap();
        self.spawn_daemon(extra, Stdio::null(), stderr.into());
    }

    /// Like [`Env::start_daemon`], with the daemon's stdout and stderr on pipes the test
    /// holds: a program that inherited them would get SIGPIPE once they are closed.
    pub fn start_daemon_piped(&mut self, extra: &[&str]) {
        self.spawn_daemon(extra, Stdio::piped(), Stdio::piped());
    }

    fn spawn_daemon(&mut self, extra: &[&str], stdout: Stdio, stderr: Stdio) {
        let child = self
            .command(&bin())
            .arg("daemon")
            .args(extra)
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap();
        self.daemon = Some(child);
        let deadline = Instant::now() + PATIENCE;
        while !self.cli(&["status"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for the daemon to answer; its log:\n{}",
                self.daemon_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The daemon's stderr so far.
    pub fn daemon_log(&self) -> String {
        std::fs::read_to_string(self.root().join("daemon.err")).unwrap_or_default()
    }

    /// The pid of a running program, once it is running.
    pub fn running_pid(&self, id: &str) -> u32 {
        let mut pid = 0;
        wait_for(&format!("{id} to run"), || {
            pid = self.pid_of(id).unwrap_or(0);
            pid != 0
        });
        pid
    }

    /// The pid of `id` if it is running now.
    pub fn pid_of(&self, id: &str) -> Option<u32> {
        let status = self.json(&["status"]);
        let p = status["programs"]
            .as_array()?
            .iter()
            .find(|p| p["id"] == id)?
            .clone();
        (p["state"]["state"] == "running").then(|| p["state"]["pid"].as_u64().unwrap() as u32)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "the daemon's log:\n{}\nits status:\n{}",
                self.daemon_log(),
                text(&self.cli(&["status"]).stdout)
            );
        }
        if let Some(mut d) = self.daemon.take() {
            if d.try_wait().ok().flatten().is_none() {
                let _ = self.cli(&["shutdown", "--stop-programs"]);
                let deadline = Instant::now() + PATIENCE;
                while d.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(50));
                }
                let _ = d.kill();
                let _ = d.wait();
            }
        }
    }
}

/// Polls `cond` every 50 ms until it holds, or fails the test after [`PATIENCE`].
pub fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn kill(pid: u32, sig: i32) {
    // SAFETY: kill(2) with plain integers.
    unsafe { libc::kill(pid as i32, sig) };
}

pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// The test program's path as a string.
pub fn testprog() -> String {
    lifeguard_testprog::path().to_string_lossy().into_owned()
}

/// Daemon flags for tests of log rotation: rotate at 20 kB, keep 2 copies, look at the
/// sizes every 200 ms.
pub const FAST_ROTATION: &[&str] = &[
    "--log-max-bytes",
    "20000",
    "--log-keep",
    "2",
    "--log-check-every",
    "200ms",
];

/// Waits for two rotations of `file` (a name in the log directory) under
/// [`FAST_ROTATION`] and checks them: the first copy full, every line starting with
/// `prefix`, no third copy kept.
pub fn two_rotations(env: &Env, file: &str, prefix: &str) {
    let rotated = |n: u32| env.log_dir().join(format!("{file}.{n}"));
    wait_for(&format!("two rotations of {file}"), || rotated(2).exists());
    let first = std::fs::read_to_string(rotated(1)).unwrap();
    assert!(
        first.len() >= 20_000,
        "rotated before the limit: {} bytes",
        first.len()
    );
    assert!(first.lines().all(|l| l.starts_with(prefix)), "{first}");
    assert!(!rotated(3).exists(), "kept more than 2 rotated files");
}
