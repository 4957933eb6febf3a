//! Installed applications as the window's picker wants them: icons already turned into
//! data URLs (the webview's CSP loads images only from the bundle or `data:`).

use std::path::PathBuf;

use serde::Serialize;

use super::desktop_entries::{data_dirs, scan};
use super::icons::{icon_data_url, resolve_icon};

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

/// The installed applications of this session's XDG data directories, with icons.
/// Blocking (reads many small files): call it off the main thread.
pub fn app_choices() -> Vec<AppChoice> {
    let dirs = data_dirs();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    scan(&dirs)
        .into_iter()
        .map(|app| AppChoice {
            icon: app
                .icon
                .as_deref()
                .and_then(|name| resolve_icon(name, &dirs, home.as_deref()))
                .and_then(|path| icon_data_url(&path)),
            id: app.id,
            name: app.name,
            argv: app.argv,
            comment: app.comment,
        })
        .collect()
}
