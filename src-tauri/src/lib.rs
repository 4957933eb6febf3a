//! The desktop app of Lifeguard: tray icon, window and the Tauri commands the web UI calls.
//!
//! It is a thin client: supervision runs in `lifeguard daemon`. This crate only owns what
//! a person sees of Lifeguard on the desktop.

mod commands;
pub mod discover;
mod tray;
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
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .setup(move |app| {
            tray::create(app.handle())?;
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

fn under_automation() -> bool {
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
