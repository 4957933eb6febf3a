//! Icon lookup through GTK's icon theme: the user's theme (`gtk-icon-theme-name`), the
//! themes it inherits, `hicolor`, then `pixmaps`, exactly as the desktop's own menus find
//! icons. Without a default theme (no display: GTK never started) the hicolor and pixmaps
//! resolver of [`super::icons`] answers instead, and it also answers for a name GTK finds
//! only in a format the window cannot show (XPM) or only inside a resource bundle.
//!
//! GTK is not thread-safe: call these on the thread GTK runs on (Tauri's main thread,
//! `AppHandle::run_on_main_thread`).

#[cfg(target_os = "linux")]
use std::path::Path;
use std::path::PathBuf;

use super::desktop_entries::data_dirs;
use super::icons::resolve_icon;

/// The size asked of the theme: what the rows and the picker show (32–40 px), at 1.25×
/// so a HiDPI window still gets a sharp icon; GTK picks the nearest it has.
const LOOKUP_SIZE: i32 = 48;

/// The file of each icon in `names` (a theme name or an absolute path), `None` where
/// nothing usable is found. Call on GTK's thread.
pub fn find_icon_files(names: &[String]) -> Vec<Option<PathBuf>> {
    let dirs = data_dirs();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let theme = default_theme();
    names
        .iter()
        .map(|name| {
            theme
                .as_ref()
                .and_then(|t| in_theme(t, name))
                .or_else(|| resolve_icon(name, &dirs, home.as_deref()))
        })
        .collect()
}

#[cfg(target_os = "linux")]
type Theme = gtk::IconTheme;
#[cfg(not(target_os = "linux"))]
type Theme = ();

/// The default screen's icon theme, which follows the desktop's settings; `None` when GTK
/// was not started (no display).
#[cfg(target_os = "linux")]
fn default_theme() -> Option<Theme> {
    if !gtk::is_initialized_main_thread() {
        return None;
    }
    gtk::IconTheme::default()
}

#[cfg(not(target_os = "linux"))]
fn default_theme() -> Option<Theme> {
    None
}

/// `name`'s file in `theme`, if it is a PNG or an SVG the window can show.
#[cfg(target_os = "linux")]
pub fn in_theme(theme: &gtk::IconTheme, name: &str) -> Option<PathBuf> {
    use gtk::prelude::IconThemeExt;
    let as_path = Path::new(name);
    if as_path.is_absolute() {
        return as_path.is_file().then(|| as_path.to_owned());
    }
    // A name must not climb out of the icon directories.
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let info = theme.lookup_icon(name, LOOKUP_SIZE, gtk::IconLookupFlags::empty())?;
    let file = info.filename()?;
    let usable = matches!(
        file.extension().and_then(|e| e.to_str()),
        Some("png" | "svg")
    );
    (usable && file.is_file()).then_some(file)
}

/// Elsewhere there is no GTK theme to ask.
#[cfg(not(target_os = "linux"))]
pub fn in_theme(_theme: &Theme, _name: &str) -> Option<PathBuf> {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// An icon only the user's chosen theme has (not hicolor, not pixmaps) is found
    /// through GTK, where the hicolor resolver finds nothing. Needs a display (the tests
    /// run under Xvfb); each test is its own process (nextest), so the environment set
    /// here is GLib's before it first reads it.
    #[test]
    fn finds_an_icon_of_the_users_theme_that_hicolor_lacks() {
        let data = tempfile::tempdir().unwrap();
        let theme_dir = data.path().join("icons/MyTheme");
        std::fs::create_dir_all(theme_dir.join("48x48/apps")).unwrap();
        std::fs::write(
            theme_dir.join("index.theme"),
            "[Icon Theme]\nName=MyTheme\nInherits=hicolor\nDirectories=48x48/apps\n\n\
             [48x48/apps]\nSize=48\nContext=Applications\nType=Fixed\n",
        )
        .unwrap();
        let icon = theme_dir.join("48x48/apps/lg-themed-app.png");
        std::fs::write(&icon, b"\x89PNG\r\n\x1a\n").unwrap();
        let home = tempfile::tempdir().unwrap();
        std::env::set_var("XDG_DATA_DIRS", data.path());
        std::env::set_var("XDG_DATA_HOME", home.path().join("share"));
        std::env::set_var("HOME", home.path());

        let name = "lg-themed-app".to_owned();
        // The old lookup: hicolor and pixmaps only.
        assert_eq!(
            resolve_icon(&name, &data_dirs(), Some(home.path())),
            None,
            "the hicolor resolver must not see a theme's own icon"
        );
        gtk::init().expect("GTK needs a display: run the tests under xvfb-run");
        let settings = gtk::Settings::default().expect("GTK settings of the default screen");
        use gtk::prelude::GtkSettingsExt;
        settings.set_gtk_icon_theme_name(Some("MyTheme"));

        assert_eq!(find_icon_files(&[name]), vec![Some(icon)]);
        assert_eq!(find_icon_files(&["lg-no-such-icon".to_owned()]), vec![None]);
    }
}
