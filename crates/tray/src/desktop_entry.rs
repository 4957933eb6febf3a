//! Reading and writing the few freedesktop desktop-entry keys Lifeguard's autostart
//! entry needs, with the spec's quoting rules for `Exec`.

use std::path::Path;

/// The autostart entry for `exe`, turned on or off (`Hidden=true`).
pub fn autostart(exe: &Path, icon: &str, enabled: bool) -> Result<String, String> {
    let exe = exe
        .to_str()
        .filter(|s| !s.contains(['\n', '\r']))
        .ok_or_else(|| format!("cannot name {} in a desktop entry", exe.display()))?;
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Lifeguard\n\
         Comment=Keeps the programs you chose running\n\
         Exec={} {}\n\
         TryExec={}\n\
         Icon={icon}\n\
         Terminal=false\n\
         Categories=Utility;\n\
         X-GNOME-Autostart-enabled={enabled}\n\
         Hidden={}\n",
        quote_exec(exe),
        crate::HIDDEN_FLAG,
        escape_string(exe),
        !enabled,
    ))
}

/// An `Exec` argument in double quotes: `"`, `` ` ``, `$` and `\` get a backslash, then
/// the string escape doubles every backslash; `%` becomes `%%` (not a field code).
pub fn quote_exec(arg: &str) -> String {
    let mut quoted = String::from("\"");
    for c in arg.chars() {
        match c {
            '"' | '`' | '$' => {
                quoted.push_str("\\\\");
                quoted.push(c);
            }
            '\\' => quoted.push_str("\\\\\\\\"),
            '%' => quoted.push_str("%%"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn escape_string(value: &str) -> String {
    value.replace('\\', "\\\\")
}

fn value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut in_main = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_main = line == "[Desktop Entry]";
        } else if in_main {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == key {
                    return Some(v.trim());
                }
            }
        }
    }
    None
}

/// Whether an entry starts at login: not `Hidden`, not turned off by GNOME's switch.
pub fn enabled(text: &str) -> bool {
    value(text, "Hidden") != Some("true")
        && value(text, "X-GNOME-Autostart-enabled") != Some("false")
}

/// The entry's `TryExec`, unescaped.
pub fn try_exec(text: &str) -> Option<String> {
    value(text, "TryExec").map(|v| v.replace("\\\\", "\\"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_quotes_exec_and_names_icon_and_binary() {
        let text = autostart(Path::new("/opt/my apps/lifeguard-desktop"), "org.x.Y", true).unwrap();
        assert!(
            text.contains("Exec=\"/opt/my apps/lifeguard-desktop\" --hidden\n"),
            "{text}"
        );
        assert!(text.contains("TryExec=/opt/my apps/lifeguard-desktop\n"));
        assert!(text.contains("Icon=org.x.Y\n"));
        assert!(text.contains("Comment=Keeps the programs you chose running\n"));
        assert!(enabled(&text));
        assert!(!enabled(
            &autostart(Path::new("/usr/bin/x"), "i", false).unwrap()
        ));
        assert_eq!(
            try_exec(&text).as_deref(),
            Some("/opt/my apps/lifeguard-desktop")
        );
    }

    #[test]
    fn exec_quoting_follows_the_spec() {
        assert_eq!(quote_exec("/a/b"), "\"/a/b\"");
        assert_eq!(quote_exec("/a$b"), "\"/a\\\\$b\"");
        assert_eq!(quote_exec("/100%"), "\"/100%%\"");
        assert_eq!(quote_exec("/a\\b"), "\"/a\\\\\\\\b\"");
    }

    #[test]
    fn gnome_switch_and_hidden_turn_an_entry_off() {
        assert!(!enabled(
            "[Desktop Entry]\nExec=x\nX-GNOME-Autostart-enabled=false\n"
        ));
        assert!(!enabled("[Desktop Entry]\nHidden=true\n"));
        assert!(enabled(
            "[Desktop Entry]\nExec=x\n[Desktop Action a]\nHidden=true\n"
        ));
    }

    #[test]
    fn a_path_with_a_newline_is_refused() {
        assert!(autostart(Path::new("/a\nb"), "i", true).is_err());
    }
}
