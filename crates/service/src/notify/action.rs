//! A popup with "Try again", and waiting for the click: the `ActionInvoked` signal for
//! that popup, accepted only from the notification server itself. Signals are broadcast: any program on the
//! session bus can emit an `ActionInvoked` with a guessed id, so its sender must be the
//! unique name that owns `org.freedesktop.Notifications` (asked of the bus when it
//! comes), or it is ignored.

use std::collections::HashMap;

use futures_util::StreamExt;
use lifeguard_engine::ProgramId;
use tokio::sync::mpsc;
use zbus::message::{Header, Type};
use zbus::Variant;
use zbus::{Connection, MatchRule, MessageStream};

use super::notice::Button;

/// The notification server's well-known name, path and interface.
const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// A popup with a "Try again" button.
#[derive(Debug, Clone)]
pub(crate) struct Popup {
    /// The id of the popup it replaces.
    pub replaces: Option<u32>,
    /// The icon name or path.
    pub icon: Option<String>,
    /// The summary line.
    pub summary: String,
    /// The body (escaped already if the server renders markup).
    pub body: String,
    /// Critical urgency.
    pub critical: bool,
    /// Its buttons.
    pub buttons: Vec<Button>,
}

/// Shows `popup` with the "Try again" action on a new session-bus connection, which
/// the server then sends the popup's signals to; returns the popup's id and the
/// connection to listen on.
pub(crate) async fn show(popup: &Popup) -> zbus::Result<(u32, Connection)> {
    let conn = Connection::session().await?;
    let mut hints: HashMap<&str, Variant<'_>> = HashMap::new();
    hints.insert("desktop-entry", Variant::Str(super::DESKTOP_ENTRY.into()));
    if popup.critical {
        hints.insert("urgency", Variant::U8(2));
    }
    let actions: Vec<&str> = popup
        .buttons
        .iter()
        .flat_map(|b| [b.key(), b.label()])
        .collect();
    let reply = conn
        .call_method(
            Some(SERVER),
            PATH,
            Some(SERVER),
            "Notify",
            &(
                "Lifeguard",
                popup.replaces.unwrap_or(0),
                popup.icon.as_deref().unwrap_or_default(),
                popup.summary.as_str(),
                popup.body.as_str(),
                &actions[..],
                hints,
                -1i32,
            ),
        )
        .await?;
    let id: u32 = reply.body().deserialize()?;
    Ok((id, conn))
}

/// Waits until popup `id` (shown on `conn`) is clicked or closed; a click on "Try
/// again" sends `program` on `retries`. Ends on a bus error too (the popup is then lost
/// anyway).
pub(crate) async fn wait_for_retry(
    conn: Connection,
    id: u32,
    program: ProgramId,
    retries: mpsc::Sender<(ProgramId, Button)>,
) {
    if let Err(e) = listen(&conn, id, &program, &retries).await {
        tracing::debug!(error = %e, "stopped listening for Try again");
    }
}

async fn listen(
    conn: &Connection,
    id: u32,
    program: &ProgramId,
    retries: &mpsc::Sender<(ProgramId, Button)>,
) -> zbus::Result<()> {
    let rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(SERVER)
        .path(PATH)
        .build()?;
    let mut stream = MessageStream::for_match_rule(rule, conn, None).await?;
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
        if !from_server(conn, &header).await {
            tracing::warn!(
                sender = ?header.sender().map(|s| s.as_str().to_owned()),
                signal = member.as_deref().unwrap_or_default(),
                "ignored a notification signal from a bus peer that is not the notification server"
            );
            continue;
        }
        if let Some(button) = action.as_deref().and_then(Button::from_key) {
            // Full means clicks are already queued for the daemon; one more adds nothing.
            let _ = retries.try_send((program.clone(), button));
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
