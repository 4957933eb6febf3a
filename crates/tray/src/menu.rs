//! The tray menu's items and what clicking each one asks for, kept apart from Tauri so
//! the mapping from menu ids to actions is testable.

/// What a click on a tray menu item asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrayAction {
    /// Open the window on one program.
    ShowProgram(String),
    /// Pause protection for this many minutes, or until resumed (`None`).
    Pause(Option<u64>),
    /// Resume protection.
    Resume,
    /// Flip "Launch at login".
    ToggleAutostart,
    /// Open the window.
    Open,
    /// Quit the tray app; the daemon keeps protecting.
    QuitTray,
    /// Stop every protected program and the daemon, then quit.
    QuitAll,
}

/// Menu item ids; program items are `program:<id>`.
pub mod ids {
    /// The summary line (disabled).
    pub const SUMMARY: &str = "summary";
    /// "3 restarts while you were away": opens the window, which lists them.
    pub const MISSED: &str = "missed";
    /// Pause for 15 minutes.
    pub const PAUSE_15M: &str = "pause:15";
    /// Pause for an hour.
    pub const PAUSE_1H: &str = "pause:60";
    /// Pause until resumed.
    pub const PAUSE_FOREVER: &str = "pause:forever";
    /// Resume protection.
    pub const RESUME: &str = "resume";
    /// The "Launch at login" check item.
    pub const AUTOSTART: &str = "autostart";
    /// Open the window.
    pub const OPEN: &str = "open";
    /// Quit the tray only.
    pub const QUIT_TRAY: &str = "quit-tray";
    /// Quit everything.
    pub const QUIT_ALL: &str = "quit-all";
    /// Prefix of a program's item id.
    pub const PROGRAM_PREFIX: &str = "program:";
}

impl TrayAction {
    /// The action of the menu item with this id, if it has one.
    pub fn from_id(id: &str) -> Option<TrayAction> {
        if let Some(program) = id.strip_prefix(ids::PROGRAM_PREFIX) {
            return Some(TrayAction::ShowProgram(program.to_string()));
        }
        Some(match id {
            ids::PAUSE_15M => TrayAction::Pause(Some(15)),
            ids::PAUSE_1H => TrayAction::Pause(Some(60)),
            ids::PAUSE_FOREVER => TrayAction::Pause(None),
            ids::RESUME => TrayAction::Resume,
            ids::AUTOSTART => TrayAction::ToggleAutostart,
            ids::OPEN | ids::MISSED => TrayAction::Open,
            ids::QUIT_TRAY => TrayAction::QuitTray,
            ids::QUIT_ALL => TrayAction::QuitAll,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_id_maps_to_its_action() {
        let rows = [
            ("program:web", Some(TrayAction::ShowProgram("web".into()))),
            (ids::PAUSE_15M, Some(TrayAction::Pause(Some(15)))),
            (ids::PAUSE_1H, Some(TrayAction::Pause(Some(60)))),
            (ids::PAUSE_FOREVER, Some(TrayAction::Pause(None))),
            (ids::RESUME, Some(TrayAction::Resume)),
            (ids::AUTOSTART, Some(TrayAction::ToggleAutostart)),
            (ids::OPEN, Some(TrayAction::Open)),
            (ids::MISSED, Some(TrayAction::Open)),
            (ids::QUIT_TRAY, Some(TrayAction::QuitTray)),
            (ids::QUIT_ALL, Some(TrayAction::QuitAll)),
            (ids::SUMMARY, None),
            ("nonsense", None),
        ];
        for (id, action) in rows {
            assert_eq!(TrayAction::from_id(id), action, "{id}");
        }
    }
}
