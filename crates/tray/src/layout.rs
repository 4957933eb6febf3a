//! The tray menu as a tree (pure): the same items, in the same order, as the tray always
//! had. `dbusmenu.rs` serves it. Each fixed item keeps its id across rebuilds (program
//! lines are numbered from 100 in order), so a panel that read the menu just before a
//! change and clicks "Launch at login" never hits whatever moved into its place.

use crate::menu::{ids, TrayAction};
use crate::model::TrayView;

/// What kind of line a menu item is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A clickable (or disabled) line.
    Standard,
    /// A check item with its state.
    Check(bool),
    /// A separator.
    Separator,
}

/// One menu item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its dbusmenu id (0 is the root).
    pub id: i32,
    /// The action id of [`crate::menu::ids`], if clicking it does something.
    pub action: Option<String>,
    /// What it says.
    pub label: String,
    /// Whether it can be clicked.
    pub enabled: bool,
    /// Standard, check or separator.
    pub kind: Kind,
    /// A submenu's items.
    pub children: Vec<Item>,
}

/// The whole menu: the root's children, and the revision that numbers this layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Grows by one with every change, as dbusmenu's `LayoutUpdated` says.
    pub revision: u32,
    /// The root item (id 0) holding the menu.
    pub root: Item,
}

impl Layout {
    /// The menu for a view (`None`: not connected yet) and the launch-at-login state.
    pub fn of(view: Option<&TrayView>, at_login: bool, revision: u32) -> Layout {
        let mut b = Builder {
            next_separator: SEPARATORS,
            next_program: PROGRAMS,
        };
        let mut items = Vec::new();
        let summary = view.map_or("Connecting to Lifeguard…", |v| v.summary.as_str());
        items.push(b.item(ids::SUMMARY, summary, false));
        if let Some(view) = view {
            if let Some(missed) = &view.missed {
                items.push(b.item(ids::MISSED, missed, true));
            }
            if !view.programs.is_empty() {
                items.push(b.separator());
            }
            for (id, label) in &view.programs {
                items.push(b.item(&format!("{}{id}", ids::PROGRAM_PREFIX), label, true));
            }
            items.push(b.separator());
            if view.paused {
                items.push(b.item(ids::RESUME, "Resume protection", true));
            } else {
                let mut pause = b.item("pause", "Pause protection", true);
                pause.children = vec![
                    b.item(ids::PAUSE_15M, "For 15 minutes", true),
                    b.item(ids::PAUSE_1H, "For 1 hour", true),
                    b.item(ids::PAUSE_FOREVER, "Until resumed", true),
                ];
                items.push(pause);
            }
        }
        let mut login = b.item(ids::AUTOSTART, "Launch at login", true);
        login.kind = Kind::Check(at_login);
        items.push(login);
        items.push(b.item(ids::OPEN, "Open Lifeguard…", true));
        items.push(b.separator());
        items.push(b.item(ids::QUIT_TRAY, "Quit tray (protection continues)", true));
        items.push(b.item(
            ids::QUIT_ALL,
            "Quit Lifeguard and stop protected programs",
            true,
        ));
        Layout {
            revision,
            root: Item {
                id: 0,
                action: None,
                label: String::new(),
                enabled: true,
                kind: Kind::Standard,
                children: items,
            },
        }
    }

    /// The item with this id, if any.
    pub fn find(&self, id: i32) -> Option<&Item> {
        fn walk(item: &Item, id: i32) -> Option<&Item> {
            if item.id == id {
                return Some(item);
            }
            item.children.iter().find_map(|c| walk(c, id))
        }
        walk(&self.root, id)
    }

    /// What clicking the item with this id asks for.
    pub fn action(&self, id: i32) -> Option<TrayAction> {
        let item = self.find(id)?;
        TrayAction::from_id(item.action.as_deref()?)
    }
}

/// The first id of program lines, and of separators.
const PROGRAMS: i32 = 100;
const SEPARATORS: i32 = 10_000;

/// The fixed items, whose position in this list is their id (from 1).
const FIXED: [&str; 11] = [
    ids::SUMMARY,
    "pause",
    ids::PAUSE_15M,
    ids::PAUSE_1H,
    ids::PAUSE_FOREVER,
    ids::RESUME,
    ids::AUTOSTART,
    ids::OPEN,
    ids::QUIT_TRAY,
    ids::QUIT_ALL,
    ids::MISSED,
];

struct Builder {
    next_separator: i32,
    next_program: i32,
}

impl Builder {
    fn id(&mut self, action: &str) -> i32 {
        match FIXED.iter().position(|fixed| *fixed == action) {
            Some(at) => i32::try_from(at).unwrap_or(0) + 1,
            None => {
                self.next_program += 1;
                self.next_program - 1
            }
        }
    }

    fn item(&mut self, action: &str, label: &str, enabled: bool) -> Item {
        Item {
            id: self.id(action),
            action: Some(action.to_string()),
            label: label.to_string(),
            enabled,
            kind: Kind::Standard,
            children: Vec::new(),
        }
    }

    fn separator(&mut self) -> Item {
        self.next_separator += 1;
        Item {
            id: self.next_separator - 1,
            action: None,
            label: String::new(),
            enabled: true,
            kind: Kind::Separator,
            children: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TrayIcon;

    fn labels(item: &Item, out: &mut Vec<String>) {
        for child in &item.children {
            out.push(child.label.clone());
            labels(child, out);
        }
    }

    #[test]
    fn the_menu_has_every_line_and_each_id_maps_back_to_its_action() {
        let view = TrayView {
            icon: TrayIcon::Ok,
            summary: "1 program protected, running".into(),
            paused: false,
            programs: vec![("web".into(), "web — running".into())],
            missed: None,
        };
        let layout = Layout::of(Some(&view), true, 7);
        let mut all = Vec::new();
        labels(&layout.root, &mut all);
        let texts: Vec<&str> = all
            .iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            texts,
            [
                "1 program protected, running",
                "web — running",
                "Pause protection",
                "For 15 minutes",
                "For 1 hour",
                "Until resumed",
                "Launch at login",
                "Open Lifeguard…",
                "Quit tray (protection continues)",
                "Quit Lifeguard and stop protected programs",
            ]
        );
        let id_of = |label: &str| {
            fn walk(item: &Item, label: &str) -> Option<i32> {
                if item.label == label {
                    return Some(item.id);
                }
                item.children.iter().find_map(|c| walk(c, label))
            }
            walk(&layout.root, label).unwrap()
        };
        assert_eq!(
            layout.action(id_of("web — running")),
            Some(TrayAction::ShowProgram("web".into()))
        );
        assert_eq!(
            layout.action(id_of("For 1 hour")),
            Some(TrayAction::Pause(Some(60)))
        );
        assert_eq!(
            layout.action(id_of("Open Lifeguard…")),
            Some(TrayAction::Open)
        );
        assert_eq!(layout.action(id_of(&view.summary)), None);
        let login = layout.find(id_of("Launch at login")).unwrap();
        assert_eq!(login.kind, Kind::Check(true));
        let paused = TrayView {
            paused: true,
            ..view
        };
        let mut all = Vec::new();
        labels(&Layout::of(Some(&paused), false, 8).root, &mut all);
        assert!(all.contains(&"Resume protection".to_string()));
        assert!(!all.contains(&"Pause protection".to_string()));
    }

    #[test]
    fn missed_restarts_get_a_line_under_the_summary_that_opens_the_window() {
        let view = TrayView {
            icon: TrayIcon::Ok,
            summary: "1 program protected, running".into(),
            paused: false,
            programs: vec![("web".into(), "web — running".into())],
            missed: None,
        };
        let missed = |program: &str, count| lifeguard_service::notify::MissedRestart {
            program: program.into(),
            title: format!("{program} restarted"),
            count,
            at_ms: 1,
        };
        let view = view.with_missed(&[missed("web", 2), missed("db", 1)]);
        let layout = Layout::of(Some(&view), false, 3);
        let line = &layout.root.children[1];
        assert_eq!(line.label, "3 restarts while you were away");
        assert_eq!(layout.action(line.id), Some(TrayAction::Open));
        let none = Layout::of(Some(&view.with_missed(&[])), false, 4);
        assert!(none.root.children.iter().all(|i| !i.label.contains("away")));
    }

    #[test]
    fn launch_at_login_keeps_its_id_when_the_menu_above_it_changes() {
        let login_id = |layout: &Layout| {
            layout
                .root
                .children
                .iter()
                .find(|i| i.label == "Launch at login")
                .map(|i| i.id)
        };
        let view = TrayView {
            icon: TrayIcon::Ok,
            summary: "2 programs protected, all running".into(),
            paused: false,
            programs: vec![("a".into(), "a".into()), ("b".into(), "b".into())],
            missed: None,
        };
        let connecting = Layout::of(None, true, 1);
        let connected = Layout::of(Some(&view), true, 2);
        assert_eq!(login_id(&connecting), login_id(&connected));
        let mut ids = Vec::new();
        fn walk(item: &Item, ids: &mut Vec<i32>) {
            ids.push(item.id);
            item.children.iter().for_each(|c| walk(c, ids));
        }
        walk(&connected.root, &mut ids);
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
    }

    #[test]
    fn before_the_first_snapshot_the_menu_says_it_is_connecting() {
        let layout = Layout::of(None, false, 1);
        assert_eq!(layout.root.children[0].label, "Connecting to Lifeguard…");
        assert!(!layout.root.children[0].enabled);
        assert!(layout
            .root
            .children
            .iter()
            .any(|i| i.label == "Open Lifeguard…"));
    }
}
