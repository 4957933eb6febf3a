//! Writes: atomic, mode 0600, comments kept, no lost update under concurrency, own writes
//! ignored; hot reload through the watcher; diffs say what to restart.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use lifeguard_engine::ProgramSpec;
use lifeguard_service::config::{
    ConfigDiff, ConfigEvent, ConfigStore, ConfigWatcher, ProgramEntry, ProgramOptions,
};

const GOOD: &str = r#"# Lifeguard config — hand-written
[settings]
notifications = false # quiet, please

# the clock
[[program]]
id = "clock"
argv = ["sleep", "1000"]
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

#[test]
fn writes_keep_comments_and_layout_and_are_mode_0600() {
    let (_dir, store) = store_with(GOOD);
    let diff = store.add_program(&entry("web")).unwrap();
    assert_eq!(diff.added.len(), 1);
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.starts_with(GOOD), "{text}");
    let mode = std::fs::metadata(store.path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let diff = store.remove_program("web").unwrap();
    assert_eq!(diff.removed[0].as_str(), "web");
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), GOOD);
    // Our own write is not a change to reload.
    assert!(store.reload().unwrap().is_none());
}

#[test]
fn concurrent_updates_from_many_tasks_lose_nothing() {
    let (_dir, store) = store_with(GOOD);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                for j in 0..3 {
                    store.add_program(&entry(&format!("p{i}-{j}"))).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.current().program.len(), 1 + 24);
    let reopened = ConfigStore::open(store.path()).unwrap();
    assert_eq!(reopened.current().program.len(), 1 + 24);
}

#[test]
fn diff_restarts_only_for_launch_changes() {
    let (_dir, store) = store_with(GOOD);
    std::fs::write(
        store.path(),
        GOOD.replace("id = \"clock\"", "id = \"clock\"\nname = \"Clock\"")
            + "\n[[program]]\nid = \"new\"\nargv = [\"true\"]\n",
    )
    .unwrap();
    let diff = store.reload().unwrap().unwrap();
    assert_eq!(diff.added.len(), 1);
    assert_eq!(diff.changed.len(), 1);
    assert!(!diff.changed[0].restart, "a new name needs no restart");

    let text = std::fs::read_to_string(store.path()).unwrap();
    std::fs::write(store.path(), text.replace("\"1000\"", "\"2000\"")).unwrap();
    let diff: ConfigDiff = store.reload().unwrap().unwrap();
    assert_eq!(diff.changed.len(), 1);
    assert!(diff.changed[0].restart, "new argv needs a restart");
    assert!(!diff.settings_changed);
}

#[tokio::test]
async fn the_watcher_reports_a_broken_edit_then_applies_the_fix() {
    let (_dir, store) = store_with(GOOD);
    let (_watcher, mut events) = ConfigWatcher::start(store.clone()).unwrap();
    let deadline = Duration::from_secs(20);

    std::fs::write(store.path(), format!("{GOOD}oops = \n")).unwrap();
    let event = tokio::time::timeout(deadline, events.recv()).await.unwrap();
    match event.unwrap() {
        ConfigEvent::Rejected(e) => assert_eq!(e.problem().unwrap().line, 9, "{e}"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(store.current().program.len(), 1);

    let fixed = format!("{GOOD}\n[[program]]\nid = \"web\"\nargv = [\"true\"]\n");
    std::fs::write(store.path(), &fixed).unwrap();
    loop {
        let event = tokio::time::timeout(deadline, events.recv()).await.unwrap();
        match event.unwrap() {
            ConfigEvent::Applied(diff) => {
                assert_eq!(diff.added[0].spec.id.as_str(), "web");
                break;
            }
            // A reader can catch the file half-written; the complete text follows.
            ConfigEvent::Rejected(_) => continue,
        }
    }
    assert_eq!(store.current().program.len(), 2);
}
