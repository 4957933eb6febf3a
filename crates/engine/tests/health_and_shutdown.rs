//! Health checks and deliberate stops with real processes: a failing HTTP endpoint gets
//! its program restarted with the cause recorded; a shutdown holds restarts before it
//! stops anything, so programs killed meanwhile are not brought back.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use lifeguard_engine::{EventKind, HealthCheck, Origin, ProgramId, Supervisor};

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn failing_http_endpoint_restarts_after_the_configured_failures() {
    let dir = tempfile::tempdir().unwrap();
    let fail = dir.path().join("fail");
    let addr = format!("127.0.0.1:{}", free_port());
    let mut spec = testprog(
        "web",
        &["--serve-http", &addr, "--fail-file", path_arg(&fail)],
    );
    spec.health = Some(HealthCheck {
        http: Some(format!("http://{addr}/health")),
        interval: Duration::from_millis(100),
        timeout: Duration::from_secs(2),
        start_grace: Duration::from_millis(200),
        failures: 3,
        ..HealthCheck::new()
    });
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    sup.add(spec, Origin::api()).await.unwrap();
    let healthy = events_during(&mut rx, Duration::from_millis(1500)).await;
    let kinds: Vec<_> = healthy.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::Added, EventKind::Started],
        "healthy: checks pass"
    );

    std::fs::write(&fail, "").unwrap();
    let failed = next(&mut rx, EventKind::HealthFailed).await;
    let reason = failed.reason.unwrap();
    assert!(
        reason.contains("3 times in a row") && reason.contains("HTTP 500"),
        "{reason}"
    );
    std::fs::remove_file(&fail).unwrap();
    let scheduled = next(&mut rx, EventKind::RestartScheduled).await;
    assert!(scheduled.reason.unwrap().contains("health check"));
    let restarted = next(&mut rx, EventKind::Restarted).await;
    assert_ne!(restarted.pid, failed.pid);
    let after = events_during(&mut rx, Duration::from_millis(1500)).await;
    assert!(after.is_empty(), "healthy again: {after:?}");
    sup.shutdown(Origin::api()).await;
}

#[tokio::test]
async fn shutdown_holds_restarts_before_stopping_anything() {
    lifeguard_engine::enable_child_subreaper().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let victim_pid = dir.path().join("victim");
    let sup = Supervisor::new();
    let mut rx = sup.subscribe();
    // "b-victim" is stopped after "a-killer" (ids in order); stopping the killer SIGKILLs the
    // victim, as the end of a session kills programs behind Lifeguard's back.
    sup.add(
        testprog("b-victim", &["--pid-file", path_arg(&victim_pid)]),
        Origin::api(),
    )
    .await
    .unwrap();
    let script = format!(
        "trap 'kill -9 $(cat {}); exit 0' TERM; while :; do sleep 0.05; done",
        path_arg(&victim_pid)
    );
    let mut killer = testprog("a-killer", &[]);
    killer.argv = vec!["sh".into(), "-c".into(), script];
    sup.add(killer, Origin::api()).await.unwrap();
    for id in ["a-killer", "b-victim", "c-helpers"] {
        if id == "c-helpers" {
            sup.add(testprog(id, &["--helpers", "2"]), Origin::api())
                .await
                .unwrap();
        }
        eventually("running", || !live_of(id).is_empty()).await;
    }
    let _ = events_during(&mut rx, Duration::from_millis(200)).await;

    let reports = sup.shutdown(Origin::api().with_reason("SIGTERM")).await;
    assert_eq!(reports.len(), 3);
    let seen = events_during(&mut rx, Duration::from_millis(800)).await;
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e.kind, EventKind::Started | EventKind::Restarted)),
        "nothing restarted during the shutdown: {seen:?}"
    );
    for id in ["a-killer", "b-victim", "c-helpers"] {
        assert!(live_of(id).is_empty(), "{id} stopped with its whole tree");
    }
    let err = sup
        .start(&ProgramId::new("b-victim").unwrap(), Origin::api())
        .await;
    assert!(err.is_err(), "no controls after shutdown");
}
