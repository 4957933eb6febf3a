//! The desktop app of Lifeguard: tray icon, window and the Tauri commands the web UI calls.
//!
//! It is a thin client: supervision runs in `lifeguard daemon`. This crate only owns what
//! a person sees of Lifeguard on the desktop.

mod autostart;
mod commands;
mod daemon_link;
mod daemon_spawn;
mod desktop_entry;
pub mod discover;
mod session_bus;
mod tray;
mod tray_host;
mod tray_menu;
mod tray_model;
mod window;

use tauri::RunEvent;

/// Command-line switch that starts the app in the tray with no window (used at login).
pub const HIDDEN_FLAG: &str = "--hidden";

/// Runs the desktop app until the person quits it from the tray.
pub fn run() {
    init_logging();
    let hidden = std::env::args().any(|arg| arg == HIDDEN_FLAG);
    let mut builder = tauri::Builder::default();
    // Under WebDriver every test launches its own app on one session bus; the
    // single-instance plugin would hand each launch to the first and exit.
    if !under_automation() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::show(app);
        }));
    }
    let app = builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::status,
            commands::programs,
            commands::paths,
            commands::pick_executable,
            commands::desktop_apps,
            commands::running_processes,
            commands::login_apps,
            commands::add_program,
            commands::update_program,
            commands::remove_program,
            commands::control,
            commands::pause,
            commands::resume,
            commands::history,
            commands::stats,
            commands::restart_chart,
            commands::export_history,
            commands::logs,
            commands::logs_follow,
            commands::logs_unfollow,
            commands::open_log_file,
            commands::close_window,
            commands::quit_app,
            commands::settings_get,
            commands::settings_set,
            autostart::autostart_get,
            autostart::autostart_set,
            tray_host::tray_notice,
        ])
        .setup(move |app| {
            daemon_link::start(app.handle());
            commands::manage(app.handle());
            autostart::apply_default();
            tray_host::check_at_start(app.handle(), hidden);
            // A desktop without a tray host still gets the app: building the icon
            // fails or silently shows nothing, and the window is the way in.
            if let Err(error) = tray::create(app.handle()) {
                tracing::warn!("no tray icon: {error}");
            }
            if !hidden {
                window::show(app.handle());
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_app, event| {
            // Closing the last window must not end the app: it lives in the tray.
            // An explicit exit (Quit) carries a code and goes through.
            if let RunEvent::ExitRequested {
                api, code: None, ..
            } = event
            {
                api.prevent_exit();
            }
        }),
        Err(error) => {
            tracing::error!("Lifeguard could not start its window system: {error}");
            std::process::exit(1);
        }
    }
}

/// Whether a WebDriver test drives this app (tauri-driver sets this).
pub(crate) fn under_automation() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").is_ok_and(|value| value == "true")
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIFEGUARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
