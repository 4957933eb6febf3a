//! Build script: generates Tauri's context and the permissions of the app's own commands.
//! Listing the commands here makes each one require an explicit grant in a capability,
//! so the webview can call nothing Lifeguard did not allow on purpose.

/// Every command the web UI may call; each also needs a grant in a capability.
const COMMANDS: [&str; 33] = [
    "app_info",
    "status",
    "missed",
    "dismiss_missed",
    "programs",
    "paths",
    "pick_executable",
    "desktop_apps",
    "program_icons",
    "usage",
    "running_processes",
    "login_apps",
    "add_program",
    "update_program",
    "remove_program",
    "control",
    "pause",
    "resume",
    "history",
    "stats",
    "restart_chart",
    "export_history",
    "logs",
    "logs_follow",
    "logs_unfollow",
    "open_log_file",
    "close_window",
    "quit_app",
    "settings_get",
    "settings_set",
    "autostart_get",
    "autostart_set",
    "tray_notice",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
