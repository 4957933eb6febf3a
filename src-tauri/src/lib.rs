//! The desktop app of Lifeguard: the window and the Tauri commands the web UI calls.
//!
//! It is a thin client: supervision runs in `lifeguard daemon`, and the tray icon is its
//! own small process, `lifeguard tray` (crate `lifeguard-tray`). This process lives only
//! while its window is open: closing the window ends it, and the tray starts it again on
//! "Open". Started hidden (at login), it hands over to the tray at once.

mod autostart_cmd;
mod commands;
#[cfg(test)]
mod contract;
mod daemon_link;
pub mod discover;
mod icon_lookup;
mod tray_host;
mod window;

use std::os::unix::process::CommandExt;

use lifeguard_tray::{autostart, PROGRAM_FLAG, QUIT_FLAG};
use tauri::{AppHandle, Manager, Runtime};

pub use lifeguard_tray::HIDDEN_FLAG;

/// Runs the desktop app: the window until it is closed; with `--hidden`, the tray.
pub fn run() {
    init_logging();
    let args: Vec<String> = std::env::args().collect();
    let hidden = args.iter().any(|arg| arg == HIDDEN_FLAG);
    // Under WebDriver every test launches its own app on one session bus and owns its
    // life: no tray is started beside it and the single-instance plugin stays out.
    let automated = under_automation();
    if !automated {
        if hidden && tray_host_is_there() {
            hand_over_to_tray();
        }
        // The tray is how a person gets back here once the window is closed; it leaves
        // at once when one runs already.
        if let Err(error) = lifeguard_tray::window::start_tray() {
            tracing::warn!("could not start the tray: {error}");
        }
    }
    let program = program_arg(&args);
    let mut builder = tauri::Builder::default();
    if !automated {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            second_launch(app, &argv);
        }));
    }
    let app = builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::status,
            commands::missed,
            commands::dismiss_missed,
            commands::programs,
            commands::paths,
            commands::pick_executable,
            commands::desktop_apps,
            commands::program_icons,
            commands::usage,
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
            autostart_cmd::autostart_get,
            autostart_cmd::autostart_set,
            tray_host::tray_notice,
        ])
        .setup(move |app| {
            daemon_link::start(app.handle());
            commands::manage(app.handle());
            app.manage(icon_lookup::IconCache::default());
            autostart::apply_default();
            app.manage(tray_host::NoticeShown::default());
            match program.as_deref() {
                Some(program) => window::show_program(app.handle(), program),
                None => window::show(app.handle()),
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        // Closing the window ends the app: the tray stays, in its own process.
        Ok(app) => app.run(|_app, _event| {}),
        Err(error) => {
            tracing::error!("Lifeguard could not start its window system: {error}");
            std::process::exit(1);
        }
    }
}

/// Whether a tray host (StatusNotifier watcher) is on the session bus to show the tray.
fn tray_host_is_there() -> bool {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            runtime.block_on(lifeguard_tray::session_bus::tray_host_present()) == Some(true)
        }
        Err(_) => false,
    }
}

/// A hidden start (at login) with a tray host: this process becomes `lifeguard tray`,
/// so no window system is ever loaded. Returns only if that fails; the window opens then.
fn hand_over_to_tray() {
    let argv = lifeguard_tray::tray_argv();
    let error = std::process::Command::new(&argv[0]).args(&argv[1..]).exec();
    tracing::error!("could not start the tray ({}): {error}", argv[0]);
}

/// `--program ID`: open the window on that program's page.
fn program_arg(args: &[String]) -> Option<String> {
    let at = args.iter().position(|arg| arg == PROGRAM_FLAG)?;
    args.get(at + 1).cloned()
}

/// Another launch handed its arguments to this window (from the tray, or the menu).
fn second_launch<R: Runtime>(app: &AppHandle<R>, argv: &[String]) {
    if argv.iter().any(|arg| arg == QUIT_FLAG) {
        // The person quit Lifeguard from the tray: no daemon is to be started again.
        app.state::<daemon_link::DaemonLink>().quit();
        app.exit(0);
        return;
    }
    match program_arg(argv) {
        Some(program) => window::show_program(app, &program),
        None => window::show(app),
    }
}

/// Whether a WebDriver test drives this app (tauri-driver sets this).
pub(crate) fn under_automation() -> bool {
    lifeguard_tray::under_automation()
}

fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // `LIFEGUARD_LOG` in RUST_LOG's common forms, as the daemon and the tray read it.
    let filter = std::env::var("LIFEGUARD_LOG")
        .ok()
        .and_then(|text| text.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .finish()
        .with(filter)
        .try_init();
}
