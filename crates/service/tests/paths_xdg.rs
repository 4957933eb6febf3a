//! The directories follow the XDG variables (one test in this binary: it sets the
//! process environment).
#![allow(clippy::unwrap_used)]

use lifeguard_service::paths::{PathOverrides, Paths};

#[test]
fn directories_follow_xdg_variables_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Safe in practice: this binary's only test, before any thread reads the environment.
    std::env::set_var("XDG_CONFIG_HOME", root.join("c"));
    std::env::set_var("XDG_DATA_HOME", root.join("d"));
    std::env::set_var("XDG_STATE_HOME", root.join("s"));
    std::env::set_var("XDG_RUNTIME_DIR", root.join("r"));
    let paths = Paths::from_env().unwrap();
    assert_eq!(paths.config_file(), root.join("c/lifeguard/config.toml"));
    assert_eq!(paths.history_db(), root.join("d/lifeguard/history.sqlite3"));
    assert_eq!(
        paths.telemetry_file(),
        root.join("s/lifeguard/telemetry.jsonl")
    );
    assert_eq!(paths.runtime_dir, root.join("r/lifeguard"));

    let overrides = PathOverrides {
        data_dir: Some(root.join("elsewhere")),
        ..PathOverrides::default()
    };
    let paths = Paths::resolve(&overrides).unwrap();
    assert_eq!(paths.data_dir, root.join("elsewhere"));
    assert_eq!(paths.config_dir, root.join("c/lifeguard"));

    std::env::remove_var("XDG_RUNTIME_DIR");
    let paths = Paths::from_env().unwrap();
    assert_eq!(paths.runtime_dir, root.join("s/lifeguard/run"));
}
