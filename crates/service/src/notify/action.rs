//! Waiting for a click on "Try again": the `ActionInvoked` signal for one popup, accepted
//! only from the notification server itself. Signals are broadcast: any program on the
//! session bus can emit an `ActionInvoked` with a guessed id, so its sender must be the
//! unique name that owns `org.freedesktop.Notifications` (asked of the bus when it
//! comes), or it is ignored.

use futures_util::StreamExt;
use lifeguard_engine::ProgramId;
use tokio::sync::mpsc;
use zbus::message::{Header, Type};
use zbus::{Connection, MatchRule, MessageStream};

use super::sender::RETRY_ACTION;

/// The notification server's well-known name, path and interface.
const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// Waits until popup `id` is clicked or closed; a click on "Try again" sends `program`
/// on `retries`. Ends on a bus error too (the popup is then lost anyway).
pub(crate) async fn wait_for_retry(id: u32, program: ProgramId, retries: mpsc::Sender<ProgramId>) {
    if let Err(e) = listen(id, &program, &retries).await {
        tracing::debug!(error = %e, "stopped listening for Try again");
    }
}

async fn listen(
    id: u32,
    program: &ProgramId,
    retries: &mpsc::Sender<ProgramId>,
) -> zbus::Result<()> {
    let conn = Connection::session().await?;
    let rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(SERVER)
        .path(PATH)
        .build()?;
    let mut stream = MessageStream::for_match_rule(rule, &conn, None).await?;
    while let Some(msg) = stream.next().await {
        let msg = msg?;
        let header = msg.header();
        let member = header.member().map(|m| m.as_str().to_owned());
        let (nid, action) = match member.as_deref() {
            Some("ActionInvoked") => match msg.body().deserialize::<(u32, String)>() {
                Ok((nid, action)) => (nid, Some(action)),
                Err(_) => continue,
            },
            Some("NotificationClosed") => match msg.body().deserialize::<(u32, u32)>() {
                Ok((nid, _reason)) => (nid, None),
                Err(_) => continue,
            },
            _ => continue,
        };
        if nid != id {
            continue;
        }
        if !from_server(&conn, &header).await {
            tracing::warn!(
                sender = ?header.sender().map(|s| s.as_str().to_owned()),
                signal = member.as_deref().unwrap_or_default(),
                "ignored a notification signal from a bus peer that is not the notification server"
            );
            continue;
        }
        if action.as_deref() == Some(RETRY_ACTION) {
            // Full means retries are already queued for the daemon; one more click adds
            // nothing.
            let _ = retries.try_send(program.clone());
        }
        return Ok(());
    }
    Ok(())
}

/// Whether the signal in `header` was sent by the owner of the server's name.
async fn from_server(conn: &Connection, header: &Header<'_>) -> bool {
    let Some(sender) = header.sender() else {
        return false;
    };
    let Ok(dbus) = zbus::fdo::DBusProxy::new(conn).await else {
        return false;
    };
    let Ok(name) = zbus::names::BusName::try_from(SERVER) else {
        return false;
    };
    dbus.get_name_owner(name)
        .await
        .is_ok_and(|owner| owner.as_str() == sender.as_str())
}
