//! Loading: every kind of broken file is reported with line, column and field, nothing of
//! it is applied, and the file is left as the person wrote it.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use lifeguard_engine::RestartPolicy;
use lifeguard_service::config::{parse, ConfigError, ConfigProblem, ConfigStore};

const GOOD: &str = r#"# my programs
[settings]
notifications = false

[[program]]
id = "clock"
argv = ["sleep", "1000"]

[[program]]
id = "web"
argv = ["python3", "-m", "http.server"]
restart = { policy = "always" }
"#;

fn problem(text: &str) -> ConfigProblem {
    match parse(text, Path::new("/x/config.toml")) {
        Err(ConfigError::Invalid(p)) => *p,
        other => panic!("expected an invalid config, got {other:?}"),
    }
}

#[test]
fn a_good_file_loads_with_defaults_filled_in() {
    let config = parse(GOOD, Path::new("config.toml")).unwrap();
    assert!(!config.settings.notifications);
    assert_eq!(config.program.len(), 2);
    assert!(config.program[0].options.autostart);
    assert_eq!(config.program[1].spec.restart, RestartPolicy::Always);
}

#[test]
fn the_default_restart_policy_applies_to_programs_without_one() {
    let text = GOOD.replace(
        "notifications = false",
        "default_restart = { policy = \"never\" }",
    );
    let config = parse(&text, Path::new("config.toml")).unwrap();
    assert_eq!(config.program[0].spec.restart, RestartPolicy::Never);
    assert_eq!(config.program[1].spec.restart, RestartPolicy::Always);
}

#[test]
fn an_unknown_program_field_is_named_with_its_line_and_column() {
    let text = GOOD.replace("restart = {", "  restat = 1\nrestart = {");
    let p = problem(&text);
    assert_eq!((p.line, p.column), (12, 3), "{p}");
    assert_eq!(p.field, "program[1].restat");
    assert!(p.message.contains("unknown field"), "{p}");
    assert!(
        p.to_string()
            .starts_with("/x/config.toml:12:3: program[1].restat"),
        "{p}"
    );
}

#[test]
fn an_invalid_value_points_at_the_value() {
    let text = GOOD.replace(
        "argv = [\"sleep\", \"1000\"]",
        "argv = [\"sleep\", \"1000\"]\nstop_grace = \"5 parsecs\"",
    );
    let p = problem(&text);
    assert_eq!(p.field, "program[0].stop_grace");
    assert_eq!((p.line, p.column), (8, 14), "{p}");
    assert!(p.message.contains("not a duration"), "{p}");
}

#[test]
fn an_unknown_setting_and_a_bad_setting_value_are_located() {
    let p = problem(&GOOD.replace("notifications = false", "notifcations = false"));
    assert_eq!(
        (p.field.as_str(), p.line, p.column),
        ("settings.notifcations", 3, 1)
    );
    let p = problem(&GOOD.replace("notifications = false", "launch_at_login = \"yes\""));
    assert_eq!(
        (p.field.as_str(), p.line),
        ("settings.launch_at_login", 3),
        "{p}"
    );
    let p = problem(&GOOD.replace(
        "notifications = false",
        "metrics = { enabled = true, bind = \"0.0.0.0:9464\" }",
    ));
    assert_eq!(p.field, "settings.metrics.bind");
    assert!(p.hint.contains("127.0.0.1"), "{p}");
}

#[test]
fn spec_validation_errors_name_the_field_and_the_fix() {
    let p = problem(&GOOD.replace("argv = [\"sleep\", \"1000\"]", "argv = []"));
    assert_eq!(
        (p.field.as_str(), p.line, p.column),
        ("program[0].argv", 7, 8)
    );
    assert!(p.hint.contains("give the program"), "{p}");
}

#[test]
fn a_syntax_error_and_a_duplicate_id_are_located() {
    let p = problem(&GOOD.replace("id = \"web\"", "id = \"web"));
    assert_eq!(p.line, 10, "{p}");
    let p = problem(&GOOD.replace("id = \"web\"", "id = \"clock\""));
    assert_eq!(
        (p.field.as_str(), p.line, p.column),
        ("program[1].id", 10, 6)
    );
}

#[test]
fn an_id_that_would_share_another_programs_stderr_file_is_refused() {
    // `web.err`'s stdout file would be `web`'s stderr file, output/web.err.log.
    let p = problem(&GOOD.replace("id = \"clock\"", "id = \"web.err\""));
    assert_eq!(p.field, "program[1].id", "{p}");
    assert!(p.message.contains("output/web.err.log"), "{p}");
    assert!(p.hint.contains(".err"), "{p}");
    // Alone, such an id is fine.
    parse(
        &GOOD.replace("id = \"web\"", "id = \"web.err\""),
        Path::new("c.toml"),
    )
    .unwrap();
}

#[test]
fn a_broken_file_is_not_applied_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, GOOD).unwrap();
    let store = ConfigStore::open(&path).unwrap();
    let broken = GOOD.replace(
        "[[program]]\nid = \"web\"",
        "[[program]]\nid = \"web\"\nbogus = 1",
    );
    std::fs::write(&path, &broken).unwrap();

    let err = store.reload().unwrap_err();
    let p = err.problem().unwrap();
    assert_eq!((p.field.as_str(), p.line), ("program[1].bogus", 11));
    assert_eq!(store.current().program.len(), 2);
    assert!(!store.current().settings.notifications);
    // An edit must not overwrite the person's broken file either.
    assert!(store.remove_program("clock").is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    assert_eq!(store.current().program.len(), 2);

    std::fs::write(
        &path,
        GOOD.replace("notifications = false", "notifications = true"),
    )
    .unwrap();
    let diff = store.reload().unwrap().unwrap();
    assert!(diff.settings_changed);
    assert!(store.current().settings.notifications);
}

#[test]
fn old_files_with_stable_after_still_load_and_min_uptime_is_range_checked() {
    use std::time::Duration;
    // What `lifeguard add` wrote before issue 14: the old default pinned in every entry.
    let old = GOOD.replace(
        "argv = [\"sleep\", \"1000\"]",
        "argv = [\"sleep\", \"1000\"]\nbackoff = { initial = \"250ms\", max = \"30s\", stable_after = \"10s\", jitter = 0.1 }",
    );
    let config = parse(&old, Path::new("config.toml")).unwrap();
    assert_eq!(
        config.program[0].spec.backoff.min_uptime,
        Duration::from_secs(1),
        "the old default reads as the new one"
    );
    let chosen = old.replace("stable_after = \"10s\"", "stable_after = \"3s\"");
    let config = parse(&chosen, Path::new("config.toml")).unwrap();
    assert_eq!(
        config.program[0].spec.backoff.min_uptime,
        Duration::from_secs(3)
    );
    let bad = old.replace("stable_after = \"10s\"", "min_uptime = \"10ms\"");
    let p = problem(&bad);
    assert_eq!(p.field, "program[0].backoff.min_uptime", "{p}");
    assert!(p.to_string().contains("100ms to 1h"), "{p}");
    assert!(p.to_string().contains("\"1s\""), "{p}");
}

#[test]
fn removed_settings_in_an_old_file_still_load() {
    let old = GOOD.replace(
        "notifications = false",
        "notifications = false\nquit_action = \"stop-programs\"\n\n[settings.pause]\ndefault_duration = \"30m\"\n",
    );
    let config = parse(&old, Path::new("config.toml")).unwrap();
    assert_eq!(config.program.len(), 2);
    let written = toml::to_string(&config.settings).unwrap();
    assert!(
        !written.contains("quit_action") && !written.contains("pause"),
        "{written}"
    );
}
