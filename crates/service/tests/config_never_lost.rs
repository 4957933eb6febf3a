//! A missing, empty or cut-short config.toml never removes programs; a read-only config
//! directory refuses edits with a clear error and changes nothing; a write killed with
//! SIGKILL leaves the old file or the new one, never a mix. A deliberate "no programs" is
//! a file that says something (`# no programs`).
#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use lifeguard_engine::ProgramSpec;
use lifeguard_service::config::{
    write_atomic, ConfigError, ConfigStore, ProgramEntry, ProgramOptions,
};

const TWO: &str = r#"# two programs
[[program]]
id = "clock"
argv = ["sleep", "1000"]

[[program]]
id = "napper"
argv = ["sleep", "2000"]
"#;

fn entry(id: &str) -> ProgramEntry {
    ProgramEntry {
        spec: ProgramSpec::build(id, ["sleep", "1000"]).unwrap(),
        options: ProgramOptions::default(),
    }
}

fn store_with(text: &str) -> (tempfile::TempDir, ConfigStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let store = ConfigStore::open(&path).unwrap();
    (dir, store)
}

fn ids(store: &ConfigStore) -> Vec<String> {
    store
        .current()
        .program
        .iter()
        .map(|p| p.spec.id.to_string())
        .collect()
}

#[test]
fn an_edit_after_the_file_was_deleted_keeps_every_program() {
    let (_dir, store) = store_with(TWO);
    std::fs::remove_file(store.path()).unwrap();
    // The watcher's view: nothing applied.
    assert!(store
        .reload()
        .is_err_and(|e| matches!(e, ConfigError::Emptied { .. })));
    // A settings toggle, an `add`…: the programs in force are written back with it.
    let diff = store.add_program(&entry("web")).unwrap();
    assert!(
        diff.removed.is_empty(),
        "an edit removed {:?}",
        diff.removed
    );
    assert_eq!(ids(&store), ["clock", "napper", "web"]);
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("napper") && text.contains("web"), "{text}");
}

#[test]
fn an_emptied_file_is_reported_once_and_removes_nothing() {
    let (_dir, store) = store_with(TWO);
    std::fs::write(store.path(), "").unwrap();
    let e = store.reload().unwrap_err();
    assert!(
        e.to_string().contains("2 program(s) in force are kept"),
        "{e}"
    );
    assert!(store.reload().unwrap().is_none(), "reported twice");
    assert_eq!(ids(&store), ["clock", "napper"]);
    std::fs::write(store.path(), "\n  \n").unwrap();
    assert!(store.reload().is_err(), "whitespace only is empty too");
    let diff = store.remove_program("clock").unwrap();
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(ids(&store), ["napper"]);
}

#[test]
fn a_file_cut_short_mid_line_is_not_applied_and_blocks_edits() {
    let (_dir, store) = store_with(TWO);
    let cut = &TWO[..TWO.find("id = \"napper\"").unwrap() + 4];
    std::fs::write(store.path(), cut).unwrap();
    let e = store.reload().unwrap_err();
    assert!(matches!(e, ConfigError::Truncated { .. }), "{e}");
    assert_eq!(ids(&store), ["clock", "napper"]);
    let cut = &TWO[..TWO.find("[[program]]\nid = \"napper\"").unwrap() - 2];
    std::fs::write(store.path(), cut).unwrap();
    assert!(
        store.add_program(&entry("web")).is_err(),
        "edited a cut file"
    );
    assert_eq!(ids(&store), ["clock", "napper"]);
}

#[test]
fn a_file_that_says_no_programs_removes_them_on_purpose() {
    let (_dir, store) = store_with(TWO);
    std::fs::write(store.path(), "# no programs\n").unwrap();
    let diff = store.reload().unwrap().unwrap();
    assert_eq!(diff.removed.len(), 2);
    assert!(ids(&store).is_empty());
}

/// A read-only mount over the config directory (root ignores permissions, so a mode
/// would prove nothing). Unmounted on drop.
struct ReadOnlyMount(std::path::PathBuf);

impl ReadOnlyMount {
    fn over(dir: &std::path::Path) -> Option<Self> {
        let run = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .status()
                .is_ok_and(|s| s.success())
        };
        let d = dir.to_str().unwrap();
        if !run(&["--bind", d, d]) {
            return None;
        }
        let m = Self(dir.to_owned());
        run(&["-o", "remount,ro,bind", d]).then_some(m)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_config_directory_refuses_edits_clearly_and_changes_nothing() {
    let (dir, store) = store_with(TWO);
    let Some(_ro) = ReadOnlyMount::over(dir.path()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "cannot mount (needs root)"
        );
        eprintln!("SKIPPED: cannot make a read-only mount (needs root)");
        return;
    };
    let e = store.add_program(&entry("web")).unwrap_err();
    assert!(matches!(e, ConfigError::ReadOnly { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("read-only")
            && text.contains("nothing was changed")
            && text.contains("make the directory writable"),
        "{text}"
    );
    assert_eq!(ids(&store), ["clock", "napper"]);
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), TWO);
}

const WRITER_ENV: &str = "LG_TEST_CONFIG_WRITER";

/// Not a test on its own: the child process of the SIGKILL test, writing the config
/// file in a loop, alternating two versions, until it is killed.
#[test]
fn sigkill_writer_child() {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let (old, new) = versions();
    for i in 0u64.. {
        let text = if i % 2 == 0 { &new } else { &old };
        write_atomic(std::path::Path::new(&path), text.as_bytes()).unwrap();
    }
}

fn versions() -> (String, String) {
    // Big enough that a write takes several syscalls.
    let body = |tag: &str| {
        (0..2000)
            .map(|i| format!("[[program]]\nid = \"{tag}{i}\"\nargv = [\"sleep\", \"{i}\"]\n\n"))
            .collect::<String>()
    };
    (body("old"), body("new"))
}

#[test]
fn sigkill_in_the_middle_of_config_writes_leaves_old_or_new_never_a_mix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let (old, new) = versions();
    std::fs::write(&path, &old).unwrap();
    let me = std::env::current_exe().unwrap();
    let mut kills = 0;
    let started = Instant::now();
    while kills < 20 {
        let mut child = Command::new(&me)
            .args(["--exact", "sigkill_writer_child", "--nocapture"])
            .env(WRITER_ENV, &path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // A different moment of the write each time.
        std::thread::sleep(Duration::from_millis(20 + (kills * 7) % 50));
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
        kills += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text == old || text == new,
            "after kill {kills}: a mix of {} bytes",
            text.len()
        );
        assert!(started.elapsed() < Duration::from_secs(120));
    }
    // Temporary files of killed writers were left beside it, never in its place; the
    // next open clears them.
    let store = ConfigStore::open(&path).unwrap();
    assert_eq!(store.current().program.len(), 2000);
    let litter: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}
