//! The graphical session's environment, for programs started by Lifeguard: read from the
//! systemd user manager (`systemctl --user show-environment`) and handed to the engine with
//! `Supervisor::set_session_env`.

use std::collections::BTreeMap;

/// The variables a desktop program needs from its session; only these are taken over.
pub const SESSION_VARS: &[&str] = &[
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "XDG_CURRENT_DESKTOP",
    "XDG_SESSION_TYPE",
];

/// The session variables of the systemd user manager, or `None` where there is none (no
/// `systemctl`, no user manager, or it failed).
pub fn from_systemd_user() -> Option<BTreeMap<String, String>> {
    let mut cmd = std::process::Command::new("systemctl");
    cmd.args(["--user", "show-environment"])
        .stdin(std::process::Stdio::null());
    // Our own child: the daemon's orphan reaper leaves it to us to wait for.
    let out = lifeguard_engine::own_children::output(&mut cmd).ok()?;
    out.status
        .success()
        .then(|| parse(&String::from_utf8_lossy(&out.stdout)))
}

/// Parses `show-environment` output (`KEY=VALUE` lines; values with special characters
/// come as `$'…'` with C escapes), keeping only [`SESSION_VARS`].
pub fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .filter(|(k, _)| SESSION_VARS.contains(k))
        .map(|(k, v)| (k.to_owned(), unquote(v)))
        .collect()
}

fn unquote(v: &str) -> String {
    let Some(inner) = v.strip_prefix("$'").and_then(|v| v.strip_suffix('\'')) else {
        return v.to_owned();
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Keeps only [`SESSION_VARS`] of `vars` (a client's whole environment may be passed).
pub fn keep_session_vars(vars: BTreeMap<String, String>) -> BTreeMap<String, String> {
    vars.into_iter()
        .filter(|(k, _)| SESSION_VARS.contains(&k.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_session_vars_and_unquotes() {
        let text = "HOME=/home/u\nDISPLAY=:0\nWAYLAND_DISPLAY=wayland-0\n\
                    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus\n\
                    XAUTHORITY=$'/tmp/it\\'s'\nPATH=/usr/bin\n";
        let env = super::parse(text);
        assert_eq!(env.len(), 4);
        assert_eq!(env["DISPLAY"], ":0");
        assert_eq!(
            env["DBUS_SESSION_BUS_ADDRESS"],
            "unix:path=/run/user/1000/bus"
        );
        assert_eq!(env["XAUTHORITY"], "/tmp/it's");
        assert!(!env.contains_key("HOME"));
    }
}
