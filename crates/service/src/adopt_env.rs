//! Which variables of a picked process's environment are kept for it when it is adopted
//! (`add` with `adopt`). What is kept is written to config.toml and sent to every client
//! in `list` answers and events, so it is an allow-list of what desktop and terminal
//! programs need to run in their session — never every variable the process happened to
//! have (API tokens, `AWS_SECRET_ACCESS_KEY`, passwords). Documented in
//! docs/protocol.md (`add`); a program that needs more gets it from `env` in its entry.

/// Variables kept by name.
pub const KEEP: &[&str] = &[
    // The display and session bus it talks to.
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "DESKTOP_SESSION",
    "SESSION_MANAGER",
    // Who and where it runs.
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "PATH",
    "TMPDIR",
    // Language and time.
    "LANG",
    "LANGUAGE",
    "TZ",
    // Terminals and the tools they start.
    "TERM",
    "COLORTERM",
    "EDITOR",
    "VISUAL",
    "PAGER",
    // Input methods.
    "GTK_IM_MODULE",
    "QT_IM_MODULE",
    "XMODIFIERS",
    // Agent sockets: paths, not secrets, and what lets it sign and unlock as before.
    "SSH_AUTH_SOCK",
    "GPG_AGENT_INFO",
];

/// Variables kept by prefix: the XDG base and session directories, locale categories,
/// and toolkit settings (scaling, theme, platform).
pub const KEEP_PREFIXES: &[&str] = &["XDG_", "LC_", "GTK_", "GDK_", "QT_", "KDE_", "GNOME_"];

/// Words that mark a secret: a variable whose name holds one is never kept, whatever the
/// lists above say (`XDG_…_TOKEN`, `GNOME_KEYRING_PASSWORD`…).
pub const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "CREDENTIAL",
    "COOKIE",
    "APIKEY",
    "API_KEY",
    "PRIVATE",
];

/// Whether the variable `name` of a picked process is kept for it.
pub fn keep(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let secret = SECRET_WORDS.iter().any(|w| upper.contains(w))
        || upper.ends_with("_KEY")
        || upper.contains("_KEY_")
        || upper.starts_with("AWS_");
    let listed = KEEP.contains(&name) || KEEP_PREFIXES.iter().any(|p| name.starts_with(p));
    listed && !secret
}

#[cfg(test)]
mod tests {
    use super::keep;

    #[test]
    fn session_variables_are_kept_and_secrets_never() {
        for name in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "DBUS_SESSION_BUS_ADDRESS",
            "XDG_RUNTIME_DIR",
            "XDG_CURRENT_DESKTOP",
            "LANG",
            "LC_ALL",
            "LC_PAPER",
            "PATH",
            "HOME",
            "GDK_SCALE",
            "QT_QPA_PLATFORM",
        ] {
            assert!(keep(name), "{name} should be kept");
        }
        for name in [
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SESSION_TOKEN",
            "OPENAI_API_KEY",
            "MY_PASSWORD",
            "PGPASSWORD",
            "DB_PASSWD",
            "XDG_SECRET_THING",
            "GNOME_KEYRING_PASSWORD",
            "GTK_PRIVATE_KEY",
            "STRIPE_KEY",
            "HTTP_PROXY",
            "SOME_PROGRAM_SETTING",
            "LD_PRELOAD",
            "display",
        ] {
            assert!(!keep(name), "{name} must not be kept");
        }
    }
}
