//! Dark style that follows the desktop's own switch. GNOME's "Dark style" (and KDE's
//! colour scheme through its portal) is published as `org.freedesktop.appearance`
//! `color-scheme` by the XDG settings portal; GTK 3, and so this WebKitGTK window, does
//! not read it. This module reads it, follows its `SettingChanged` signal, and sets GTK's
//! `gtk-application-prefer-dark-theme` through Tauri's app theme, which WebKitGTK turns
//! into the page's `prefers-color-scheme`. No portal, or no preference: nothing is set,
//! so the GTK theme (e.g. `GTK_THEME=Adwaita:dark`) decides as before.

use std::future::poll_fn;

use tauri::{AppHandle, Runtime, Theme};
use zbus::export::futures_core::Stream;
use zbus::message::Type;
use zbus::{Connection, MatchRule, MessageStream, OwnedVariant, Variant};

const PORTAL: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const SETTINGS: &str = "org.freedesktop.portal.Settings";
const NAMESPACE: &str = "org.freedesktop.appearance";
const KEY: &str = "color-scheme";

/// The portal's `color-scheme` values (0 no preference, 1 prefer dark, 2 prefer light).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// The desktop states no preference: the GTK theme decides.
    Default,
    /// Dark style is on.
    Dark,
    /// Light style is asked for explicitly.
    Light,
}

impl Scheme {
    /// Reads the portal's number; values from a newer spec count as "no preference".
    pub fn from_portal(value: u32) -> Self {
        match value {
            1 => Scheme::Dark,
            2 => Scheme::Light,
            _ => Scheme::Default,
        }
    }

    /// The Tauri theme to set; `None` leaves GTK's prefer-dark off (today's behaviour).
    pub fn theme(self) -> Option<Theme> {
        match self {
            Scheme::Dark => Some(Theme::Dark),
            Scheme::Light => Some(Theme::Light),
            Scheme::Default => None,
        }
    }
}

/// Follows the portal's colour scheme for the app's life, in the background.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = follow(&app).await {
            // No portal is an ordinary desktop (a bare X session, a CI run): say so quietly.
            tracing::debug!("not following the desktop's dark style: {error}");
        }
    });
}

async fn follow<R: Runtime>(app: &AppHandle<R>) -> zbus::Result<()> {
    let conn = Connection::session().await?;
    // Plain calls and a match rule rather than a `Proxy`: a proxy may ask the portal
    // for its properties first, one more round trip that a missing portal makes slow.
    let rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(SETTINGS)
        .member("SettingChanged")
        .path(PORTAL_PATH)
        .build()?;
    // Subscribe before reading, so a switch between the two is not lost.
    let mut changes = Box::pin(MessageStream::for_match_rule(rule, &conn, None).await?);
    let mut current = read(&conn).await.unwrap_or(Scheme::Default);
    // No portal, or no preference: GTK's own settings (settings.ini, GTK_THEME) stay.
    if current != Scheme::Default {
        apply(app, current);
    }
    while let Some(message) = poll_fn(|cx| changes.as_mut().poll_next(cx)).await {
        let Ok(message) = message else { continue };
        let body = message.body();
        let Ok((namespace, key, value)) = body.deserialize::<(String, String, OwnedVariant)>()
        else {
            continue;
        };
        if namespace != NAMESPACE || key != KEY {
            continue;
        }
        let Some(next) = scheme_of(&value) else {
            continue;
        };
        if next != current {
            current = next;
            apply(app, next);
        }
    }
    Ok(())
}

/// `ReadOne` (portal version 2), else the older `Read`, which wraps the value once more.
async fn read(conn: &Connection) -> Option<Scheme> {
    for method in ["ReadOne", "Read"] {
        let reply = conn
            .call_method(
                Some(PORTAL),
                PORTAL_PATH,
                Some(SETTINGS),
                method,
                &(NAMESPACE, KEY),
            )
            .await;
        if let Ok(reply) = reply {
            let value: OwnedVariant = reply.body().deserialize().ok()?;
            return scheme_of(&value);
        }
    }
    None
}

/// The scheme in a portal value, looking through the variants `Read` nests it in.
fn scheme_of(value: &Variant<'_>) -> Option<Scheme> {
    match value {
        Variant::Variant(inner) => scheme_of(inner),
        Variant::U32(n) => Some(Scheme::from_portal(*n)),
        _ => None,
    }
}

fn apply<R: Runtime>(app: &AppHandle<R>, scheme: Scheme) {
    tracing::debug!("desktop colour scheme: {scheme:?}");
    app.set_theme(scheme.theme());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_numbers_map_to_schemes() {
        assert_eq!(Scheme::from_portal(0), Scheme::Default);
        assert_eq!(Scheme::from_portal(1), Scheme::Dark);
        assert_eq!(Scheme::from_portal(2), Scheme::Light);
        assert_eq!(Scheme::from_portal(7), Scheme::Default);
        assert_eq!(Scheme::Default.theme(), None);
    }

    #[test]
    fn nested_variants_are_looked_through() {
        let nested = Variant::Variant(Box::new(Variant::U32(1)));
        assert_eq!(scheme_of(&nested), Some(Scheme::Dark));
        assert_eq!(scheme_of(&Variant::from("dark")), None);
    }
}
