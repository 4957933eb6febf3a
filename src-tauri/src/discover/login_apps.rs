//! Apps the desktop starts at login: the XDG autostart entries (Desktop Application
//! Autostart Specification), for the picker's "Starts at login" list.
//!
//! Directories in priority order: `$XDG_CONFIG_HOME/autostart` (`~/.config/autostart`),
//! then `autostart` below each of `$XDG_CONFIG_DIRS` (`/etc/xdg`). The first file of an id
//! decides, so a user's copy overrides the system's and a user's `Hidden=true` copy
//! removes it. An entry is left out when it is hidden, not meant for this desktop
//! (`OnlyShowIn`/`NotShowIn` against `$XDG_CURRENT_DESKTOP`), or when its `TryExec`
//! program is not installed — exactly the entries the session would not start.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use lifeguard_service::desktop_entry::{installed, DesktopEntry, Locale};

use super::exec::exec_to_argv;

/// One entry the session starts at login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LoginApp {
    /// Its desktop id (the file name, `nm-applet.desktop`): what a takeover overrides.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its command, field codes removed.
    pub argv: Vec<String>,
    /// Its comment.
    pub comment: Option<String>,
    /// Whether it asks the session to restart it (`X-GNOME-AutoRestart`,
    /// `X-MATE-AutoRestart`), which GNOME 49 and systemd's generator no longer honour.
    pub wants_restart: bool,
    /// Whether the entry is the user's own (`~/.config/autostart`) rather than the system's.
    pub users_own: bool,
}

/// Where the session looks for entries: the XDG environment with the spec's defaults.
pub fn autostart_dirs() -> Vec<(PathBuf, bool)> {
    dirs_from(&|var| std::env::var(var).ok())
}

/// [`autostart_dirs`] from `var`, a lookup of environment variables: the user's
/// directory first (marked `true`), then the system's in their order.
fn dirs_from(var: &dyn Fn(&str) -> Option<String>) -> Vec<(PathBuf, bool)> {
    let user = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".config")));
    let system = var("XDG_CONFIG_DIRS")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/etc/xdg".to_owned());
    user.map(|u| (u.join("autostart"), true))
        .into_iter()
        .chain(
            std::env::split_paths(&system)
                .filter(|p| p.is_absolute())
                .map(|p| (p.join("autostart"), false)),
        )
        .collect()
}

/// The entries this session starts at login, sorted by name.
pub fn login_apps() -> Vec<LoginApp> {
    let desktops = std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default();
    let desktops: Vec<&str> = desktops.split(':').filter(|d| !d.is_empty()).collect();
    scan(&autostart_dirs(), &desktops, &|p| installed(p))
}

/// The entries of `dirs` (each with whether it is the user's) that a session of
/// `desktops` starts; `has` says whether a `TryExec` program is installed.
pub fn scan(
    dirs: &[(PathBuf, bool)],
    desktops: &[&str],
    has: &dyn Fn(&str) -> bool,
) -> Vec<LoginApp> {
    let mut seen = HashSet::new();
    let mut apps = Vec::new();
    for (dir, users_own) in dirs {
        let Ok(read) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = read
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "desktop"))
            .collect();
        files.sort();
        for file in files {
            let Some(id) = file.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            // The first directory to have an id decides, even when it hides the entry.
            if !seen.insert(id.clone()) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            if let Some(app) = parse(&id, &text, *users_own, desktops, has) {
                apps.push(app);
            }
        }
    }
    apps.sort_by_key(|a| a.name.to_lowercase());
    apps
}

/// One entry, or `None` when the session would not start it.
pub fn parse(
    id: &str,
    text: &str,
    users_own: bool,
    desktops: &[&str],
    has: &dyn Fn(&str) -> bool,
) -> Option<LoginApp> {
    let entry = DesktopEntry::parse(text);
    if entry.hidden() || !entry.is_application() {
        return None;
    }
    if !entry.shown_in(desktops) || !entry.try_exec_ok(has) {
        return None;
    }
    let argv = exec_to_argv(&entry.get("Exec")?).ok()?;
    let locale = Locale::from_env();
    Some(LoginApp {
        id: id.to_owned(),
        name: entry.localized("Name", locale.as_ref())?,
        argv,
        comment: entry.localized("Comment", locale.as_ref()),
        wants_restart: entry.flag("X-GNOME-AutoRestart") || entry.flag("X-MATE-AutoRestart"),
        users_own,
    })
}

#[cfg(test)]
#[path = "login_apps_tests.rs"]
mod tests;
