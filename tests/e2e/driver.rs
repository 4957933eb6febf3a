//! A small harness that starts the built app under tauri-driver in its own HOME and XDG
//! directories and hands the test a WebDriver client.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use tempfile::TempDir;

/// How long the app may take to come up and render, generously (debug build, 2 cores).
const STARTUP: Duration = Duration::from_secs(60);

/// One running app with a WebDriver session on it. Dropping it kills the driver's group.
pub struct AppSession {
    client: Client,
    driver: Child,
    _home: TempDir,
}

impl AppSession {
    /// Starts tauri-driver and, through it, the built `lifeguard-desktop`.
    pub async fn start() -> AppSession {
        Self::start_with(|_| {}).await
    }

    /// [`AppSession::start`], with `prepare` writing files into the new HOME first (what
    /// GTK reads once, such as icon themes, must be there before the app starts).
    pub async fn start_with(prepare: impl FnOnce(&std::path::Path)) -> AppSession {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "end-to-end tests need an X display: run them through scripts/test.sh \
             (xvfb-run + dbus-run-session)"
        );
        let home = tempfile::tempdir().unwrap();
        for dir in [".config", ".local/share", ".local/state", ".cache", "run"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        // The daemon's socket lives in XDG_RUNTIME_DIR, which must be private.
        std::fs::set_permissions(
            home.path().join("run"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        prepare(home.path());
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .env("XDG_STATE_HOME", home.path().join(".local/state"))
            .env("XDG_CACHE_HOME", home.path().join(".cache"))
            // Each test gets its own daemon (the app starts one on its own socket).
            .env("XDG_RUNTIME_DIR", home.path().join("run"))
            .env(
                "LIFEGUARD_BIN",
                std::path::Path::new(env!("CARGO_BIN_EXE_lifeguard-desktop"))
                    .with_file_name("lifeguard"),
            )
            .env_remove("LIFEGUARD_SOCKET")
            .stdout(Stdio::null())
            .process_group(0);
        let driver = command.spawn().unwrap_or_else(|error| {
            panic!("cannot start tauri-driver ({error}): install it with scripts/install-deps.sh --test")
        });
        wait_for_port(port);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_lifeguard-desktop") }),
        );
        capabilities.insert("browserName".into(), serde_json::json!("wry"));
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap();
        AppSession {
            client,
            driver,
            _home: home,
        }
    }

    /// Waits until the element exists and its text satisfies `ready`; returns the text.
    pub async fn wait_for_text(
        &self,
        locator: Locator<'_>,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + STARTUP;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(locator).await {
                if let Ok(text) = element.text().await {
                    if ready(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{locator:?} never got the expected text; last seen: {last:?}");
    }

    /// The current text of an element that must exist.
    pub async fn text(&self, locator: Locator<'_>) -> String {
        self.client
            .find(locator)
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The WebDriver client, for clicks and typing (see `steps.rs`).
    // Unused until the view tests (programs.rs, history.rs, protect.rs) are declared in
    // main.rs, which waits for the shell's commands.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The app's temporary HOME (its XDG directories are below it).
    pub fn home(&self) -> &std::path::Path {
        self._home.path()
    }

    /// Ends the WebDriver session, which closes the app.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for AppSession {
    fn drop(&mut self) {
        // tauri-driver runs in its own group with WebKitWebDriver and the app under it.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
        // The daemon runs in its own session, and the programs it protects under it:
        // whatever carries this test's HOME in its environment belongs to the test.
        let marker = format!("HOME={}", self._home.path().display());
        for pid in pids_with_env(&marker) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// Processes whose environment contains `entry` (`NAME=value`).
fn pids_with_env(entry: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == entry.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    match cargo_home.map(|home| home.join("bin/tauri-driver")) {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + STARTUP;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver never listened on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
