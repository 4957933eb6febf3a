//! Lifeguard's tray, as its own small process (`lifeguard tray`): the StatusNotifierItem
//! and its dbusmenu served over D-Bus directly, with no GTK and no web view, so the tray
//! a person keeps all day costs a few MiB. The window is a separate process
//! (`lifeguard-desktop`) that lives only while it is open; the tray starts it on "Open".
//!
//! The tray is a client of the daemon's socket like the CLI; the daemon guards it (and
//! relaunches it when it is killed) and the tray starts a new daemon when its connection
//! drops. The desktop app links this crate too, for what both share: launch at login,
//! finding or starting the daemon, and the session bus questions.

pub mod autostart;
pub mod connect;
pub mod daemon_spawn;
pub mod dbusmenu;
pub mod desktop_entry;
mod icons;
mod instance;
pub mod layout;
pub mod menu;
pub mod model;
mod run;
pub mod session_bus;
mod sni;
pub mod window;

use std::path::PathBuf;

pub use run::{run, TrayError};

/// Command-line switch that starts the desktop app in the tray with no window (at login).
pub const HIDDEN_FLAG: &str = "--hidden";
/// The desktop app's switch that opens the window on one program's page.
pub const PROGRAM_FLAG: &str = "--program";
/// The desktop app's switch, sent to a running window, that closes it for good.
pub const QUIT_FLAG: &str = "--quit";
/// The desktop app's binary name.
pub use lifeguard_service::protocol::desktop::DESKTOP_BINARY as APP_BINARY;
/// Environment variable naming the desktop app's binary (tests, odd installs).
pub const APP_ENV: &str = "LIFEGUARD_DESKTOP_BIN";

/// The desktop app's binary: this process when it is the app, else its sibling (the
/// package's `/usr/bin` and `target/*` keep both side by side), else found on PATH.
pub fn app_binary() -> std::io::Result<PathBuf> {
    if let Some(path) = std::env::var_os(APP_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    if exe.file_name().is_some_and(|name| name == APP_BINARY) {
        return Ok(exe);
    }
    let sibling = exe.with_file_name(APP_BINARY);
    Ok(if sibling.is_file() {
        sibling
    } else {
        PathBuf::from(APP_BINARY)
    })
}

/// The argv that starts the tray: `lifeguard tray`, from the `lifeguard` binary the
/// daemon is started from.
pub fn tray_argv() -> Vec<String> {
    vec![
        daemon_spawn::daemon_binary().display().to_string(),
        "tray".to_string(),
    ]
}

/// Whether a WebDriver test drives the desktop app (tauri-driver sets this): the test
/// harness then owns every process's life, so nothing is relaunched or left behind.
pub fn under_automation() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").is_ok_and(|value| value == "true")
}
