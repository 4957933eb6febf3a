//! Icon lookup for desktop entries: an absolute path as is, otherwise the `hicolor`
//! theme (the fallback every theme inherits) and `pixmaps`, PNG or SVG; and a data URL
//! helper, since the webview's CSP allows images only from the bundle or `data:`.

use std::path::{Path, PathBuf};

use base64::Engine;

/// Sizes tried in order: close to what the window shows (32–48 px) first, then larger
/// ones that scale down well, then the scalable SVG, then anything small.
const SIZES: &[&str] = &[
    "48x48", "64x64", "32x32", "96x96", "128x128", "scalable", "256x256", "512x512", "24x24",
    "22x22", "16x16",
];

/// Icon files larger than this are not inlined (a data URL travels over IPC).
const MAX_ICON_BYTES: u64 = 512 * 1024;

/// Finds the file of icon `icon` (a theme name or an absolute path) in the `hicolor`
/// theme or `pixmaps` of `data_dirs` (in priority order), and `~/.icons` when `home` is
/// given.
pub fn resolve_icon(icon: &str, data_dirs: &[PathBuf], home: Option<&Path>) -> Option<PathBuf> {
    let as_path = Path::new(icon);
    if as_path.is_absolute() {
        return as_path.is_file().then(|| as_path.to_owned());
    }
    // A name must not climb out of the icon directories.
    if icon.is_empty() || icon.contains('/') {
        return None;
    }
    let mut theme_roots: Vec<PathBuf> =
        home.map(|h| h.join(".icons/hicolor")).into_iter().collect();
    theme_roots.extend(data_dirs.iter().map(|d| d.join("icons/hicolor")));
    for size in SIZES {
        for root in &theme_roots {
            if let Some(found) = with_extension(&root.join(size).join("apps"), icon) {
                return Some(found);
            }
        }
    }
    data_dirs
        .iter()
        .find_map(|d| with_extension(&d.join("pixmaps"), icon))
}

fn with_extension(dir: &Path, name: &str) -> Option<PathBuf> {
    ["png", "svg"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// The icon file as a `data:` URL for an `<img>`; `None` for other formats or files too
/// large to send to the window.
pub fn icon_data_url(path: &Path) -> Option<String> {
    let mime = match path.extension()?.to_str()? {
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    if std::fs::metadata(path).ok()?.len() > MAX_ICON_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Some(format!("data:{mime};base64,{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"\x89PNG").unwrap();
    }

    #[test]
    fn prefers_a_window_sized_hicolor_icon_and_falls_back_to_pixmaps() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_owned();
        touch(&data.join("icons/hicolor/256x256/apps/tool.png"));
        touch(&data.join("icons/hicolor/48x48/apps/tool.png"));
        touch(&data.join("pixmaps/legacy.png"));
        touch(&data.join("icons/hicolor/scalable/apps/vector.svg"));
        let dirs = [data.clone()];
        assert_eq!(
            resolve_icon("tool", &dirs, None),
            Some(data.join("icons/hicolor/48x48/apps/tool.png"))
        );
        assert_eq!(
            resolve_icon("legacy", &dirs, None),
            Some(data.join("pixmaps/legacy.png"))
        );
        assert_eq!(
            resolve_icon("vector", &dirs, None),
            Some(data.join("icons/hicolor/scalable/apps/vector.svg"))
        );
        assert_eq!(resolve_icon("missing", &dirs, None), None);
        assert_eq!(resolve_icon("../pixmaps/legacy", &dirs, None), None);
    }

    #[test]
    fn the_user_data_dir_comes_first_and_absolute_paths_are_kept() {
        let user = tempfile::tempdir().unwrap();
        let system = tempfile::tempdir().unwrap();
        touch(&user.path().join("icons/hicolor/48x48/apps/app.png"));
        touch(&system.path().join("icons/hicolor/48x48/apps/app.png"));
        let dirs = [user.path().to_owned(), system.path().to_owned()];
        let found = resolve_icon("app", &dirs, None).unwrap();
        assert!(found.starts_with(user.path()));
        assert_eq!(
            resolve_icon(found.to_str().unwrap(), &[], None),
            Some(found.clone())
        );
    }

    #[test]
    fn makes_data_urls_of_png_and_svg_only() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        std::fs::write(&png, b"abc").unwrap();
        assert_eq!(
            icon_data_url(&png).as_deref(),
            Some("data:image/png;base64,YWJj")
        );
        let xpm = dir.path().join("a.xpm");
        std::fs::write(&xpm, b"abc").unwrap();
        assert_eq!(icon_data_url(&xpm), None);
    }
}
