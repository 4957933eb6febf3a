//! What the app asks the session bus: whether a tray host (StatusNotifier watcher) is
//! there, and whether systemd's user manager has Lifeguard's unit enabled, so the daemon
//! is started through it and `systemctl --user status lifeguard` shows the one daemon.

use zbus::Connection;

/// The systemd user unit the package installs (`/usr/lib/systemd/user/`).
pub const UNIT: &str = "lifeguard.service";
const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const SYSTEMD: &str = "org.freedesktop.systemd1";
const SYSTEMD_PATH: &str = "/org/freedesktop/systemd1";
const MANAGER: &str = "org.freedesktop.systemd1.Manager";

/// Whether a tray host is on the session bus; `None` when there is no bus to ask.
pub async fn tray_host_present() -> Option<bool> {
    let conn = Connection::session().await.ok()?;
    let reply = conn
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "NameHasOwner",
            &(WATCHER,),
        )
        .await
        .ok()?;
    reply.body().deserialize::<bool>().ok()
}

/// Starts the daemon through systemd when the user unit is enabled. `Ok(false)`: no
/// systemd user manager, or the unit is not installed or not enabled; the caller
/// starts a daemon itself.
pub async fn start_unit_if_enabled() -> zbus::Result<bool> {
    let Ok(conn) = Connection::session().await else {
        return Ok(false);
    };
    let state = conn
        .call_method(
            Some(SYSTEMD),
            SYSTEMD_PATH,
            Some(MANAGER),
            "GetUnitFileState",
            &(UNIT,),
        )
        .await;
    // No systemd on this bus, or no such unit: both mean "not ours to use".
    let Ok(state) = state else { return Ok(false) };
    let state: String = state.body().deserialize()?;
    if !matches!(state.as_str(), "enabled" | "enabled-runtime" | "linked") {
        return Ok(false);
    }
    conn.call_method(
        Some(SYSTEMD),
        SYSTEMD_PATH,
        Some(MANAGER),
        "StartUnit",
        &(UNIT, "replace"),
    )
    .await?;
    tracing::info!("started the daemon through systemd ({UNIT})");
    Ok(true)
}
