//! The history methods behind the window's chart and export, against a real daemon.
#![allow(clippy::unwrap_used)]

mod common;

use common::{kill, testprog, text, wait_for, Env};
use lifeguard_service::client::Client;
use lifeguard_service::protocol::methods::{
    Chart, ChartParams, Export, ExportFormat, ExportParams,
};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Starts a daemon with one program and kills it once; returns the env and the killed pid.
fn one_restart() -> (Env, u32) {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let out = env.cli(&["add", "--name", "victim", "--", &testprog()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = env.running_pid("victim");
    kill(first, libc::SIGKILL);
    wait_for("a new pid", || {
        env.pid_of("victim").is_some_and(|p| p != first)
    });
    (env, first)
}

#[test]
fn the_chart_counts_todays_restart() {
    let (env, _) = one_restart();
    let chart = block_on(async {
        let client = Client::connect(env.socket()).await.unwrap();
        let params = ChartParams {
            program: None,
            days: Some(7),
        };
        client.call::<Chart>(params).await.unwrap()
    });
    assert_eq!(chart.day_starts_ms.len(), 7);
    let series = chart
        .series
        .iter()
        .find(|s| s.program_id == "victim")
        .unwrap();
    assert_eq!(series.counts.last().copied(), Some(1), "{series:?}");
}

#[test]
fn export_writes_the_sigkill_exit_as_csv_and_jsonl() {
    let (env, first) = one_restart();
    for (format, name) in [
        (ExportFormat::Csv, "out.csv"),
        (ExportFormat::Jsonl, "out.jsonl"),
    ] {
        let path = env.root().join(name);
        let exported = block_on(async {
            let client = Client::connect(env.socket()).await.unwrap();
            let params = ExportParams {
                program: Some("victim".into()),
                kinds: vec!["exited".into()],
                since_ms: None,
                until_ms: None,
                format,
                path: path.clone(),
            };
            client.call::<Export>(params).await.unwrap()
        });
        assert_eq!(exported.rows, 1);
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            written.contains("SIGKILL") && written.contains(&first.to_string()),
            "{written}"
        );
    }
    let relative = block_on(async {
        let client = Client::connect(env.socket()).await.unwrap();
        let params = ExportParams {
            program: None,
            kinds: vec![],
            since_ms: None,
            until_ms: None,
            format: ExportFormat::Csv,
            path: "relative.csv".into(),
        };
        client.call::<Export>(params).await
    });
    let error = relative.unwrap_err().to_string();
    assert!(
        error.contains("path") && error.contains("absolute"),
        "{error}"
    );
}

#[test]
fn export_never_follows_a_planted_symlink_nor_clobbers_a_part_file_and_is_0600() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _) = one_restart();
    let dir = env.root().join("exports");
    std::fs::create_dir_all(&dir).unwrap();
    // Someone plants `out.part` as a symlink to a file of ours, and we keep our own
    // unrelated `notes.part` beside where `notes.csv` will go.
    let victim = env.root().join("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("out.part")).unwrap();
    std::fs::write(dir.join("notes.part"), "my notes\n").unwrap();
    for name in ["out.csv", "notes.csv"] {
        let path = dir.join(name);
        let exported = block_on(async {
            let client = Client::connect(env.socket()).await.unwrap();
            let params = ExportParams {
                program: None,
                kinds: vec![],
                since_ms: None,
                until_ms: None,
                format: ExportFormat::Csv,
                path: path.clone(),
            };
            client.call::<Export>(params).await.unwrap()
        });
        assert!(exported.rows >= 1);
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.file_type().is_file(), "{name} is not a plain file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}'s mode");
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("id,"));
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(std::fs::symlink_metadata(dir.join("out.part"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.part")).unwrap(),
        "my notes\n"
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["notes.csv", "notes.part", "out.csv", "out.part"]);
}
