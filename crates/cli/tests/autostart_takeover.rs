//! Apps the desktop starts at login (XDG autostart), taken over by Lifeguard: `lifeguard
//! add --takes-over ID.desktop` writes a `Hidden=true` override in the user's autostart
//! directory, so the session starts no second copy at login while the daemon starts
//! one; `lifeguard remove` gives the entry back (the user's own file word for word, or
//! none). "The session" is systemd's real XDG autostart generator, pointed at the test's
//! directories (`$XDG_CONFIG_HOME`, and `$XDG_CONFIG_DIRS` as the system's), whose units'
//! commands the test starts as a login would.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Child;

use common::procs::{count_settles, kill_tagged, tagged, unique};
use common::{testprog, text, wait_for, Env};

const GENERATOR: &str = "/usr/lib/systemd/user-generators/systemd-xdg-autostart-generator";
const ID: &str = "lg-takeover.desktop";

/// Kills the tagged processes and the session's children when the test ends.
struct Cleanup(String, Vec<Child>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        kill_tagged(&self.0);
        for c in &mut self.1 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A user environment whose "system" autostart directory is the test's own.
fn env_with_system(system: &Path) -> Env {
    let mut env = Env::new(None);
    env.vars
        .push(("XDG_CONFIG_DIRS".into(), system.display().to_string()));
    env
}

/// A login: the commands of the autostart units the generator makes, each started.
fn login(env: &Env, cleanup: &mut Cleanup) -> usize {
    assert!(
        Path::new(GENERATOR).exists(),
        "{GENERATOR} is missing: install systemd (scripts/install-deps.sh --test)"
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path();
    let status = env
        .command(Path::new(GENERATOR))
        .args([dir, dir, dir])
        .status()
        .unwrap();
    assert!(status.success());
    let wants = dir.join("xdg-desktop-autostart.target.wants");
    let units: Vec<PathBuf> = std::fs::read_dir(&wants)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    for unit in &units {
        let text = std::fs::read_to_string(dir.join(unit.file_name().unwrap())).unwrap();
        let exec = text
            .lines()
            .find_map(|l| l.strip_prefix("ExecStart="))
            .unwrap();
        let argv: Vec<&str> = exec
            .trim_start_matches([':', '-', '@'])
            .split(' ')
            .collect();
        let child = env
            .command(Path::new(argv[0]))
            .args(&argv[1..])
            .spawn()
            .unwrap();
        cleanup.1.push(child);
    }
    units.len()
}

fn system_entry(system: &Path, tag: &str) -> (PathBuf, String) {
    let dir = system.join("autostart");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "[Desktop Entry]\nType=Application\nName=Takeover Sample\nExec={} --tag {tag}\n\
         X-GNOME-AutoRestart=true\n",
        testprog()
    );
    let path = dir.join(ID);
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn add(env: &Env, tag: &str) {
    let prog = testprog();
    let out = env.cli(&[
        "add",
        "--id",
        "sample",
        "--takes-over",
        ID,
        "--",
        &prog,
        "--tag",
        tag,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_login_app_taken_over_starts_once_at_login_and_is_given_back_on_removal() {
    let system = tempfile::tempdir().unwrap();
    let mut cleanup = Cleanup(unique("takeover"), Vec::new());
    let tag = cleanup.0.clone();
    let (system_file, system_text) = system_entry(system.path(), &tag);
    let mut env = env_with_system(system.path());
    let override_file = env.root().join("config/autostart").join(ID);

    // The first login, before Lifeguard: the session starts it.
    assert_eq!(login(&env, &mut cleanup), 1);
    wait_for("the session's copy", || tagged(&tag).len() == 1);
    let sessions_copy = tagged(&tag)[0];

    // Protected: the copy already running is adopted, and the session's entry overridden.
    env.start_daemon(&[]);
    add(&env, &tag);
    assert_eq!(env.running_pid("sample"), sessions_copy, "not adopted");
    assert_eq!(count_settles(&tag, 1), 1, "a second copy was started");
    let written = std::fs::read_to_string(&override_file).unwrap();
    assert!(written.contains("\nHidden=true\n"), "{written}");
    let config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    assert!(
        config.contains(&format!("autostart_entry = \"{ID}\"")),
        "{config}"
    );

    // Log out (everything stops), log in: the session starts nothing of it, the daemon
    // (Lifeguard's own login start) starts one copy.
    let out = env.cli(&["shutdown", "--stop-programs"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    env.daemon.take().unwrap().wait().unwrap();
    for c in &mut cleanup.1 {
        let _ = c.wait();
    }
    cleanup.1.clear();
    wait_for("everything down", || tagged(&tag).is_empty());
    assert_eq!(login(&env, &mut cleanup), 0, "the session still starts it");
    env.start_daemon(&[]);
    env.running_pid("sample");
    assert_eq!(count_settles(&tag, 1), 1, "one copy at login");

    // Removed: the override goes, the system's entry was never touched, and the session
    // starts it again at the next login.
    let out = env.cli(&["remove", "sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!override_file.exists(), "the override is still there");
    assert_eq!(std::fs::read_to_string(&system_file).unwrap(), system_text);
    wait_for("the program stopped", || tagged(&tag).is_empty());
    assert_eq!(login(&env, &mut cleanup), 1);
}

#[test]
fn the_users_own_autostart_entry_comes_back_word_for_word() {
    let system = tempfile::tempdir().unwrap();
    let mut cleanup = Cleanup(unique("takeown"), Vec::new());
    let tag = cleanup.0.clone();
    let (system_file, system_text) = system_entry(system.path(), &tag);
    let mut env = env_with_system(system.path());
    let users_dir = env.root().join("config/autostart");
    std::fs::create_dir_all(&users_dir).unwrap();
    let own = format!(
        "[Desktop Entry]\nType=Application\nName=My Sample\n# the user's own words\nExec={} --tag {tag}\n",
        testprog()
    );
    std::fs::write(users_dir.join(ID), &own).unwrap();

    env.start_daemon(&[]);
    add(&env, &tag);
    env.running_pid("sample");
    let written = std::fs::read_to_string(users_dir.join(ID)).unwrap();
    assert!(written.contains("\nHidden=true\n"), "{written}");
    assert_eq!(
        login(&env, &mut cleanup),
        0,
        "the session would start a second copy"
    );

    let out = env.cli(&["remove", "sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(users_dir.join(ID)).unwrap(), own);
    assert_eq!(std::fs::read_to_string(&system_file).unwrap(), system_text);
}
