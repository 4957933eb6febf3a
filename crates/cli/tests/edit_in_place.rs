//! Editing a program in place through `update`: a dry run checks a change exactly as the
//! update would, naming the field, and writes nothing; a real update rewrites the entry
//! where it stands, keeps the file's comments, and restarts the program on its new argv.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{procs::unique, testprog, Env};
use lifeguard_engine::{Origin, RequestedBy};
use lifeguard_service::client::{Client, ClientError};
use lifeguard_service::protocol::methods::ProgramInfo;
use lifeguard_service::protocol::ErrorKind;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn config(tag: &str) -> String {
    format!(
        "# my programs\n\n# the worker, kept up\n[[program]]\nid = \"worker\"\nargv = [\"{}\", \"--tag\", \"{tag}\"]\nstop_grace = \"2s\" # be quick\n",
        testprog()
    )
}

fn cmdline(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

async fn entry(client: &Client, id: &str) -> ProgramInfo {
    let list = client.list().await.unwrap();
    list.into_iter().find(|p| p.spec.id.as_str() == id).unwrap()
}

fn ui() -> Origin {
    Origin::new(RequestedBy::Ui)
}

#[test]
fn a_dry_run_with_a_bad_value_names_the_field_and_writes_nothing() {
    let tag = unique("edit-dry");
    let mut env = Env::new(Some(&config(&tag)));
    env.start_daemon(&[]);
    let pid = env.running_pid("worker");
    let path = env.config_dir().join("config.toml");
    let before = std::fs::read(&path).unwrap();
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let mut bad = entry(&client, "worker").await;
        bad.spec.stop_grace = Duration::from_secs(2 * 3600);
        bad.spec.argv.push("--changed".into());
        let err = client.check_update(bad, ui()).await.unwrap_err();
        let ClientError::Rpc(rpc) = err else {
            panic!("not an RPC error: {err}")
        };
        assert_eq!(rpc.kind(), ErrorKind::InvalidSpec, "{rpc:?}");
        assert_eq!(rpc.data["field"], "stop_grace", "{rpc:?}");
        assert!(rpc.message.contains("stop_grace"), "{}", rpc.message);

        // A good value passes the dry run, and still nothing is written or restarted.
        let mut good = entry(&client, "worker").await;
        good.spec.argv.push("--changed".into());
        client.check_update(good, ui()).await.unwrap();
    });
    assert_eq!(std::fs::read(&path).unwrap(), before, "config.toml changed");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(env.pid_of("worker"), Some(pid), "the program was touched");
    assert!(!cmdline(pid).contains(&"--changed".to_owned()));
}

#[test]
fn an_update_rewrites_the_entry_keeps_comments_and_restarts_on_the_new_argv() {
    let tag = unique("edit-real");
    let mut env = Env::new(Some(&config(&tag)));
    env.start_daemon(&[]);
    let first = env.running_pid("worker");
    let path = env.config_dir().join("config.toml");
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let mut next = entry(&client, "worker").await;
        next.spec.argv.extend(["--sleep".into(), "999s".into()]);
        next.spec.stop_grace = Duration::from_secs(3);
        client.update(next, ui()).await.unwrap();
    });
    let mut second = 0;
    common::wait_for("the restart on the new argv", || {
        second = env.pid_of("worker").unwrap_or(first);
        second != first
    });
    let argv = cmdline(second);
    assert_eq!(argv[1..], ["--tag", &tag, "--sleep", "999s"], "{argv:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# my programs\n"), "{text}");
    assert!(
        text.contains("# the worker, kept up\n[[program]]"),
        "{text}"
    );
    assert!(text.contains("\"--sleep\", \"999s\""), "{text}");
    assert!(text.contains("stop_grace = \"3s\""), "{text}");
}

#[test]
fn a_dry_run_of_add_is_refused_not_taken_for_an_add() {
    let tag = unique("edit-add");
    let mut env = Env::new(Some(&config(&tag)));
    env.start_daemon(&[]);
    env.running_pid("worker");
    let path = env.config_dir().join("config.toml");
    let before = std::fs::read(&path).unwrap();
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let params = serde_json::json!({
            "spec": {"id": "other", "argv": [testprog(), "--tag", tag]},
            "dry_run": true,
            "requested_by": "ui",
        });
        let err = client.call_raw("add", params).await.unwrap_err();
        let ClientError::Rpc(rpc) = err else {
            panic!("not an RPC error: {err}")
        };
        assert_eq!(rpc.kind(), ErrorKind::InvalidParams, "{rpc:?}");
        assert_eq!(rpc.data["field"], "dry_run", "{rpc:?}");
    });
    assert_eq!(std::fs::read(&path).unwrap(), before, "config.toml changed");
}

#[test]
fn a_value_of_the_wrong_shape_is_named_by_its_path() {
    let tag = unique("edit-shape");
    let mut env = Env::new(Some(&config(&tag)));
    env.start_daemon(&[]);
    env.running_pid("worker");
    runtime().block_on(async {
        let client = Client::connect(&env.socket()).await.unwrap();
        let params = serde_json::json!({
            "spec": {"id": "worker", "argv": [testprog()], "stop_grace": "5x"},
            "dry_run": true,
            "requested_by": "ui",
        });
        let err = client.call_raw("update", params).await.unwrap_err();
        let ClientError::Rpc(rpc) = err else {
            panic!("not an RPC error: {err}")
        };
        assert_eq!(rpc.kind(), ErrorKind::InvalidParams, "{rpc:?}");
        assert_eq!(rpc.data["field"], "spec.stop_grace", "{rpc:?}");
        assert!(
            rpc.message.starts_with("spec.stop_grace: "),
            "{}",
            rpc.message
        );
    });
}
