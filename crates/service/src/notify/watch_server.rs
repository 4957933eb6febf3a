//! Notices a notification server taking its name on the session bus (`NameOwnerChanged`,
//! a signal: no polling timer, so an idle daemon still wakes up 0 times).

use futures_util::StreamExt;
use tokio::sync::mpsc;

/// The desktop's notification server name.
const SERVER: &str = "org.freedesktop.Notifications";

/// Sends `()` on `appeared` each time `name` (the desktop's server when `None`) gets an
/// owner. Ends quietly when there is no session bus.
pub(super) async fn watch(name: Option<String>, appeared: mpsc::Sender<()>) {
    let name = name.unwrap_or_else(|| SERVER.to_owned());
    let stream = async {
        let conn = zbus::Connection::session().await?;
        let dbus = zbus::fdo::DBusProxy::new(&conn).await?;
        let changes = dbus
            .receive_name_owner_changed_with_args(&[(0, name.as_str())])
            .await?;
        Ok::<_, zbus::Error>((conn, changes))
    };
    let (_conn, mut changes) = match stream.await {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!(error = %e, "not watching for a notification server");
            return;
        }
    };
    while let Some(change) = changes.next().await {
        let Ok(args) = change.args() else { continue };
        if args.new_owner().is_some() && appeared.try_send(()).is_err() {
            tracing::debug!("a server appearance is already queued");
        }
    }
}
