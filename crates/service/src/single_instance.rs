//! Single-instance apps: finding the copy already running that a start handed its request
//! to (it exits 0 at once and leaves nothing), so the engine watches that copy instead of
//! leaving the program unprotected ([`lifeguard_engine::FindCopy`]), and so picking an
//! installed application that already runs adopts it instead of starting another.
//!
//! Two ways, in order: the owner of the app's D-Bus name, for an app whose desktop entry
//! says `DBusActivatable=true` (its bus name is its desktop id: the freedesktop rule);
//! then the oldest process of this user running the same executable in the same session
//! (the same `HOME` and session bus, where both are known). Never a process
//! marked as another program's instance, never one of another user, and never a shell or
//! interpreter found by executable alone (any `sh` would match `sh -c …`).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lifeguard_engine::{procfs, Identity, ProgramSpec, PROGRAM_VAR};

/// Executables that run other programs: matching a running copy by executable alone
/// would take an unrelated process of the same interpreter.
const RUNS_OTHERS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "zsh",
    "fish",
    "ksh",
    "mksh",
    "csh",
    "tcsh",
    "env",
    "python",
    "python3",
    "perl",
    "ruby",
    "node",
    "java",
    "flatpak",
    "snap",
    "gtk-launch",
    "gio",
    "xdg-open",
    "setsid",
    "nohup",
    "nice",
    "ionice",
    "taskset",
    "systemd-run",
    "dbus-launch",
];

/// What ties a process to a desktop session: a copy with other values is another session's.
const SESSION_VARS: &[&str] = &["HOME", "DBUS_SESSION_BUS_ADDRESS"];

/// How long a bus lookup may take before the executable match is used instead.
const BUS_TIMEOUT: Duration = Duration::from_millis(500);

/// The copy of `spec` already running: the owner of the bus name of `desktop_id` (when
/// its entry is D-Bus activatable), else the oldest process of this user running the
/// same executable. Blocking (reads `/proc`, asks the session bus): quick, bounded by
/// [`BUS_TIMEOUT`].
pub fn find_copy(spec: &ProgramSpec, desktop_id: Option<&str>) -> Option<Identity> {
    find_copy_in(spec, desktop_id, &data_dirs())
}

/// [`find_copy`] with the desktop entries looked up in `data_dirs` (each holding an
/// `applications` directory) instead of the XDG data directories.
pub fn find_copy_in(
    spec: &ProgramSpec,
    desktop_id: Option<&str>,
    data_dirs: &[PathBuf],
) -> Option<Identity> {
    let by_bus = desktop_id
        .and_then(|id| bus_name(id, data_dirs))
        .and_then(|name| bus_owner(&name))
        .and_then(|pid| candidate(pid, spec, None));
    by_bus.or_else(|| by_executable(spec))
}

/// The oldest process of this user running what `spec.argv[0]` names.
pub fn by_executable(spec: &ProgramSpec) -> Option<Identity> {
    let exe = executable(spec)?;
    let name = exe.file_name()?.to_str()?;
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if RUNS_OTHERS.contains(&name) || RUNS_OTHERS.contains(&base) {
        return None;
    }
    lifeguard_engine::inspect::all_pids()
        .into_iter()
        .filter_map(|pid| candidate(pid, spec, Some(&exe)))
        .min_by_key(|who| (who.start_time, who.pid))
}

/// `pid` as a copy of `spec` to watch: alive, this user's, not this process, not another
/// program's instance, and (with `exe`) running that executable.
fn candidate(pid: u32, spec: &ProgramSpec, exe: Option<&Path>) -> Option<Identity> {
    let dir = PathBuf::from(format!("/proc/{pid}"));
    if pid == std::process::id() || dir.metadata().ok()?.uid() != crate::server::euid() {
        return None;
    }
    if let Some(exe) = exe {
        if std::fs::read_link(dir.join("exe")).ok()? != exe {
            return None;
        }
    }
    let stat = lifeguard_engine::inspect::stat(pid)?;
    if stat.is_zombie() {
        return None;
    }
    let environ = procfs::environ(&std::fs::read(dir.join("environ")).unwrap_or_default());
    if environ
        .get(PROGRAM_VAR)
        .is_some_and(|p| p != spec.id.as_str())
    {
        return None;
    }
    // Another session of the same user (another home, another session bus) has copies
    // of its own: a single-instance app hands over within its session only.
    let elsewhere = SESSION_VARS.iter().any(|var| {
        let ours = std::env::var(var).ok();
        matches!((ours, environ.get(*var)), (Some(a), Some(b)) if &a != b)
    });
    if elsewhere {
        return None;
    }
    Some(Identity {
        pid,
        start_time: stat.start_time,
    })
}

/// What `argv[0]` names: a path (relative to the spec's cwd) or a name on `PATH`.
pub(crate) fn executable(spec: &ProgramSpec) -> Option<PathBuf> {
    let first = Path::new(spec.argv.first()?);
    if first.components().count() > 1 {
        let path = match &spec.cwd {
            Some(cwd) if first.is_relative() => cwd.join(first),
            _ => first.to_owned(),
        };
        return std::fs::canonicalize(path).ok();
    }
    let path = spec
        .env
        .get("PATH")
        .cloned()
        .or_else(|| std::env::var("PATH").ok())?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(first))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::canonicalize(p).ok())
}

/// The XDG data directories, the user's first (`$XDG_DATA_HOME`, `$XDG_DATA_DIRS`).
fn data_dirs() -> Vec<PathBuf> {
    let user = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    let system = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_owned());
    user.into_iter()
        .chain(std::env::split_paths(&system).filter(|p| p.is_absolute()))
        .collect()
}

/// The bus name of the desktop entry `desktop_id` when the first entry of that id in
/// `dirs` says `DBusActivatable=true`: the id without `.desktop`.
pub fn bus_name(desktop_id: &str, dirs: &[PathBuf]) -> Option<String> {
    let text = dirs
        .iter()
        .find_map(|d| std::fs::read_to_string(d.join("applications").join(desktop_id)).ok())?;
    let activatable = text
        .lines()
        .skip_while(|l| l.trim() != "[Desktop Entry]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('='))
        .any(|(k, v)| k.trim() == "DBusActivatable" && v.trim() == "true");
    let name = desktop_id.strip_suffix(".desktop")?;
    (activatable && name.contains('.')).then(|| name.to_owned())
}

/// The pid of the session bus connection owning `name`, asked on a thread of its own
/// (the engine calls the hook from its runtime's thread, which a bus call must not
/// block on) and given up after [`BUS_TIMEOUT`].
fn bus_owner(name: &str) -> Option<u32> {
    let (tx, rx) = std::sync::mpsc::channel();
    let name = name.to_owned();
    std::thread::Builder::new()
        .name("lifeguard-bus-owner".into())
        .spawn(move || {
            let pid = zbus::block_on(async move {
                let conn = zbus::Connection::session().await.ok()?;
                let reply = conn
                    .call_method(
                        Some("org.freedesktop.DBus"),
                        "/org/freedesktop/DBus",
                        Some("org.freedesktop.DBus"),
                        "GetConnectionUnixProcessID",
                        &(name.as_str(),),
                    )
                    .await
                    .ok()?;
                reply.body().deserialize::<u32>().ok()
            });
            let _ = tx.send(pid);
        })
        .ok()?;
    rx.recv_timeout(BUS_TIMEOUT).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dbus_activatable_entry_names_its_bus_name() {
        let dir = tempfile::tempdir().unwrap();
        let apps = dir.path().join("applications");
        std::fs::create_dir_all(&apps).unwrap();
        let entry = |activatable: &str| {
            format!("[Desktop Entry]\nType=Application\nName=Pad\nExec=pad\nDBusActivatable={activatable}\n[Desktop Action new]\nDBusActivatable=true\n")
        };
        std::fs::write(apps.join("org.example.Pad.desktop"), entry("true")).unwrap();
        std::fs::write(apps.join("org.example.Plain.desktop"), entry("false")).unwrap();
        std::fs::write(apps.join("pad.desktop"), entry("true")).unwrap();
        let dirs = [dir.path().to_owned()];
        assert_eq!(
            bus_name("org.example.Pad.desktop", &dirs).as_deref(),
            Some("org.example.Pad")
        );
        assert_eq!(bus_name("org.example.Plain.desktop", &dirs), None);
        // Not a well-known name: a bus name needs at least two elements.
        assert_eq!(bus_name("pad.desktop", &dirs), None);
        assert_eq!(bus_name("missing.desktop", &dirs), None);
    }

    #[test]
    fn shells_and_interpreters_are_never_matched_by_executable_alone() {
        for argv in [["sh", "-c", "sleep 1"], ["python3", "-m", "http.server"]] {
            let spec = ProgramSpec::build("x", argv).unwrap();
            assert_eq!(by_executable(&spec), None, "{argv:?}");
        }
    }
}
