//! The one desktop-entry reader (`.desktop` files: installed applications, autostart
//! entries, a notification's icon): the `[Desktop Entry]` group's keys, values unescaped,
//! localized keys by the user's locale, and the rules that say whether an entry is shown
//! (`Hidden`, `NoDisplay`, `OnlyShowIn`/`NotShowIn`, `TryExec`, `Terminal`).

mod locale;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

pub use locale::Locale;

/// The keys of one entry's `[Desktop Entry]` group (other groups, such as actions, are
/// left out). Of a key given twice the first counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesktopEntry {
    keys: BTreeMap<String, String>,
}

impl DesktopEntry {
    /// Reads an entry's text. Never fails: lines that are not `key=value` are skipped, so
    /// one malformed line does not hide the rest.
    pub fn parse(text: &str) -> DesktopEntry {
        let mut keys = BTreeMap::new();
        let mut in_entry = false;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                in_entry = line == "[Desktop Entry]";
                continue;
            }
            if let (true, Some((k, v))) = (in_entry, line.split_once('=')) {
                keys.entry(k.trim().to_owned())
                    .or_insert_with(|| v.trim().to_owned());
            }
        }
        DesktopEntry { keys }
    }

    /// A string key, unescaped; `None` when missing or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        self.keys
            .get(key)
            .map(|v| unescape_value(v))
            .filter(|v| !v.is_empty())
    }

    /// A localestring key (`Name`, `Comment`) in `locale`: the best of `key[xx_YY@m]`,
    /// `key[xx_YY]`, `key[xx@m]`, `key[xx]`, then the untranslated `key`.
    pub fn localized(&self, key: &str, locale: Option<&Locale>) -> Option<String> {
        locale
            .into_iter()
            .flat_map(Locale::candidates)
            .find_map(|suffix| self.get(&format!("{key}[{suffix}]")))
            .or_else(|| self.get(key))
    }

    /// A boolean key: `true` only when it says `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.keys.get(key).is_some_and(|v| v == "true")
    }

    /// Whether it is an application (`Type=Application`), not a link or a directory.
    pub fn is_application(&self) -> bool {
        self.keys.get("Type").is_some_and(|t| t == "Application")
    }

    /// Whether the entry was deleted by the user (`Hidden=true`).
    pub fn hidden(&self) -> bool {
        self.flag("Hidden")
    }

    /// Whether menus leave it out (`NoDisplay=true`) although it exists.
    pub fn no_display(&self) -> bool {
        self.flag("NoDisplay")
    }

    /// Whether it runs in a terminal (`Terminal=true`): not a window of its own.
    pub fn terminal(&self) -> bool {
        self.flag("Terminal")
    }

    /// Whether it is meant for a session of `desktops` (`$XDG_CURRENT_DESKTOP`):
    /// `OnlyShowIn` must name one of them and `NotShowIn` none.
    pub fn shown_in(&self, desktops: &[&str]) -> bool {
        let names = |k: &str| {
            self.get(k)
                .map(|v| v.split(';').any(|d| desktops.contains(&d)))
        };
        names("OnlyShowIn") != Some(false) && names("NotShowIn") != Some(true)
    }

    /// Whether its `TryExec` program (if it names one) is installed, by `has`.
    pub fn try_exec_ok(&self, has: &dyn Fn(&str) -> bool) -> bool {
        self.get("TryExec").is_none_or(|t| has(&t))
    }
}

/// What decides how an entry reads and whether it is offered in this session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The message locale, for `Name[xx]` and `Comment[xx]`.
    pub locale: Option<Locale>,
    /// The desktops of `$XDG_CURRENT_DESKTOP`, for `OnlyShowIn`/`NotShowIn`.
    pub desktops: Vec<String>,
    /// Whether a `TryExec` program is installed.
    pub has: fn(&str) -> bool,
}

impl Session {
    /// This process's session: its environment and `PATH`.
    pub fn current() -> Session {
        Session {
            locale: Locale::from_env(),
            desktops: current_desktops(),
            has: installed,
        }
    }

    /// Whether the session offers `entry`: not `Hidden`, meant for these desktops, and
    /// its `TryExec` installed (`NoDisplay` and `Terminal` are the caller's to judge).
    pub fn offers(&self, entry: &DesktopEntry) -> bool {
        let desktops: Vec<&str> = self.desktops.iter().map(String::as_str).collect();
        !entry.hidden() && entry.shown_in(&desktops) && entry.try_exec_ok(&self.has)
    }
}

/// The desktops of this session, from `$XDG_CURRENT_DESKTOP` (`ubuntu:GNOME`).
pub fn current_desktops() -> Vec<String> {
    std::env::var("XDG_CURRENT_DESKTOP")
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether a `TryExec` value names an installed executable: a path, or a name on `PATH`.
pub fn installed(program: &str) -> bool {
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        return executable(Path::new(program));
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| executable(&d.join(program))))
}

/// Undoes the escapes every desktop-entry string value may carry (`\s \n \t \r \\`).
pub fn unescape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            // Unknown escapes are kept as written: Exec quoting has its own (`\"`, `\$`).
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
