use super::*;

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join("applications").join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn entry(name: &str, exec: &str, extra: &str) -> String {
    format!("[Desktop Entry]\nType=Application\nName={name}\nExec={exec}\n{extra}")
}

#[test]
fn reads_name_argv_icon_and_comment() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "org.example.Editor.desktop",
        &entry("Editor", "editor --new-window %U", "Icon=accessories-text-editor\nComment=Edit text\n[Desktop Action new]\nName=Other\nExec=other\n"),
    );
    let apps = scan(&[dir.path().to_owned()]);
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.id, "org.example.Editor.desktop");
    assert_eq!(
        app.name, "Editor",
        "an action's Name must not replace the entry's"
    );
    assert_eq!(app.argv, ["editor", "--new-window"]);
    assert_eq!(app.icon.as_deref(), Some("accessories-text-editor"));
    assert_eq!(app.comment.as_deref(), Some("Edit text"));
}

#[test]
fn skips_hidden_nodisplay_and_non_applications() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.desktop", &entry("A", "a", "NoDisplay=true"));
    write(dir.path(), "b.desktop", &entry("B", "b", "Hidden=true"));
    write(
        dir.path(),
        "c.desktop",
        "[Desktop Entry]\nType=Link\nName=C\nURL=https://example.invalid\n",
    );
    write(dir.path(), "d.desktop", &entry("D", "d", ""));
    write(
        dir.path(),
        "broken.desktop",
        &entry("Broken", "\"unclosed", ""),
    );
    write(
        dir.path(),
        "noexec.desktop",
        "[Desktop Entry]\nType=Application\nName=X\n",
    );
    let names: Vec<String> = scan(&[dir.path().to_owned()])
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["D"]);
}

#[test]
fn the_user_entry_overrides_the_system_one_by_desktop_id() {
    let user = tempfile::tempdir().unwrap();
    let system = tempfile::tempdir().unwrap();
    write(
        user.path(),
        "tool.desktop",
        &entry("My Tool", "tool --mine", ""),
    );
    write(system.path(), "tool.desktop", &entry("Tool", "tool", ""));
    write(
        user.path(),
        "gone.desktop",
        &entry("Gone", "gone", "Hidden=true"),
    );
    write(system.path(), "gone.desktop", &entry("Gone", "gone", ""));
    let apps = scan(&[user.path().to_owned(), system.path().to_owned()]);
    assert_eq!(apps.len(), 1, "{apps:?}");
    assert_eq!(apps[0].argv, ["tool", "--mine"]);
}

#[test]
fn subdirectories_give_dashed_ids_and_results_are_sorted_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kde/konsole.desktop",
        &entry("konsole", "konsole", ""),
    );
    write(dir.path(), "zed.desktop", &entry("Abacus", "abacus", ""));
    let apps = scan(&[dir.path().to_owned()]);
    let ids: Vec<&str> = apps.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["zed.desktop", "kde-konsole.desktop"]);
}

#[test]
fn missing_directories_are_not_an_error() {
    assert!(scan(&[PathBuf::from("/nonexistent/lifeguard-test")]).is_empty());
}

fn session(locale: &str, desktops: &[&str]) -> Session {
    Session {
        locale: lifeguard_service::desktop_entry::Locale::parse(locale),
        desktops: desktops.iter().map(|d| d.to_string()).collect(),
        has: |p| p == "present",
    }
}

#[test]
fn names_and_comments_are_read_in_the_users_locale() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "Name[de]=Rechner\nComment=Calculate\nComment[de_DE]=Rechnen\n";
    write(
        dir.path(),
        "calc.desktop",
        &entry("Calculator", "calc", extra),
    );
    let de = scan_in(&[dir.path().to_owned()], &session("de_DE.UTF-8", &[]));
    assert_eq!(de[0].name, "Rechner");
    assert_eq!(de[0].comment.as_deref(), Some("Rechnen"));
    let en = scan_in(&[dir.path().to_owned()], &session("en_GB.UTF-8", &[]));
    assert_eq!(en[0].name, "Calculator");
    assert_eq!(en[0].comment.as_deref(), Some("Calculate"));
}

#[test]
fn terminal_other_desktop_and_missing_try_exec_entries_are_not_offered() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "top.desktop",
        &entry("Top", "top", "Terminal=true"),
    );
    write(
        dir.path(),
        "kde.desktop",
        &entry("Kde", "k", "OnlyShowIn=KDE;"),
    );
    write(
        dir.path(),
        "nognome.desktop",
        &entry("NoG", "n", "NotShowIn=GNOME;"),
    );
    write(
        dir.path(),
        "gone.desktop",
        &entry("Gone", "g", "TryExec=absent"),
    );
    write(
        dir.path(),
        "here.desktop",
        &entry("Here", "h", "TryExec=present\nOnlyShowIn=GNOME;"),
    );
    let names: Vec<String> = scan_in(&[dir.path().to_owned()], &session("C", &["GNOME"]))
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["Here"]);
}
