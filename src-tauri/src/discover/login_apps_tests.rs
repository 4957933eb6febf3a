use super::*;
use std::path::Path;

fn write(dir: &Path, id: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(id), text).unwrap();
}

fn entry(name: &str, extra: &str) -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName={name}\nExec={}-bin --start %U\n{extra}",
        name.to_lowercase()
    )
}

fn names(apps: &[LoginApp]) -> Vec<&str> {
    apps.iter().map(|a| a.name.as_str()).collect()
}

#[test]
fn lists_what_the_session_starts_honouring_hidden_desktops_and_tryexec() {
    let root = tempfile::tempdir().unwrap();
    let (user, system) = (root.path().join("user"), root.path().join("system"));
    write(
        &system,
        "plain.desktop",
        &entry("Plain", "Comment=Starts at login\n"),
    );
    write(
        &system,
        "gnome-only.desktop",
        &entry("GnomeOnly", "OnlyShowIn=GNOME;\n"),
    );
    write(
        &system,
        "xfce-only.desktop",
        &entry("XfceOnly", "OnlyShowIn=XFCE;LXDE;\n"),
    );
    write(
        &system,
        "not-xfce.desktop",
        &entry("NotXfce", "NotShowIn=XFCE;\n"),
    );
    write(
        &system,
        "missing.desktop",
        &entry("Missing", "TryExec=no-such-program\n"),
    );
    write(
        &system,
        "present.desktop",
        &entry("Present", "TryExec=present-program\n"),
    );
    write(&system, "gone.desktop", &entry("Gone", "Hidden=true\n"));
    // The user's copy of an id wins: this one hides the system's entry.
    write(&system, "overridden.desktop", &entry("Overridden", ""));
    write(
        &user,
        "overridden.desktop",
        "[Desktop Entry]\nType=Application\nName=Overridden\nHidden=true\n",
    );
    write(
        &user,
        "mine.desktop",
        &entry("Mine", "X-GNOME-AutoRestart=true\n"),
    );
    write(
        &system,
        "mate.desktop",
        &entry("Mate", "X-MATE-AutoRestart=true\n"),
    );
    write(&system, "notes.txt", "not an entry");

    let dirs = [(user, true), (system, false)];
    let apps = scan(&dirs, &["XFCE"], &|p| p == "present-program");
    assert_eq!(
        names(&apps),
        ["Mate", "Mine", "Plain", "Present", "XfceOnly"]
    );
    let mine = &apps[1];
    assert_eq!(mine.id, "mine.desktop");
    assert_eq!(mine.argv, ["mine-bin", "--start"]);
    assert!(mine.wants_restart && mine.users_own);
    assert!(apps[0].wants_restart && !apps[0].users_own);
    let plain = &apps[2];
    assert!(!plain.wants_restart);
    assert_eq!(plain.comment.as_deref(), Some("Starts at login"));
}

#[test]
fn the_environment_names_the_directories_in_priority_order() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |var: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == var)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let dirs = |d: Vec<(PathBuf, bool)>| -> Vec<(String, bool)> {
        d.into_iter()
            .map(|(p, u)| (p.display().to_string(), u))
            .collect()
    };
    assert_eq!(
        dirs(dirs_from(&env(&[("HOME", "/home/ann")]))),
        [
            ("/home/ann/.config/autostart".to_owned(), true),
            ("/etc/xdg/autostart".to_owned(), false)
        ]
    );
    let set = env(&[
        ("HOME", "/home/ann"),
        ("XDG_CONFIG_HOME", "/cfg"),
        ("XDG_CONFIG_DIRS", "/etc/xdg/xdg-ubuntu:relative:/etc/xdg"),
    ]);
    assert_eq!(
        dirs(dirs_from(&set)),
        [
            ("/cfg/autostart".to_owned(), true),
            ("/etc/xdg/xdg-ubuntu/autostart".to_owned(), false),
            ("/etc/xdg/autostart".to_owned(), false),
        ]
    );
}
