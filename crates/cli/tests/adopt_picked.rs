//! Protecting a program the person picked from the running ones (`lifeguard add --adopt
//! PID`, the window's "Running now"): adopted without a restart, then relaunched with the
//! same argv, working directory and environment when it is killed.
#![allow(clippy::unwrap_used)]

mod common;

use common::procs::{count_settles, kill_tagged, tagged, unique};
use common::{alive, kill, testprog, text, wait_for, Env};

struct Tag(String);

impl Drop for Tag {
    fn drop(&mut self) {
        kill_tagged(&self.0);
    }
}

#[test]
fn a_picked_running_process_is_adopted_then_relaunched_the_same_way() {
    let tag = Tag(unique("pick"));
    let dir = tempfile::tempdir().unwrap();
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    // Started by "the person", outside Lifeguard, with its own cwd and a variable.
    let mut outside = std::process::Command::new(testprog())
        .args(["--tag", &tag.0])
        .current_dir(dir.path())
        .env("LC_PAPER", "picked")
        .env("PICKED_VAR", "not needed")
        .env("GITHUB_TOKEN", "ghp_s3cret")
        .env("AWS_SECRET_ACCESS_KEY", "aws-s3cret")
        .env("DB_PASSWORD", "pw-s3cret")
        .spawn()
        .unwrap();
    let pid = outside.id();
    wait_for("the copy to run", || tagged(&tag.0).contains(&pid));

    let pid_arg = pid.to_string();
    let out = env.cli(&["add", "--adopt", &pid_arg, "--id", "picked"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(env.running_pid("picked"), pid, "not adopted as it runs");
    assert_eq!(count_settles(&tag.0, 1), 1, "a second copy was started");
    let history = env.json(&["history", "--program", "picked"]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "adopted" && e["pid"] == pid),
        "{history:#}"
    );
    let config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    assert!(config.contains("id = \"picked\""), "{config}");
    assert!(
        config.contains("LC_PAPER"),
        "its session environment is kept: {config}"
    );
    // Only what a program needs: never its tokens and passwords (config.toml is sent to
    // every client), nor variables outside the documented allow-list.
    for secret in [
        "s3cret",
        "GITHUB_TOKEN",
        "AWS_SECRET",
        "DB_PASSWORD",
        "PICKED_VAR",
    ] {
        assert!(!config.contains(secret), "{secret} was copied: {config}");
    }
    let listed = env.json(&["list"]).to_string();
    assert!(
        !listed.contains("s3cret"),
        "a secret was sent to a client: {listed}"
    );

    kill(pid, libc::SIGKILL);
    outside.wait().unwrap();
    wait_for("a relaunch", || {
        env.pid_of("picked").is_some_and(|p| p != pid)
    });
    let again = env.running_pid("picked");
    assert!(!alive(pid));
    assert_eq!(count_settles(&tag.0, 1), 1);
    let cmdline = std::fs::read(format!("/proc/{again}/cmdline")).unwrap();
    let argv: Vec<&[u8]> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .collect();
    let expected = [testprog(), "--tag".into(), tag.0.clone()];
    assert_eq!(
        argv,
        expected.iter().map(|a| a.as_bytes()).collect::<Vec<_>>()
    );
    let cwd = std::fs::read_link(format!("/proc/{again}/cwd")).unwrap();
    assert_eq!(cwd, dir.path().canonicalize().unwrap());
    let environ = std::fs::read(format!("/proc/{again}/environ")).unwrap();
    assert!(environ.split(|b| *b == 0).any(|v| v == b"LC_PAPER=picked"));
    assert!(!environ.windows(6).any(|w| w == b"s3cret"));
}

#[test]
fn adopting_a_process_that_is_not_running_names_the_field() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&[
        "add",
        "--adopt",
        "999999999",
        "--id",
        "ghost",
        "--",
        "/bin/true",
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("adopt"), "{err}");
    let list = env.json(&["status"]);
    assert!(!list.to_string().contains("ghost"), "{list}");
}
