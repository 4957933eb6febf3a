//! "Launch at login": Lifeguard's own XDG autostart entry,
//! `$XDG_CONFIG_HOME/autostart/<app id>.desktop`, which starts the app in the tray
//! (`--hidden`). On the first run the entry is written turned on (or off, when the
//! config's `launch_at_login` says so); turning it off keeps the file with `Hidden=true`,
//! so a later start knows the person chose that. The tray and the window share it; the
//! entry always starts the desktop app (`lifeguard-desktop --hidden`), which hands over to
//! the tray.
//!
//! `TryExec` names the binary: when the package is removed, desktops (gnome-session,
//! systemd-xdg-autostart-generator) skip the entry instead of failing at every login.

use std::path::{Path, PathBuf};

use crate::desktop_entry;

/// The app id (`identifier` in tauri.conf.json): names the entry and the icon.
pub const APP_ID: &str = "org.lifeguard.Lifeguard";
/// The entry tauri-plugin-autostart wrote before Lifeguard wrote its own.
const LEGACY_ENTRY: &str = "Lifeguard.desktop";

/// `$XDG_CONFIG_HOME/autostart` (a relative value is ignored, as the spec says).
fn autostart_dir() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(config.join("autostart"))
}

/// Where Lifeguard's autostart entry lives.
pub fn entry_path() -> Option<PathBuf> {
    autostart_dir().map(|dir| dir.join(format!("{APP_ID}.desktop")))
}

/// Whether the entry exists and is turned on.
pub fn is_enabled() -> bool {
    entry_path()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .is_some_and(|text| desktop_entry::enabled(&text))
}

/// Writes the entry, on or off. Returns whether it is now on.
pub fn set(enabled: bool) -> bool {
    let outcome = entry_path()
        .ok_or_else(|| "no home directory".to_string())
        .and_then(|path| write(&path, enabled));
    if let Err(error) = outcome {
        tracing::warn!("could not change launch at login: {error}");
    }
    is_enabled()
}

fn write(path: &Path, enabled: bool) -> Result<(), String> {
    let exe = crate::app_binary().map_err(|e| format!("cannot find the app's binary: {e}"))?;
    let text = desktop_entry::autostart(&exe, APP_ID, enabled)?;
    let dir = path.parent().ok_or("the entry has no directory")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let temporary = path.with_extension("desktop.tmp");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// First run: writes the entry as the person's settings say (on by default). Later
/// runs keep their choice, and repoint an enabled entry whose binary is gone (the app
/// moved, e.g. from a source build to the package).
pub fn apply_default() {
    let Some(path) = entry_path() else { return };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let target = desktop_entry::try_exec(&text);
            if desktop_entry::enabled(&text) && target.is_some_and(|t| !Path::new(&t).exists()) {
                set(true);
            }
        }
        Err(_) => {
            let legacy = path.with_file_name(LEGACY_ENTRY);
            let had_legacy = std::fs::read_to_string(&legacy)
                .is_ok_and(|text| text.contains("lifeguard-desktop"));
            if had_legacy {
                let _ = std::fs::remove_file(&legacy);
            }
            let on = had_legacy || launch_at_login_setting();
            tracing::info!(on, "first run: writing the launch-at-login entry");
            set(on);
        }
    }
}

/// `settings.launch_at_login` from config.toml (true when unset or unreadable).
fn launch_at_login_setting() -> bool {
    let Ok(paths) = lifeguard_service::paths::Paths::from_env() else {
        return true;
    };
    let file = paths.config_file();
    std::fs::read_to_string(&file)
        .ok()
        .and_then(|text| lifeguard_service::config::parse(&text, &file).ok())
        .is_none_or(|config| config.settings.launch_at_login)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_app_id_is_tauri_conf_identifier() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../../tauri.conf.json"))
                .expect("tauri.conf.json");
        assert_eq!(conf["identifier"], super::APP_ID);
        assert!(!super::APP_ID.ends_with(".desktop"));
    }
}
