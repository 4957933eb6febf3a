//! Hot reload through the hand-written inotify watcher: an editor's save by rename and a
//! write in place each apply once; a broken file is rejected; other files are ignored;
//! dropping the watcher ends its thread.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use lifeguard_service::config::{ConfigEvent, ConfigStore, ConfigWatcher};

const ONE: &str = "[settings]\nnotifications = false\n";
const TWO: &str = "[settings]\nnotifications = true\n";

async fn next(events: &mut tokio::sync::mpsc::UnboundedReceiver<ConfigEvent>) -> ConfigEvent {
    let wait = tokio::time::timeout(Duration::from_secs(5), events.recv());
    wait.await.expect("no reload within 5 s").unwrap()
}

fn threads_named(name: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .flatten()
        .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
        .count()
}

#[tokio::test]
async fn saves_apply_once_broken_files_are_rejected_and_drop_ends_the_thread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, ONE).unwrap();
    let store = ConfigStore::open(&path).unwrap();
    let (watcher, mut events) = ConfigWatcher::start(store.clone()).unwrap();

    // Another file of the directory is not the config.
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    // An editor's save: a new file renamed over the old one.
    std::fs::write(dir.path().join(".config.toml.swp"), TWO).unwrap();
    std::fs::rename(dir.path().join(".config.toml.swp"), &path).unwrap();
    match next(&mut events).await {
        ConfigEvent::Applied(diff) => assert!(diff.settings_changed),
        other => panic!("{other:?}"),
    }
    assert!(store.current().settings.notifications);

    // A write in place, then a broken one.
    std::fs::write(&path, "[settings]\nnotifications = 3\n").unwrap();
    assert!(matches!(next(&mut events).await, ConfigEvent::Rejected(_)));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(events.try_recv().is_err(), "one burst, one reload");

    assert_eq!(threads_named("lifeguard-confi"), 1);
    drop(watcher);
    for _ in 0..100 {
        if threads_named("lifeguard-confi") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the watcher's thread outlived the watcher");
}
