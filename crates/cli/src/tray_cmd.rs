//! `lifeguard tray`: the tray icon and menu (crate `lifeguard-tray`), a client of the
//! daemon like every other command. The desktop app starts it; the daemon guards it.

use std::process::ExitCode;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Runs the tray until it is quit from its menu (at once when one already runs).
pub fn main() -> anyhow::Result<ExitCode> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .finish()
        .with(crate::log_filter::from_env())
        .try_init();
    lifeguard_tray::run()?;
    Ok(ExitCode::SUCCESS)
}
