use super::*;

const DE: &str = "[Desktop Entry]\nType=Application\nName=Files\nName[de]=Dateien\n\
Name[de_AT]=Dateien (AT)\nName[sr@latin]=Datoteke\nComment=Browse\nComment[de]=Durchsuchen\n\
Exec=files\n[Desktop Action new]\nName[de]=Neu\nExec=other\n";

fn locale(v: &str) -> Option<Locale> {
    Locale::parse(v)
}

#[test]
fn localized_name_follows_the_locale_most_specific_first() {
    let e = DesktopEntry::parse(DE);
    let name = |l: &str| e.localized("Name", locale(l).as_ref());
    assert_eq!(name("de_AT.UTF-8").as_deref(), Some("Dateien (AT)"));
    assert_eq!(
        name("de_DE.UTF-8").as_deref(),
        Some("Dateien"),
        "falls back to lang"
    );
    assert_eq!(name("de").as_deref(), Some("Dateien"));
    assert_eq!(
        name("sr_RS@latin").as_deref(),
        Some("Datoteke"),
        "lang@modifier"
    );
    assert_eq!(
        name("fr_FR.UTF-8").as_deref(),
        Some("Files"),
        "untranslated"
    );
    assert_eq!(name("C").as_deref(), Some("Files"));
    assert_eq!(e.localized("Name", None).as_deref(), Some("Files"));
    assert_eq!(
        e.localized("Comment", locale("de_CH").as_ref()).as_deref(),
        Some("Durchsuchen")
    );
}

#[test]
fn locale_comes_from_lc_all_then_lc_messages_then_lang() {
    let vars = |all: &'static str, msgs: &'static str, lang: &'static str| {
        move |k: &str| {
            let v = match k {
                "LC_ALL" => all,
                "LC_MESSAGES" => msgs,
                "LANG" => lang,
                _ => "",
            };
            Some(v.to_owned())
        }
    };
    let de = locale("de");
    assert_eq!(Locale::from_vars(&vars("de.UTF-8", "fr", "en_US")), de);
    assert_eq!(Locale::from_vars(&vars("", "de_DE", "fr")), locale("de_DE"));
    assert_eq!(Locale::from_vars(&vars("", "", "de")), de);
    assert_eq!(Locale::from_vars(&vars("", "", "")), None);
    assert_eq!(Locale::from_vars(&vars("POSIX", "de", "de")), None);
}

#[test]
fn only_the_main_group_counts_and_the_first_key_wins() {
    let e = DesktopEntry::parse("[Desktop Action x]\nName=Action\n[Desktop Entry]\nName=Real\nName=Dup\nbroken line\nIcon= \n");
    assert_eq!(e.get("Name").as_deref(), Some("Real"));
    assert_eq!(e.get("Icon"), None, "an empty value is no value");
    assert_eq!(
        e.localized("Name", locale("de").as_ref()).as_deref(),
        Some("Real")
    );
}

#[test]
fn only_show_in_and_not_show_in_follow_the_current_desktop() {
    let only = DesktopEntry::parse("[Desktop Entry]\nOnlyShowIn=GNOME;Unity;\n");
    assert!(only.shown_in(&["ubuntu", "GNOME"]));
    assert!(!only.shown_in(&["KDE"]));
    assert!(!only.shown_in(&[]));
    let not = DesktopEntry::parse("[Desktop Entry]\nNotShowIn=KDE;\n");
    assert!(not.shown_in(&["GNOME"]));
    assert!(!not.shown_in(&["KDE"]));
    assert!(DesktopEntry::parse("[Desktop Entry]\n").shown_in(&["KDE"]));
}

#[test]
fn try_exec_needs_the_program_installed() {
    let e = DesktopEntry::parse("[Desktop Entry]\nTryExec=sh\n");
    assert!(e.try_exec_ok(&installed), "sh is on PATH");
    let gone = DesktopEntry::parse("[Desktop Entry]\nTryExec=/nonexistent/lg-nope\n");
    assert!(!gone.try_exec_ok(&installed));
    let none = DesktopEntry::parse("[Desktop Entry]\n");
    assert!(none.try_exec_ok(&|_| false), "no TryExec, nothing to check");
}

#[test]
fn hidden_no_display_terminal_and_type_are_read() {
    let e = DesktopEntry::parse(
        "[Desktop Entry]\nType=Application\nHidden=true\nNoDisplay=true\nTerminal=true\n",
    );
    assert!(e.is_application() && e.hidden() && e.no_display() && e.terminal());
    let plain = DesktopEntry::parse("[Desktop Entry]\nType=Link\nHidden=false\nTerminal=false\n");
    assert!(!plain.is_application() && !plain.hidden() && !plain.no_display());
    assert!(!plain.terminal());
}

#[test]
fn values_are_unescaped() {
    assert_eq!(unescape_value(r"a\sb\\c\n"), "a b\\c\n");
    assert_eq!(unescape_value(r#"say \"hi\""#), r#"say \"hi\""#);
}
