//! Starts the real desktop app (`lifeguard-desktop --hidden`) in its own HOME, XDG and
//! runtime directories, and gives tests a client of the daemon it starts. The display and
//! the session bus come from `scripts/test.sh` (xvfb-run + dbus-run-session).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_service::client::Client;
use tempfile::TempDir;

/// Generous bound for anything the app or daemon must do (debug build, 2 loaded cores).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// One isolated desktop session: directories, the app, and the daemon's socket.
pub struct Desktop {
    pub home: TempDir,
    pub app: Option<Child>,
}

impl Desktop {
    /// Fresh directories, nothing running yet.
    pub fn new() -> Desktop {
        assert!(
            std::env::var_os("DISPLAY").is_some()
                && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "desktop tests need an X display and a session bus: run them through scripts/test.sh"
        );
        let home = tempfile::tempdir().unwrap();
        for dir in [".config", ".local/share", ".local/state", ".cache", "run"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        std::fs::set_permissions(
            home.path().join("run"),
            std::fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        Desktop { home, app: None }
    }

    /// The environment every process of this session gets.
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        let home = self.home.path();
        vec![
            ("HOME", home.to_path_buf()),
            ("XDG_CONFIG_HOME", home.join(".config")),
            ("XDG_DATA_HOME", home.join(".local/share")),
            ("XDG_STATE_HOME", home.join(".local/state")),
            ("XDG_CACHE_HOME", home.join(".cache")),
            ("XDG_RUNTIME_DIR", home.join("run")),
            ("LIFEGUARD_BIN", bin("lifeguard")),
        ]
    }

    /// A command with this session's environment.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env_remove("LIFEGUARD_SOCKET").envs(self.env());
        command
    }

    /// Starts the app in the tray (it starts a daemon).
    pub fn start_app(&mut self) -> u32 {
        let mut command = self.command(bin("lifeguard-desktop"));
        command
            .arg("--hidden")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let app = command.spawn().unwrap();
        let pid = app.id();
        self.app = Some(app);
        pid
    }

    /// The daemon's socket in this session.
    pub fn socket(&self) -> PathBuf {
        self.home.path().join("run/lifeguard/lifeguard.sock")
    }

    /// Waits for a daemon to answer on this session's socket and returns a client.
    pub async fn client(&self) -> Client {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(client) = Client::connect(self.socket()).await {
                if client.hello().await.is_ok() {
                    return client;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no daemon answered on {}",
                self.socket().display()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs the `lifeguard` CLI in this session and returns its stdout.
    pub fn cli(&self, args: &[&str]) -> (bool, String) {
        let output = self.command(bin("lifeguard")).args(args).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        if let Some(mut app) = self.app.take() {
            let _ = app.kill();
            let _ = app.wait();
        }
        // Whatever the session started (daemon, relaunched app, programs) carries its
        // HOME: end it all, a few rounds, since the daemon may relaunch the app meanwhile.
        let marker = format!("HOME={}", self.home.path().display());
        for _ in 0..5 {
            let pids = pids_with_env(&marker);
            if pids.is_empty() {
                break;
            }
            for pid in pids {
                kill(pid, libc::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A built binary of this workspace (same target directory as the app under test).
pub fn bin(name: &str) -> PathBuf {
    let app = Path::new(env!("CARGO_BIN_EXE_lifeguard-desktop"));
    app.with_file_name(name)
}

/// Sends a signal to a pid.
pub fn kill(pid: u32, signal: i32) {
    // SAFETY: kill(2) has no memory effects.
    unsafe {
        libc::kill(pid as i32, signal);
    }
}

/// Whether a process is alive (not a zombie).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// The parent of `pid` (0 when unknown): a daemon's keeper.
pub fn parent(pid: u32) -> u32 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Pids of live processes whose `/proc/PID/<file>` (NUL-separated) holds `item`.
fn pids_whose(file: &str, item: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/{file}"))
                .is_ok_and(|bytes| bytes.split(|b| *b == 0).any(|e| e == item.as_bytes()))
                && alive(*pid)
        })
        .collect()
}

/// Pids of processes whose environment holds `entry` (e.g. `HOME=/tmp/x`).
pub fn pids_with_env(entry: &str) -> Vec<u32> {
    pids_whose("environ", entry)
}

/// Pids of live `lifeguard-desktop` processes (the window) of this session.
pub fn app_pids(desktop: &Desktop) -> Vec<u32> {
    session_pids_named(desktop, "lifeguard-deskt")
}

/// Pids of live `lifeguard tray` processes (the tray icon) of this session.
pub fn tray_pids(desktop: &Desktop) -> Vec<u32> {
    session_pids_named(desktop, "lifeguard")
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|argv| argv.split(|b| *b == 0).nth(1) == Some(b"tray".as_slice()))
        })
        .collect()
}

fn session_pids_named(desktop: &Desktop, comm: &str) -> Vec<u32> {
    let marker = format!("HOME={}", desktop.home.path().display());
    pids_with_env(&marker)
        .into_iter()
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim() == comm)
        })
        .collect()
}

/// The X windows titled "Lifeguard" of a process.
pub fn windows_of(pid: u32) -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--pid", &pid.to_string(), "--name", "^Lifeguard$"])
        .output();
    match out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Asks the "Lifeguard" windows to close, as a window manager's close button does.
pub fn close_windows() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/close_window.py");
    let status = Command::new("/usr/bin/python3")
        .arg(script)
        .arg("Lifeguard")
        .status()
        .unwrap();
    assert!(status.success(), "close_window.py failed: {status}");
}

/// The shared libraries a process has mapped (their file names).
pub fn mapped_libraries(pid: u32) -> Vec<String> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    let mut libs: Vec<String> = maps
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .filter(|path| path.contains(".so"))
        .filter_map(|path| Path::new(path).file_name()?.to_str().map(str::to_string))
        .collect();
    libs.sort();
    libs.dedup();
    libs
}

/// Pids of live processes with `needle` as one of their arguments.
pub fn pids_with_arg(needle: &str) -> Vec<u32> {
    pids_whose("cmdline", needle)
}

/// Polls `probe` until it returns `Some`, or fails the test after `PATIENCE`.
pub async fn eventually<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A session bus of the test's own where nothing is D-Bus-activatable (so no notification
/// server ever answers), killed on drop. It replaces the session's bus for this test's
/// process and everything it starts from now on: call it first.
pub struct BareBus(Child);

impl BareBus {
    pub fn start() -> BareBus {
        let conf = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(
            conf.path(),
            "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\
             <auth>EXTERNAL</auth><policy context=\"default\">\
             <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>\
             <allow own=\"*\"/></policy></busconfig>",
        )
        .unwrap();
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.path().display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed");
        let mut address = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        assert!(!address.trim().is_empty(), "dbus-daemon printed no address");
        // Nothing else runs in this test's process yet (nextest: one process per test).
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        BareBus(child)
    }
}

impl Drop for BareBus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The fake StatusNotifier watcher (tests/tray/sni_watcher.py) as a panel stand-in.
pub struct Panel {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Panel {
    /// Starts the watcher on the session bus; the app's tray item registers with it.
    pub fn start() -> Panel {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tray/sni_watcher.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut panel = Panel {
            child,
            stdin,
            stdout,
        };
        let ready = panel.read();
        assert_eq!(ready["ready"], true, "watcher failed to start: {ready}");
        panel
    }

    /// The next JSON line the watcher prints.
    pub fn read(&mut self) -> serde_json::Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad watcher line {line:?}: {e}"))
    }

    /// Sends a command and returns its answer. The item may register again at any time
    /// (libappindicator does when its menu changes): those notices are not answers.
    pub fn ask(&mut self, command: &str) -> serde_json::Value {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        loop {
            let line = self.read();
            if line.get("registered").is_none() {
                return line;
            }
        }
    }

    /// Waits until the app's tray item has registered; returns its bus name.
    pub fn wait_for_item(&mut self) -> String {
        let line = self.read();
        assert!(
            line["registered"].is_string(),
            "expected a registration, got {line}"
        );
        line["registered"].as_str().unwrap_or_default().to_string()
    }

    /// The labels of the menu, flattened depth-first.
    pub fn labels(&mut self) -> Vec<String> {
        fn walk(nodes: &serde_json::Value, out: &mut Vec<String>) {
            for node in nodes.as_array().into_iter().flatten() {
                out.push(node["label"].as_str().unwrap_or_default().to_string());
                walk(&node["children"], out);
            }
        }
        let answer = self.ask("layout");
        let mut labels = Vec::new();
        walk(&answer["layout"], &mut labels);
        labels
    }
}

impl Drop for Panel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
