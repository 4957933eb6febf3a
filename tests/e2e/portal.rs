//! A stand-in XDG desktop portal on a private session bus: it answers
//! `org.freedesktop.portal.Settings.ReadOne` for `org.freedesktop.appearance`
//! `color-scheme` and emits `SettingChanged` when a test flips the scheme, as
//! xdg-desktop-portal does when GNOME's "Dark style" switch is used.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use zbus::export::futures_core::Stream;
use zbus::message::Type;
use zbus::{Connection, MessageStream, Variant};

const PATH: &str = "/org/freedesktop/portal/desktop";
const SETTINGS: &str = "org.freedesktop.portal.Settings";

/// A `dbus-daemon --session` of the test's own with the stand-in portal on it.
pub struct Portal {
    bus: Child,
    conn: Connection,
    scheme: Arc<AtomicU32>,
}

impl Portal {
    /// Starts a private bus, points this process (and so the app it starts) at it, and
    /// serves the portal there with `scheme` (0 no preference, 1 dark, 2 light).
    pub async fn start(scheme: u32) -> Portal {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed (apt-get install dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        // Set before the app starts and before any connection of this test.
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        let conn = Connection::session().await.unwrap();
        conn.request_name("org.freedesktop.portal.Desktop")
            .await
            .unwrap();
        let scheme = Arc::new(AtomicU32::new(scheme));
        let (serving, value) = (conn.clone(), Arc::clone(&scheme));
        // The stream exists before the app can call, so no early call is missed.
        let mut calls = Box::pin(MessageStream::from(&serving));
        tokio::spawn(async move {
            while let Some(Ok(call)) = std::future::poll_fn(|cx| calls.as_mut().poll_next(cx)).await
            {
                let header = call.header();
                if header.message_type() != Type::MethodCall {
                    continue;
                }
                let member = header.member().map(|m| m.as_str().to_owned());
                let v = value.load(Ordering::SeqCst);
                let _ = match member.as_deref() {
                    Some("ReadOne") => serving.reply(&header, &Variant::U32(v)).await,
                    Some("Read") => {
                        let nested = Variant::Variant(Box::new(Variant::U32(v)));
                        serving.reply(&header, &nested).await
                    }
                    _ => {
                        serving
                            .reply_error(
                                &header,
                                "org.freedesktop.DBus.Error.UnknownMethod",
                                &"not in this stand-in portal",
                            )
                            .await
                    }
                };
            }
        });
        Portal { bus, conn, scheme }
    }

    /// Flips the scheme and tells the desktop, as the portal does.
    pub async fn set(&self, scheme: u32) {
        self.scheme.store(scheme, Ordering::SeqCst);
        self.conn
            .emit_signal(
                None::<&str>,
                PATH,
                SETTINGS,
                "SettingChanged",
                &(
                    "org.freedesktop.appearance",
                    "color-scheme",
                    Variant::U32(scheme),
                ),
            )
            .await
            .unwrap();
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
