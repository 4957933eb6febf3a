//! Installed applications: the `.desktop` files in the XDG data directories.
//!
//! Directories are searched in priority order (`$XDG_DATA_HOME`, then `$XDG_DATA_DIRS`);
//! the first file with a given desktop id wins, so a user's copy overrides the system's,
//! and a user's `Hidden=true` copy hides the system entry.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use lifeguard_service::desktop_entry::{DesktopEntry, Session};

use super::exec::exec_to_argv;

/// One launchable application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesktopApp {
    /// The desktop id, e.g. `org.gnome.Calculator.desktop` (path below `applications/`
    /// with `/` turned into `-`).
    pub id: String,
    /// Its display name (`Name`).
    pub name: String,
    /// The `Exec` line as argv, field codes removed.
    pub argv: Vec<String>,
    /// The `Icon` value: a theme icon name or an absolute path.
    pub icon: Option<String>,
    /// The `Comment`, if any.
    pub comment: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
}

/// The XDG data directories in priority order, from the environment with the spec's
/// defaults (`~/.local/share`; `/usr/local/share:/usr/share`).
pub fn data_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let user = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(".local/share")));
    let system = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_owned());
    user.into_iter()
        .chain(
            system
                .split(':')
                .map(PathBuf::from)
                .filter(|p| p.is_absolute()),
        )
        .collect()
}

/// Every visible application in the environment's data directories, sorted by name.
pub fn installed_apps() -> Vec<DesktopApp> {
    scan(&data_dirs())
}

/// Every visible application under `<dir>/applications` for `dirs` in priority order, as
/// this process's session reads them (see [`scan_in`]).
pub fn scan(dirs: &[PathBuf]) -> Vec<DesktopApp> {
    scan_in(dirs, &Session::current())
}

/// Every application under `<dir>/applications` for `dirs` in priority order that
/// `session` offers as a window, named in its locale, sorted by name. Unreadable or
/// malformed files are skipped: one broken entry must not hide the others.
pub fn scan_in(dirs: &[PathBuf], session: &Session) -> Vec<DesktopApp> {
    let mut seen = HashSet::new();
    let mut apps = Vec::new();
    for dir in dirs {
        let root = dir.join("applications");
        let mut files = Vec::new();
        collect(&root, &mut files, 0);
        files.sort();
        for file in files {
            let Some(id) = desktop_id(&root, &file) else {
                continue;
            };
            // The first directory to have an id decides, even when it hides the entry.
            if !seen.insert(id.clone()) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            if let Some(app) = parse(&id, &text, &file, session) {
                apps.push(app);
            }
        }
    }
    apps.sort_by_key(|a| a.name.to_lowercase());
    apps
}

/// Parses one entry; `None` when it is not an application `session` offers as a window
/// (hidden, `NoDisplay`, for another desktop, `TryExec` missing, `Terminal=true`) or has
/// no usable `Exec`.
pub fn parse(id: &str, text: &str, path: &Path, session: &Session) -> Option<DesktopApp> {
    let entry = DesktopEntry::parse(text);
    if !entry.is_application() || entry.no_display() || entry.terminal() {
        return None;
    }
    if !session.offers(&entry) {
        return None;
    }
    let argv = exec_to_argv(&entry.get("Exec")?).ok()?;
    let locale = session.locale.as_ref();
    Some(DesktopApp {
        id: id.to_owned(),
        name: entry.localized("Name", locale)?,
        argv,
        icon: entry.get("Icon"),
        comment: entry.localized("Comment", locale),
        path: path.to_owned(),
    })
}

/// The desktop id of `file` below `root`: `kde/konsole.desktop` → `kde-konsole.desktop`.
fn desktop_id(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("-"))
}

/// `.desktop` files below `dir`, recursively (bounded, in case of symlink loops).
fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out, depth + 1);
        } else if path.extension().is_some_and(|e| e == "desktop") {
            out.push(path);
        }
    }
}

#[cfg(test)]
#[path = "desktop_entries_tests.rs"]
mod tests;
