//! No tray host: on stock GNOME nothing shows status-notifier icons, so the tray menu,
//! Lifeguard's usual way in, is invisible. The window says so once per run, with the fix
//! for this desktop; an app started hidden at login opens its window instead of handing
//! over to the tray alone (`crate::start`).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Manager, Runtime};

/// Whether the notice was already handed to the window in this run.
#[derive(Default)]
pub struct NoticeShown(AtomicBool);

/// What to tell a person whose desktop (`$XDG_CURRENT_DESKTOP`) shows no tray icons.
pub fn notice_for(desktop: &str) -> String {
    let way_back = "Lifeguard keeps protecting your programs when this window is closed; \
                    open Lifeguard from the applications menu to come back here.";
    let gnome = desktop.split(':').any(|d| d.eq_ignore_ascii_case("GNOME"));
    if gnome {
        format!(
            "GNOME shows no tray icons without the AppIndicator extension, so Lifeguard's \
             tray menu is hidden. Install it (sudo apt install gnome-shell-extension-appindicator), \
             log out and back in, and turn on \"AppIndicator and KStatusNotifierItem Support\" \
             in the Extensions app. {way_back}"
        )
    } else {
        format!(
            "This desktop shows no tray (status notifier) icons, so Lifeguard's tray menu is \
             hidden. Add a system tray or status notifier area to your panel to see it. {way_back}"
        )
    }
}

/// Whether the session has no tray host (false when it cannot tell).
pub async fn missing() -> bool {
    lifeguard_tray::session_bus::tray_host_present().await == Some(false)
}

/// `tray_notice` command: the no-tray-host notice, the first time it is asked for in
/// this run while no tray host is there; `null` otherwise.
#[tauri::command]
pub async fn tray_notice<R: Runtime>(app: AppHandle<R>) -> Option<String> {
    if !missing().await {
        return None;
    }
    let shown = app.state::<NoticeShown>();
    if shown.0.swap(true, Ordering::SeqCst) {
        return None;
    }
    let desktop = std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default();
    Some(notice_for(&desktop))
}

#[cfg(test)]
mod tests {
    use super::notice_for;

    #[test]
    fn gnome_gets_the_appindicator_fix() {
        assert!(notice_for("ubuntu:GNOME").contains("gnome-shell-extension-appindicator"));
        assert!(notice_for("GNOME").contains("gnome-shell-extension-appindicator"));
        let other = notice_for("XFCE");
        assert!(!other.contains("gnome-shell") && other.contains("panel"));
        assert!(other.contains("applications menu"));
    }
}
