//! Fault injection with real parts: the history on a full filesystem (a small tmpfs made
//! by the test), a corrupt history file, a read-only config directory (a read-only bind
//! mount: root ignores permissions), a state file from another boot, a saved process
//! group now led by someone else. Supervision never stops; the person is told once.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::procs::{kill_tagged, unique};
use common::{alive, kill, testprog, text, wait_for, Env};
use serde_json::Value;

struct Tags(Vec<String>);

impl Drop for Tags {
    fn drop(&mut self) {
        self.0.iter().for_each(|t| kill_tagged(t));
    }
}

/// A mount made by the test, lazily unmounted when it ends.
struct Mount(PathBuf);

impl Mount {
    fn run(args: &[&str]) -> bool {
        Command::new("mount")
            .args(args)
            .status()
            .is_ok_and(|s| s.success())
    }

    /// A tmpfs of `size` at `dir`, or `None` without the right to mount.
    fn tmpfs(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).unwrap();
        let opts = format!("size={size},mode=0700");
        Self::run(&["-t", "tmpfs", "-o", &opts, "tmpfs", dir.to_str().unwrap()])
            .then(|| Self(dir.to_owned()))
    }

    /// `dir` made read-only by a bind mount over itself.
    fn read_only(dir: &Path) -> Option<Self> {
        let d = dir.to_str().unwrap();
        if !Self::run(&["--bind", d, d]) {
            return None;
        }
        let m = Self(dir.to_owned());
        Self::run(&["-o", "remount,ro,bind", d]).then_some(m)
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fails in CI, skips elsewhere, when the test may not mount.
fn cannot_mount() {
    assert!(
        std::env::var_os("CI").is_none(),
        "cannot mount (the test needs root)"
    );
    eprintln!("SKIPPED: cannot mount (needs root)");
}

fn program(id: &str, tag: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\n\n",
        testprog()
    )
}

fn warnings(env: &Env) -> Vec<String> {
    let out = env.cli(&["status"]);
    text(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("warning: ").map(str::to_owned))
        .collect()
}

fn count(warnings: &[String], what: &str) -> usize {
    warnings.iter().filter(|w| w.contains(what)).count()
}

/// Kills `id`'s running instance and waits for the next one; returns the killed pid.
fn kill_and_wait_restart(env: &Env, id: &str) -> u32 {
    let pid = env.running_pid(id);
    kill(pid, libc::SIGKILL);
    wait_for(&format!("{id} restarted"), || {
        env.pid_of(id).is_some_and(|p| p != pid)
    });
    pid
}

fn history(env: &Env, id: &str) -> Vec<Value> {
    env.json(&["history", "--program", id, "--limit", "1000"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn history_on_a_full_filesystem_restarts_go_on_and_nothing_committed_is_lost() {
    let tags = Tags(vec![unique("ff")]);
    let mut env = Env::new(Some(&program("k", &tags.0[0])));
    let data = env.root().join("data");
    let Some(_mount) = Mount::tmpfs(&data, "2m") else {
        return cannot_mount();
    };
    env.start_daemon(&[]);
    let before = kill_and_wait_restart(&env, "k");
    wait_for("the first restart in the history", || {
        history(&env, "k")
            .iter()
            .any(|e| e["kind"] == "exited" && e["pid"] == before)
    });

    // Fill the filesystem to the last byte.
    let fill = data.join("fill");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&fill).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0]).is_ok() {}
    }
    // The default breaker gives up after 5 quick deaths in 2 minutes: 4 in all here.
    let mut killed = Vec::new();
    for _ in 0..2 {
        killed.push(kill_and_wait_restart(&env, "k"));
    }
    wait_for("the history error reported", || {
        count(&warnings(&env), "history cannot be written") == 1
    });
    killed.push(kill_and_wait_restart(&env, "k"));
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(
        count(&warnings(&env), "history cannot be written"),
        1,
        "reported more than once: {:?}",
        warnings(&env)
    );

    std::fs::remove_file(&fill).unwrap();
    wait_for("writing to resume", || {
        count(&warnings(&env), "history is written again") == 1
    });
    let events = history(&env, "k");
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "exited" && e["pid"] == before),
        "a committed event was lost"
    );
    for pid in killed {
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "exited" && e["pid"] == pid),
            "the death of {pid} during the outage is missing"
        );
    }
}

#[test]
fn a_corrupt_history_file_is_moved_aside_and_supervision_goes_on() {
    let garbage = b"this is not an SQLite database, just bytes\n".repeat(200);
    let truncated = {
        // A real database cut inside its first page.
        let env = Env::new(None);
        let db = env.root().join("h.db");
        let c = Command::new("sqlite3")
            .arg(&db)
            .arg("create table t(x); insert into t values (1);")
            .status();
        match c {
            Ok(s) if s.success() => std::fs::read(&db).unwrap()[..60].to_vec(),
            _ => b"SQLite format 3\0\x10\0\x02\x02\0@  \0\0\0\x01".to_vec(),
        }
    };
    for (what, bytes) in [("garbage", garbage), ("truncated", truncated)] {
        let tags = Tags(vec![unique("ch")]);
        let mut env = Env::new(Some(&program("c", &tags.0[0])));
        let dir = env.root().join("data/lifeguard");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("history.sqlite3"), &bytes).unwrap();
        env.start_daemon(&[]);
        let killed = kill_and_wait_restart(&env, "c");
        let w = warnings(&env);
        assert_eq!(count(&w, "moved aside"), 1, "{what}: {w:?}");
        let aside = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("history.sqlite3.corrupt-")
            })
            .count();
        assert_eq!(aside, 1, "{what}: the old file was not kept aside");
        wait_for("the restart in the new history", || {
            history(&env, "c")
                .iter()
                .any(|e| e["kind"] == "exited" && e["pid"] == killed)
        });
    }
}

#[test]
fn a_read_only_config_directory_refuses_edits_and_supervision_goes_on() {
    let tags = Tags(vec![unique("ro")]);
    let mut env = Env::new(Some(&program("r", &tags.0[0])));
    env.start_daemon(&[]);
    env.running_pid("r");
    let Some(_ro) = Mount::read_only(&env.config_dir()) else {
        return cannot_mount();
    };
    let out = env.cli(&["add", "--id", "late", "--", "sleep", "100"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("read-only") && err.contains("nothing was changed"),
        "{err}"
    );
    let out = env.cli(&["config", "set", r#"{"notifications": false}"#]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
    kill_and_wait_restart(&env, "r");
    let status = env.json(&["status"]);
    assert_eq!(status["programs"].as_array().unwrap().len(), 1, "{status}");
}

fn start_time(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = stat.rsplit_once(')').unwrap().1;
    rest.split_whitespace().nth(19).unwrap().parse().unwrap()
}

fn state_file(env: &Env) -> PathBuf {
    env.root().join("state/lifeguard/state.json")
}

#[test]
fn a_state_file_from_another_boot_is_ignored() {
    let tags = Tags(vec![unique("bt")]);
    // A process that is not the program, whose pid and start time the old file names (as
    // after a reboot, where every pid means something else).
    let mut stranger = Command::new("sleep").arg("1000").spawn().unwrap();
    let pid = stranger.id();
    let mut env = Env::new(Some(&program("p", &tags.0[0])));
    std::fs::create_dir_all(state_file(&env).parent().unwrap()).unwrap();
    let saved = serde_json::json!({
        "version": 1,
        "boot_id": "00000000-0000-4000-8000-000000000000",
        "programs": {"p": {"main": {"pid": pid, "start_time": start_time(pid)}, "token": "x-1", "pgid": pid}},
    });
    std::fs::write(state_file(&env), saved.to_string()).unwrap();
    env.start_daemon(&[]);
    let p = env.running_pid("p");
    assert_ne!(
        p, pid,
        "a process from the state file of another boot was adopted"
    );
    assert!(alive(pid));
    assert!(env.cli(&["shutdown", "--stop-programs"]).status.success());
    env.daemon.take().unwrap().wait().unwrap();
    assert!(alive(pid), "the stranger was signalled");
    kill(pid, libc::SIGKILL);
    stranger.wait().unwrap();
}

#[test]
fn a_saved_process_group_led_by_someone_else_is_never_signalled() {
    use std::os::unix::process::CommandExt;
    let tags = Tags(vec![unique("pg")]);
    let mut stranger = Command::new("sleep")
        .arg("1000")
        .process_group(0)
        .spawn()
        .unwrap();
    let group = stranger.id();
    let mut env = Env::new(Some(&program("g", &tags.0[0])));
    env.start_daemon(&[]);
    let p = env.running_pid("g");
    wait_for("the instance saved", || {
        std::fs::read(state_file(&env))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .is_some_and(|v| v["programs"]["g"]["main"]["pid"] == p)
    });
    env.kill_daemon();
    // The saved group id now names another process's group.
    let mut saved: Value =
        serde_json::from_slice(&std::fs::read(state_file(&env)).unwrap()).unwrap();
    saved["programs"]["g"]["pgid"] = Value::from(group);
    std::fs::write(state_file(&env), saved.to_string()).unwrap();

    env.start_daemon(&[]);
    assert_eq!(env.running_pid("g"), p, "not re-adopted");
    assert!(env.cli(&["stop", "g"]).status.success());
    wait_for("g to stop", || !alive(p));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(alive(group), "the stranger's process group was signalled");
    kill(group, libc::SIGKILL);
    stranger.wait().unwrap();
}
