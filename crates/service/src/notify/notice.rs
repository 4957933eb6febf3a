//! The values the pure decision passes to the sender: what to show, and what it replaces.

use std::collections::HashMap;

use lifeguard_engine::ProgramId;

use crate::config::Config;

/// Which popup a notice is, so a later notice can replace it (the sender keeps the server's
/// id under this key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// The popup about one program (its restarts, then maybe its giving up).
    Program(ProgramId),
    /// The mass-restart summary.
    Summary,
    /// The "protection paused" notice.
    Pause,
}

/// One popup's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key the sender remembers this popup's server id under.
    pub key: Key,
    /// The title line, e.g. "Firefox restarted".
    pub summary: String,
    /// The plain-words body.
    pub body: String,
    /// Icon name or path, when known.
    pub icon: Option<String>,
    /// Stays until dismissed (gave up) rather than timing out.
    pub critical: bool,
    /// Its buttons: "Try again" for a program that gave up; "Wait", "Restart", "Stop
    /// protecting" for one that is not responding.
    pub actions: Option<Actions>,
}

/// One button of a popup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Button {
    /// Start a program that gave up again.
    TryAgain,
    /// Leave it be (the popup goes away).
    Wait,
    /// Restart it (with its stop signal and grace).
    Restart,
    /// Stop protecting it, leaving it running.
    StopProtecting,
}

impl Button {
    /// Every button.
    pub const ALL: [Button; 4] = [
        Button::TryAgain,
        Button::Wait,
        Button::Restart,
        Button::StopProtecting,
    ];

    /// The action key sent to the server (and back in `ActionInvoked`).
    pub fn key(self) -> &'static str {
        match self {
            Button::TryAgain => super::RETRY_ACTION,
            Button::Wait => "wait",
            Button::Restart => "restart",
            Button::StopProtecting => "stop-protecting",
        }
    }

    /// The label shown.
    pub fn label(self) -> &'static str {
        match self {
            Button::TryAgain => "Try again",
            Button::Wait => "Wait",
            Button::Restart => "Restart",
            Button::StopProtecting => "Stop protecting",
        }
    }

    /// The button whose key is `key`.
    pub fn from_key(key: &str) -> Option<Button> {
        Button::ALL.into_iter().find(|b| b.key() == key)
    }
}

/// The buttons of a notice and the program they act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actions {
    /// The program the buttons act on.
    pub program: ProgramId,
    /// The buttons, in order.
    pub buttons: Vec<Button>,
    /// Appended to the body instead when the server does not advertise actions.
    pub fallback: String,
}

/// What to show for an event or a flush. No decision at all is an empty list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A new popup.
    Show(Notice),
    /// Update the popup remembered under `id_of` (`replaces_id`); a new one if there is none.
    Replace {
        /// The key whose server id is replaced.
        id_of: Key,
        /// The new content (remembered under its own key afterwards).
        notice: Notice,
    },
    /// One summary instead of several programs' popups: it replaces the first of `replaces`
    /// the sender knows an id for (the others time out on their own).
    Summary {
        /// Popups this summary stands for, most recent first.
        replaces: Vec<Key>,
        /// The summary's content.
        notice: Notice,
    },
    /// The crash-loop breaker gave up (replaces the program's restart popup, if any).
    GaveUp(Notice),
    /// Protection was paused: one notice instead of one per kill it leaves alone.
    PausedNotice(Notice),
}

impl Decision {
    /// The content to show.
    pub fn notice(&self) -> &Notice {
        match self {
            Decision::Show(n) | Decision::GaveUp(n) | Decision::PausedNotice(n) => n,
            Decision::Replace { notice, .. } | Decision::Summary { notice, .. } => notice,
        }
    }

    /// The keys whose server ids this notice should replace, in order of preference.
    pub fn replaces(&self) -> Vec<Key> {
        match self {
            Decision::Show(_) => Vec::new(),
            Decision::Replace { id_of, .. } => vec![id_of.clone()],
            Decision::Summary { replaces, .. } => replaces.clone(),
            Decision::GaveUp(n) | Decision::PausedNotice(n) => vec![n.key.clone()],
        }
    }
}

/// The notification preferences, from the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefs {
    /// `settings.notifications`: the global switch.
    pub enabled: bool,
    /// Per-program switches and icons; programs not listed notify, without an icon.
    pub programs: HashMap<ProgramId, ProgramPrefs>,
}

/// One program's notification preferences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramPrefs {
    /// `notify` in its `[[program]]` entry.
    pub notify: bool,
    /// Its icon: `icon`, else its desktop entry's `Icon=`, else the entry's name.
    pub icon: Option<String>,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            enabled: true,
            programs: HashMap::new(),
        }
    }
}

impl Prefs {
    /// The preferences a config file sets. A program picked from the applications menu
    /// gets its desktop entry's icon (read from the installed entry, as the menu shows it).
    pub fn from_config(config: &Config) -> Self {
        Self::from_config_with(config, super::icon::of_desktop_entry)
    }

    /// [`Prefs::from_config`] with the desktop entries' icons looked up by `entry_icon`.
    pub fn from_config_with(config: &Config, entry_icon: impl Fn(&str) -> Option<String>) -> Self {
        let programs = config
            .program
            .iter()
            .map(|p| {
                // An `icon` of its own wins; then the entry's `Icon=`; then the entry's
                // name, which is usually also its icon's (`firefox.desktop` → `firefox`).
                let from_entry = p.options.desktop_id.as_deref().map(|d| {
                    entry_icon(d)
                        .unwrap_or_else(|| d.strip_suffix(".desktop").unwrap_or(d).to_owned())
                });
                let prefs = ProgramPrefs {
                    notify: p.options.notify,
                    icon: p.options.icon.clone().or(from_entry),
                };
                (p.spec.id.clone(), prefs)
            })
            .collect();
        Self {
            enabled: config.settings.notifications,
            programs,
        }
    }

    /// Whether to notify about this program.
    pub fn notifies(&self, id: &ProgramId) -> bool {
        self.enabled && self.programs.get(id).is_none_or(|p| p.notify)
    }

    /// This program's icon, if known.
    pub fn icon(&self, id: &ProgramId) -> Option<String> {
        self.programs.get(id).and_then(|p| p.icon.clone())
    }
}

/// The current time as the pure decision needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Milliseconds since the Unix epoch (like [`lifeguard_engine::Event::ts`]).
    pub ms: u64,
    /// The local offset from UTC in seconds, so "today" is the person's day.
    pub utc_offset_s: i32,
}

impl Now {
    /// The local day number (days since the epoch, local time).
    pub fn day(&self) -> i64 {
        let local_ms = self.ms as i64 + i64::from(self.utc_offset_s) * 1000;
        local_ms.div_euclid(86_400_000)
    }
}
