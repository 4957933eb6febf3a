//! Every duration and count in config.toml has a range: a value past it is refused with
//! the field, the limit and the fix, before it can reach a timer (`Instant + Duration`
//! overflowed and panicked a program's task on a typo).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use lifeguard_service::config::{parse, ConfigError, ConfigProblem};

fn problem(text: &str) -> ConfigProblem {
    match parse(text, Path::new("/x/config.toml")) {
        Err(ConfigError::Invalid(p)) => *p,
        other => panic!("expected an invalid config, got {other:?}"),
    }
}

fn program(extra: &str) -> String {
    format!("[[program]]\nid = \"napper\"\nargv = [\"sleep\", \"1000\"]\n{extra}\n")
}

#[test]
fn a_huge_backoff_is_refused_with_the_field_the_limit_and_the_fix() {
    let p = problem(&program(
        "backoff = { initial = \"200000000000000d\", max = \"200000000000000d\" }",
    ));
    assert_eq!(p.field, "program[0].backoff.initial", "{p}");
    assert!(p.message.contains("limit of 1d"), "{p}");
    assert!(p.hint.contains("at most \"1d\""), "{p}");
    assert_eq!(p.line, 4, "{p}");
}

#[test]
fn every_program_duration_and_count_has_a_limit() {
    let cases = [
        ("backoff = { max = \"2d\" }", "program[0].backoff.max"),
        (
            "backoff = { min_uptime = \"30d\" }",
            "program[0].backoff.min_uptime",
        ),
        (
            "breaker = { window = \"30d\" }",
            "program[0].breaker.window",
        ),
        (
            "breaker = { max_deaths = 4000000000 }",
            "program[0].breaker.max_deaths",
        ),
        (
            "health = { tcp = \"127.0.0.1:1\", interval = \"2d\" }",
            "program[0].health.interval",
        ),
        (
            "health = { tcp = \"127.0.0.1:1\", timeout = \"2h\" }",
            "program[0].health.timeout",
        ),
        (
            "health = { tcp = \"127.0.0.1:1\", start_grace = \"2d\" }",
            "program[0].health.start_grace",
        ),
        (
            "health = { tcp = \"127.0.0.1:1\", failures = 100000 }",
            "program[0].health.failures",
        ),
        ("stop_grace = \"2h\"", "program[0].stop_grace"),
    ];
    for (extra, field) in cases {
        let p = problem(&program(extra));
        assert_eq!(p.field, field, "{extra}: {p}");
    }
}

#[test]
fn settings_durations_and_counts_have_limits() {
    let cases = [
        (
            "[settings.history]\nmax_age = \"100000d\"",
            "settings.history.max_age",
        ),
        (
            "[settings.history]\nmax_rows = 0",
            "settings.history.max_rows",
        ),
    ];
    for (text, field) in cases {
        let p = problem(text);
        assert_eq!(p.field, field, "{text}: {p}");
    }
    parse(
        "[settings.history]\nmax_age = \"0s\"\nmax_rows = 1000\n",
        Path::new("c"),
    )
    .unwrap();
}

#[test]
fn window_ping_durations_have_ranges_that_name_the_field_the_limit_and_the_fix() {
    let cases = [
        (
            "window_ping = { interval = \"100ms\" }",
            "interval",
            "500ms",
        ),
        ("window_ping = { interval = \"11m\" }", "interval", "10m"),
        ("window_ping = { after = \"2d\" }", "after", "1d"),
        (
            "window_ping = { after = \"30s\", restart_after = \"10s\" }",
            "restart_after",
            "30s",
        ),
        (
            "window_ping = { restart_after = \"2d\" }",
            "restart_after",
            "1d",
        ),
    ];
    for (line, field, limit) in cases {
        let p = problem(&program(line));
        assert_eq!(p.field, format!("program[0].window_ping.{field}"), "{p}");
        assert!(p.message.contains(limit), "{line}: {p}");
        assert!(p.hint.contains(limit), "{line}: {p}");
    }
    let ok =
        program("window_ping = { interval = \"5s\", after = \"30s\", restart_after = \"2m\" }");
    let config = parse(&ok, Path::new("/x/config.toml")).unwrap();
    let ping = config.program[0].options.window_ping.clone().unwrap();
    assert_eq!(ping.restart_after, std::time::Duration::from_secs(120));
}
