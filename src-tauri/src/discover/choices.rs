//! Installed applications as the window's picker wants them: icons already turned into
//! data URLs (the webview's CSP loads images only from the bundle or `data:`).

use std::collections::HashMap;

use serde::Serialize;

use super::desktop_entries::DesktopApp;

/// One installed application, ready to serialize for the `desktop_apps` command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "DesktopApp"))]
pub struct AppChoice {
    /// The desktop id (`firefox-esr.desktop`).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its command, field codes removed.
    pub argv: Vec<String>,
    /// Its icon as a `data:` URL, when one was found in a usable format.
    pub icon: Option<String>,
    /// Its comment.
    pub comment: Option<String>,
}

/// The installed applications with their icons: `icons` maps an `Icon=` value to its
/// `data:` URL (`crate::icon_lookup`, which needs GTK's thread, finds them).
pub fn app_choices(apps: Vec<DesktopApp>, icons: &HashMap<String, String>) -> Vec<AppChoice> {
    apps.into_iter()
        .map(|app| AppChoice {
            icon: app.icon.as_ref().and_then(|name| icons.get(name)).cloned(),
            id: app.id,
            name: app.name,
            argv: app.argv,
            comment: app.comment,
        })
        .collect()
}
