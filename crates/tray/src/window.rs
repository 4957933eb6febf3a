//! The window is another process (`lifeguard-desktop`), alive only while it is open. The
//! tray opens it by handing the running window its arguments (the single-instance
//! plugin's D-Bus method, as a second launch would) or, when none runs, by starting the
//! app, detached into its own session so it outlives neither more nor less than itself.

use std::process::Command;

use zbus::Connection;

use crate::daemon_spawn::spawn_detached;
use crate::{app_binary, autostart::APP_ID, PROGRAM_FLAG, QUIT_FLAG};

/// The running window's single-instance name (`<identifier>.SingleInstance`).
fn instance_name() -> String {
    format!("{APP_ID}.SingleInstance")
}

fn instance_path() -> String {
    format!("/{}", instance_name().replace('.', "/").replace('-', "_"))
}

/// Opens the window, on one program's page when `program` is given.
pub async fn open(bus: Option<&Connection>, program: Option<&str>) {
    let mut args = Vec::new();
    if let Some(program) = program {
        args.extend([PROGRAM_FLAG.to_string(), program.to_string()]);
    }
    if let Some(bus) = bus {
        if forward(bus, &args).await {
            return;
        }
    }
    if let Err(error) = spawn(&args) {
        tracing::error!("could not open the Lifeguard window: {error}");
    }
}

/// Closes a running window for good (the person quit Lifeguard); nothing when none runs.
pub async fn quit(bus: Option<&Connection>) {
    if let Some(bus) = bus {
        forward(bus, &[QUIT_FLAG.to_string()]).await;
    }
}

/// Hands `args` to the running window; false when no window runs.
async fn forward(bus: &Connection, args: &[String]) -> bool {
    let exe = app_binary().map_or_else(
        |_| crate::APP_BINARY.to_string(),
        |p| p.display().to_string(),
    );
    let argv: Vec<String> = std::iter::once(exe).chain(args.iter().cloned()).collect();
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    bus.call_method(
        Some(instance_name().as_str()),
        instance_path().as_str(),
        Some("org.SingleInstance.DBus"),
        "ExecuteCallback",
        &(argv, cwd),
    )
    .await
    .is_ok()
}

/// Starts the desktop app in a new session; a thread reaps it when it exits.
fn spawn(args: &[String]) -> std::io::Result<()> {
    let mut command = Command::new(app_binary()?);
    command.args(args);
    spawn_detached(command, "lifeguard-window-reaper").map(|_| ())
}

/// Starts `lifeguard tray` detached, for the window: it leaves at once when a tray
/// already runs.
pub fn start_tray() -> std::io::Result<()> {
    let argv = crate::tray_argv();
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    spawn_detached(command, "lifeguard-tray-reaper").map(|_| ())
}
