//! stdout and stderr told apart: each goes to its own file, `logs` says which stream a
//! line came from (snapshot and follow), and rotation covers the stderr file too.
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{testprog, text, wait_for, Env};
use serde_json::Value;

/// A program that writes "out-line" to stdout and "err-line" to stderr, then sleeps.
fn split(id: &str) -> String {
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [{:?}, \"--print\", \"out-line\", \"--eprint\", \"err-line\"]\n",
        testprog()
    )
}

/// `(stream, text)` of each line of a `logs --json` answer.
fn tagged(answer: &Value) -> Vec<(String, String)> {
    let lines = answer["lines"].as_array().cloned().unwrap_or_default();
    let streams = answer["streams"].as_array().cloned().unwrap_or_default();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let stream = streams.get(i).and_then(Value::as_str).unwrap_or("(none)");
            (stream.to_owned(), l.as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn logs_tell_stdout_from_stderr() {
    let mut env = Env::new(Some(&split("split")));
    env.start_daemon(&[]);
    env.running_pid("split");
    let mut answer = Value::Null;
    wait_for("both lines in `logs --json`", || {
        answer = env.json(&["logs", "split"]);
        tagged(&answer).len() >= 2
    });
    assert_eq!(
        tagged(&answer),
        vec![
            ("stdout".to_owned(), "out-line".to_owned()),
            ("stderr".to_owned(), "err-line".to_owned())
        ],
        "{answer}"
    );
    // Each stream has its own file, private like the first.
    let err_file = env.log_dir().join("split.err.log");
    assert_eq!(answer["stderr_path"], err_file.display().to_string());
    assert_eq!(std::fs::read_to_string(&err_file).unwrap(), "err-line\n");
    let mode = std::fs::metadata(&err_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let out_file = env.log_dir().join("split.log");
    assert_eq!(std::fs::read_to_string(out_file).unwrap(), "out-line\n");

    // For people: stderr marked (no colours into a pipe), red with colours forced.
    let plain = text(&env.cli(&["logs", "split"]).stdout);
    assert_eq!(plain, "out-line\n[stderr] err-line\n");
    let coloured = env
        .command(&common::bin())
        .args(["logs", "split"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(
        text(&coloured.stdout),
        "out-line\n\x1b[31merr-line\x1b[0m\n"
    );
    // One stream only, unmarked.
    let only = text(&env.cli(&["logs", "split", "--stream", "stderr"]).stdout);
    assert_eq!(only, "err-line\n");
}

#[test]
fn following_tags_a_new_stderr_line() {
    let mut env = Env::new(Some(&split("tagged")));
    env.start_daemon(&[]);
    env.running_pid("tagged");
    wait_for("the first lines", || {
        tagged(&env.json(&["logs", "tagged"])).len() >= 2
    });
    let (mut child, rx) = env.lines_of(&["logs", "tagged", "-n", "1", "--follow", "--json"]);
    let parse = |l: String| -> Value { serde_json::from_str(&l).unwrap_or(Value::String(l)) };
    // The tail first: one line of each file.
    let first = [
        parse(rx.recv_timeout(common::PATIENCE).expect("no tail")),
        parse(rx.recv_timeout(common::PATIENCE).expect("no tail")),
    ];
    assert_eq!(first[0]["stream"], "stdout", "{first:?}");
    assert_eq!(
        first[1],
        serde_json::json!({"stream": "stderr", "text": "err-line"})
    );
    // The follow is under way once the tail is printed; a margin for its first look.
    std::thread::sleep(Duration::from_millis(500));
    let out = env.cli(&["restart", "tagged"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut seen = Vec::new();
    let got = loop {
        let Ok(line) = rx.recv_timeout(common::PATIENCE) else {
            break None;
        };
        let v = parse(line);
        if v["stream"] == "stderr" {
            break Some(v);
        }
        seen.push(v);
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        got,
        Some(serde_json::json!({"stream": "stderr", "text": "err-line"})),
        "followed lines before it: {seen:?}"
    );
}

#[test]
fn rotation_covers_the_stderr_file() {
    // A shell command on purpose: a program writing a numbered line to stderr every 5 ms.
    let config = "[[program]]\nid = \"noisy\"\nargv = [\"/bin/sh\", \"-c\", \"i=0; while :; do i=$((i+1)); echo \\\"err $i of some output, padded to make the log grow faster: 0123456789012345678901234567890123456789\\\" >&2; sleep 0.005; done\"]\n";
    let mut env = Env::new(Some(config));
    env.start_daemon(common::FAST_ROTATION);
    common::two_rotations(&env, "noisy.err.log", "err ");
    // Nothing went to stdout's file.
    let out = env.log_dir().join("noisy.log");
    assert_eq!(std::fs::metadata(out).map(|m| m.len()).unwrap_or(0), 0);
}

/// A program set up by an earlier version has one combined `<id>.log`: it goes on as the
/// stdout file (its old lines shown as stdout), and stderr gets a file of its own.
#[test]
fn an_old_combined_log_becomes_the_stdout_file() {
    let mut env = Env::new(Some(&split("old")));
    std::fs::create_dir_all(env.log_dir()).unwrap();
    let combined = env.log_dir().join("old.log");
    std::fs::write(&combined, "said before the upgrade\nan old error\n").unwrap();
    env.start_daemon(&[]);
    env.running_pid("old");
    let mut answer = Value::Null;
    wait_for("the new lines", || {
        answer = env.json(&["logs", "old"]);
        tagged(&answer).len() >= 4
    });
    let s = |stream: &str, line: &str| (stream.to_owned(), line.to_owned());
    assert_eq!(
        tagged(&answer),
        vec![
            s("stdout", "said before the upgrade"),
            s("stdout", "an old error"),
            s("stdout", "out-line"),
            s("stderr", "err-line"),
        ]
    );
    assert_eq!(answer["path"], combined.display().to_string());
}
