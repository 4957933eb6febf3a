//! The icon of a program picked from the applications menu: its desktop entry's `Icon=`
//! (a theme icon name or an absolute path), found the way the menu finds the entry, in
//! `$XDG_DATA_HOME/applications` first, then each of `$XDG_DATA_DIRS`.

use std::path::{Path, PathBuf};

/// The `Icon=` of the desktop entry `desktop_id` (`org.gnome.TextEditor.desktop`), if
/// the entry is installed and names one.
pub fn of_desktop_entry(desktop_id: &str) -> Option<String> {
    in_dirs(desktop_id, &data_dirs())
}

/// [`of_desktop_entry`] in the given data directories (in priority order).
pub fn in_dirs(desktop_id: &str, dirs: &[PathBuf]) -> Option<String> {
    let id = desktop_id.strip_suffix(".desktop").unwrap_or(desktop_id);
    if id.is_empty() || id.contains("..") || id.starts_with('/') {
        return None;
    }
    // The spec's ids: `a-b.desktop` may also be `applications/a/b.desktop`.
    let nested = id.replacen('-', "/", 1);
    dirs.iter()
        .flat_map(|d| {
            let apps = d.join("applications");
            [
                apps.join(format!("{id}.desktop")),
                apps.join(format!("{nested}.desktop")),
            ]
        })
        .find_map(|file| std::fs::read_to_string(file).ok())
        .and_then(|text| crate::desktop_entry::DesktopEntry::parse(&text).get("Icon"))
}

fn data_dirs() -> Vec<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let home = var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| Path::new(&h).join(".local/share")));
    let system = var("XDG_DATA_DIRS")
        .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .unwrap_or_else(|| vec!["/usr/local/share".into(), "/usr/share".into()]);
    home.into_iter().chain(system).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon_key(text: &str) -> Option<String> {
        crate::desktop_entry::DesktopEntry::parse(text).get("Icon")
    }

    #[test]
    fn reads_the_entrys_icon_not_an_actions() {
        let text = "[Desktop Entry]\nName=Mousepad\nIcon=org.xfce.mousepad\n\
                    [Desktop Action new]\nIcon=other\n";
        assert_eq!(icon_key(text).as_deref(), Some("org.xfce.mousepad"));
        assert_eq!(icon_key("[Desktop Action x]\nIcon=a\n"), None);
    }

    #[test]
    fn finds_the_entry_in_the_first_dir_that_has_it() {
        let a = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let b = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for (dir, icon) in [(&a, "from-a"), (&b, "from-b")] {
            let apps = dir.path().join("applications/vendor");
            std::fs::create_dir_all(&apps).unwrap_or_else(|e| panic!("{e}"));
            let entry = format!("[Desktop Entry]\nIcon={icon}\n");
            std::fs::write(apps.join("app.desktop"), entry).unwrap_or_else(|e| panic!("{e}"));
        }
        let dirs = [a.path().to_owned(), b.path().to_owned()];
        assert_eq!(
            in_dirs("vendor-app.desktop", &dirs).as_deref(),
            Some("from-a")
        );
        assert_eq!(in_dirs("missing.desktop", &dirs), None);
        assert_eq!(in_dirs("../etc/passwd", &dirs), None);
    }
}
