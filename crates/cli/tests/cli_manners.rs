//! Issue 19, item 7: the command line behaves like the desktop's own tools. `status ID`
//! answers with the LSB codes `systemctl status` uses, times are local unless `--utc`,
//! colours follow NO_COLOR / CLICOLOR_FORCE / the terminal, `add` takes `run`'s options
//! by the same names, every `--json` is JSON, `--help` has examples, a bare `lifeguard`
//! shows the status, and a closed stdout ends a command quietly. A real daemon, real
//! programs.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Stdio;

use common::{bin, testprog, text, wait_for, Env};
use serde_json::Value;

fn code(env: &Env, args: &[&str]) -> i32 {
    env.cli(args).status.code().unwrap_or(-1)
}

fn state(env: &Env, id: &str) -> String {
    let s = env.json(&["status"]);
    let p = s["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id);
    p.map(|p| p["state"]["state"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[test]
fn status_of_one_program_exits_0_running_3_down_4_unknown() {
    let mut env = Env::new(None);
    // No daemon to ask: the status is unknown (4), not "down".
    assert_eq!(code(&env, &["status", "up"]), 4);
    env.start_daemon(&[]);
    let tp = testprog();
    for args in [
        vec!["add", "--id", "up", "--", &tp],
        vec!["add", "--id", "halted", "--", &tp],
        vec![
            "add",
            "--id",
            "done",
            "--restart",
            "never",
            "--",
            &tp,
            "--exit",
            "3",
        ],
        vec![
            "add",
            "--id",
            "looping",
            "--breaker-deaths",
            "2",
            "--backoff-initial",
            "10ms",
            "--",
            &tp,
            "--exit",
            "1",
        ],
    ] {
        let out = env.cli(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    env.running_pid("up");
    assert!(env.cli(&["stop", "halted"]).status.success());
    wait_for("done to exit and looping to give up", || {
        state(&env, "done") == "exited" && state(&env, "looping") == "gave_up"
    });

    let up = env.cli(&["status", "up"]);
    assert_eq!(up.status.code(), Some(0), "{}", text(&up.stderr));
    let shown = text(&up.stdout);
    assert!(shown.starts_with("up: running"), "{shown}");
    assert!(shown.contains("pid:") && shown.contains(&tp), "{shown}");
    for id in ["halted", "done", "looping"] {
        assert_eq!(code(&env, &["status", id]), 3, "{id} is down");
    }
    let unknown = env.cli(&["status", "no-such-program"]);
    assert_eq!(unknown.status.code(), Some(4));
    assert!(text(&unknown.stderr).contains("no-such-program"));
    // Not even a valid id: still "unknown", not a usage error.
    assert_eq!(code(&env, &["status", "Not An Id"]), 4);
    // The JSON answer carries the same code.
    let json = env.cli(&["status", "looping", "--json"]);
    assert_eq!(json.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["state"]["state"], "gave_up");
    // The whole table is still a success: the daemon answered.
    assert_eq!(code(&env, &["status"]), 0);
}

#[test]
fn a_bare_lifeguard_shows_the_status() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--name", "Bare Probe", "--", &testprog()])
        .status
        .success());
    env.running_pid("bare-probe");
    let bare = env.cli(&[]);
    assert_eq!(bare.status.code(), Some(0), "{}", text(&bare.stderr));
    let shown = text(&bare.stdout);
    assert!(shown.starts_with("protection: on\nPROGRAM"), "{shown}");
    assert!(
        shown.contains("bare-probe") && shown.contains("running"),
        "{shown}"
    );
    assert!(!shown.contains("Usage:"), "{shown}");
}

/// `lifeguard history` in India (UTC+05:30, no daylight saving): local times under a
/// "TIME" heading; `--utc` the same instant in UTC under "TIME (UTC)".
#[test]
fn history_times_are_local_unless_utc() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--id", "clock", "--", &testprog()])
        .status
        .success());
    let history = env.json(&["history", "--program", "clock", "--kind", "added"]);
    let ts = history[0]["ts_ms"].as_i64().unwrap();
    let utc = chrono::DateTime::from_timestamp_millis(ts).unwrap();
    let ist = utc + chrono::Duration::minutes(5 * 60 + 30);
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();

    env.vars.push(("TZ".into(), "Asia/Kolkata".into()));
    let args = ["history", "--program", "clock", "--kind", "added"];
    let local = text(&env.cli(&args).stdout);
    let mut lines = local.lines();
    assert!(lines.next().unwrap().starts_with("TIME "), "{local}");
    assert!(lines.next().unwrap().starts_with(&fmt(ist)), "{local}");
    let with_utc = text(&env.cli(&[&args[..], &["--utc"]].concat()).stdout);
    let mut lines = with_utc.lines();
    assert!(
        lines.next().unwrap().starts_with("TIME (UTC) "),
        "{with_utc}"
    );
    assert!(lines.next().unwrap().starts_with(&fmt(utc)), "{with_utc}");
}

/// A running program's state is green on a terminal; the test stands in for one with
/// CLICOLOR_FORCE (stdout here is a pipe, which gets no colours by itself).
#[test]
fn colours_follow_clicolor_force_no_color_and_the_terminal() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--id", "painted", "--", &testprog()])
        .status
        .success());
    env.running_pid("painted");
    let green = "\x1b[32mrunning";
    let piped = text(&env.cli(&["status"]).stdout);
    assert!(!piped.contains('\x1b'), "a pipe gets no colours: {piped:?}");
    env.vars.push(("CLICOLOR_FORCE".into(), "1".into()));
    let forced = text(&env.cli(&["status"]).stdout);
    assert!(forced.contains(green), "{forced:?}");
    // The columns stay aligned: colour codes are not counted as width.
    let plain: Vec<String> = forced
        .lines()
        .map(|l| {
            l.replace("\x1b[32m", "")
                .replace("\x1b[1m", "")
                .replace("\x1b[0m", "")
        })
        .collect();
    let col = plain[1].find("PID").unwrap();
    assert_eq!(
        plain[2].get(col..col + 1).map(|c| c != " "),
        Some(true),
        "{plain:#?}"
    );
    let json = env.cli(&["status", "--json"]);
    assert!(
        !text(&json.stdout).contains('\x1b'),
        "JSON is never coloured"
    );
    env.vars.push(("NO_COLOR".into(), "1".into()));
    let off = text(&env.cli(&["status"]).stdout);
    assert!(!off.contains('\x1b'), "NO_COLOR wins: {off:?}");
}

/// Lines of `lifeguard events --follow` (with `vars` added to the environment) while
/// programs are added one after another, until a start shows up (or PATIENCE runs out).
fn followed_events(env: &mut Env, vars: &[(&str, &str)], tag: &str) -> String {
    use std::io::{BufRead, BufReader};
    let mut cmd = env.command(&bin());
    cmd.envs(vars.iter().copied());
    let mut follower = cmd
        .args(["events", "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = follower.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The subscription may start after an add; add again until a start shows up.
    let deadline = std::time::Instant::now() + common::PATIENCE;
    let mut seen = String::new();
    let mut n = 0;
    'adding: while std::time::Instant::now() < deadline {
        n += 1;
        let id = format!("{tag}{n}");
        assert!(env
            .cli(&["add", "--id", &id, "--", &testprog()])
            .status
            .success());
        while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(2)) {
            let started = line.contains("started");
            seen.push_str(&line);
            seen.push('\n');
            if started {
                break 'adding;
            }
        }
    }
    let _ = follower.kill();
    let _ = follower.wait();
    assert!(seen.contains("started"), "no start: {seen:?}");
    seen
}

/// `events --follow` colours the event like `history` does (a start in green) under the
/// same rules: forced by CLICOLOR_FORCE, never into a plain pipe, never under NO_COLOR.
#[test]
fn followed_events_are_coloured_by_the_same_rules() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let forced = followed_events(&mut env, &[("CLICOLOR_FORCE", "1")], "f");
    assert!(forced.contains("\x1b[32mstarted\x1b[0m"), "{forced:?}");
    let piped = followed_events(&mut env, &[], "p");
    assert!(!piped.contains('\x1b'), "a pipe gets no colours: {piped:?}");
    let off = followed_events(&mut env, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], "n");
    assert!(!off.contains('\x1b'), "NO_COLOR wins: {off:?}");
}

/// `add` takes `run`'s spec options by `run`'s names; the old `--policy` still works
/// (hidden), and what `add` saved is what the flags said.
#[test]
fn add_takes_runs_options_by_the_same_names() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let tp = testprog();
    let out = env.cli(&[
        "add",
        "--id",
        "tuned",
        "--restart",
        "always",
        "--backoff-initial",
        "250ms",
        "--backoff-max",
        "30s",
        "--min-uptime",
        "3s",
        "--breaker-deaths",
        "7",
        "--breaker-window",
        "2m",
        "--stop-signal",
        "SIGINT",
        "--grace",
        "2s",
        "--cwd",
        "/tmp",
        "--env",
        "PROBE=1",
        "--",
        &tp,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let old = env.cli(&[
        "add",
        "--id",
        "old-spelling",
        "--policy",
        "never",
        "--",
        &tp,
    ]);
    assert!(old.status.success(), "{}", text(&old.stderr));
    let list = env.json(&["list"]);
    let spec = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["spec"]["id"] == id)
            .map(|p| p["spec"].clone())
            .unwrap()
    };
    let tuned = spec("tuned");
    let config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    assert!(
        config.contains("SIGINT") && config.contains("PROBE"),
        "{config}"
    );
    assert_eq!(tuned["cwd"], "/tmp", "{tuned:#}");
    assert_eq!(tuned["env"]["PROBE"], "1", "{tuned:#}");
    assert_eq!(tuned["stop_signal"], "SIGINT", "{tuned:#}");
    assert_eq!(tuned["stop_grace"], "2s", "{tuned:#}");
    assert_eq!(tuned["backoff"]["max"], "30s", "{tuned:#}");
    assert_eq!(tuned["breaker"]["max_deaths"], 7, "{tuned:#}");
    assert!(tuned["restart"].to_string().contains("always"), "{tuned:#}");
    assert!(spec("old-spelling")["restart"]
        .to_string()
        .contains("never"));

    let help = |verb: &str| text(&env.cli(&[verb, "--help"]).stdout);
    let (add, run) = (help("add"), help("run"));
    for flag in [
        "--restart <RESTART>",
        "--clean-exit-codes",
        "--backoff-initial",
        "--backoff-max",
        "--min-uptime",
        "--jitter",
        "--breaker-deaths",
        "--breaker-window",
        "--no-breaker",
        "--stop-signal",
        "--grace",
        "--cwd",
        "--env",
        "--id",
        "--name",
    ] {
        assert!(add.contains(flag), "add lacks {flag}:\n{add}");
        assert!(run.contains(flag), "run lacks {flag}:\n{run}");
    }
    assert!(
        !add.contains("--policy"),
        "the old name stays hidden:\n{add}"
    );
}

/// Every `--json` output parses as JSON (and `events --follow --json` as JSON Lines).
#[test]
fn every_json_output_is_json() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let tp = testprog();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["add", "--id", "jay", "--", &tp, "--tag", "hello"],
        vec!["status"],
        vec!["status", "jay"],
        vec!["list"],
        vec!["stop", "jay"],
        vec!["start", "jay"],
        vec!["restart", "jay"],
        vec!["pause", "--for", "1h"],
        vec!["resume"],
        vec!["history"],
        vec!["events"],
        vec!["logs", "jay"],
        vec!["config", "show"],
        vec!["config", "check"],
    ];
    runs.push(vec!["remove", "jay"]);
    for args in runs {
        let out = env.cli(&[&["--json"], &args[..]].concat());
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        if let Err(e) = serde_json::from_slice::<Value>(&out.stdout) {
            panic!("{args:?} --json is not JSON ({e}):\n{}", text(&out.stdout));
        }
    }
    let shown = env.json(&["config", "show"]);
    assert!(
        shown["settings"].is_object() && shown["file"].is_string(),
        "{shown:#}"
    );
}

/// `--help` opens with what Lifeguard does (no crate description with literal
/// backticks), shows examples, and `status --help` and its man page give the exit codes.
#[test]
fn help_and_man_pages_have_examples_and_exit_codes() {
    let env = Env::new(None);
    let help = text(&env.cli(&["--help"]).stdout);
    let first = help.lines().next().unwrap();
    assert_eq!(first, "Keeps the programs you chose running.", "{help}");
    assert!(!help.contains('`'), "{help}");
    assert!(help.contains("Examples:\n"), "{help}");
    let status = text(&env.cli(&["status", "--help"]).stdout);
    assert!(status.contains("lifeguard status firefox"), "{status}");
    for line in ["  0  ", "  3  ", "  4  "] {
        assert!(status.contains(line), "{status}");
    }
    for verb in ["add", "run", "history", "logs", "pause"] {
        let h = text(&env.cli(&[verb, "--help"]).stdout);
        assert!(h.contains(&format!("lifeguard {verb} ")), "{verb}:\n{h}");
    }
    // Help is plain text: Markdown's backticks would show as they are.
    for verb in ["status", "add", "run", "start", "history", "logs", "remove"] {
        let h = text(&env.cli(&[verb, "--help"]).stdout);
        assert!(!h.contains('`'), "{verb}:\n{h}");
    }
    let dir = env.root().join("man");
    assert!(env
        .cli(&["manpages", dir.to_str().unwrap()])
        .status
        .success());
    let page = std::fs::read_to_string(dir.join("lifeguard-status.1")).unwrap();
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
    assert!(page.contains(".SH EXAMPLES"), "{page}");
    assert!(page.contains("\\fB4\\fR"), "{page}");
    let main = std::fs::read_to_string(dir.join("lifeguard.1")).unwrap();
    assert!(!main.contains('`'), "{main}");
}

/// `lifeguard history | head` and the like: the reader is gone before the command
/// writes. Every printing command then ends quietly (141, as `cat` does), never with a
/// panic.
#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    assert!(env
        .cli(&["add", "--id", "pipe", "--", &testprog(), "--tag", "x"])
        .status
        .success());
    env.running_pid("pipe");
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["status"],
        vec!["status", "pipe"],
        vec!["list"],
        vec!["history"],
        vec!["history", "--json"],
        vec!["events"],
        vec!["logs", "pipe"],
        vec!["config", "show"],
        vec!["config", "check"],
        vec!["completions", "bash"],
        vec!["--help"],
        vec!["restart", "pipe"],
    ];
    commands.push(vec!["pause", "pipe"]);
    commands.push(vec![]);
    for args in commands {
        let mut child = env
            .command(&bin())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        let code = out.status.code();
        assert!(
            code == Some(141) || code == Some(0),
            "{args:?} ended with {:?}: {err}",
            out.status
        );
        assert!(err.is_empty(), "{args:?} said something: {err}");
    }
    // `lifeguard run` keeps supervising with nobody reading its events, and ends with the
    // program's own exit code.
    let mut run = env
        .command(&bin())
        .args([
            "run",
            "--restart",
            "never",
            "--",
            &testprog(),
            "--exit",
            "3",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(run.stdout.take());
    let out = run.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "run panicked: {err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("exited with code 3"), "{err}");
}
