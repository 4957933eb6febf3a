//! No periodic wake-ups without a health check: the whole test process (one runtime
//! thread) is measured while one program sleeps. In its own test binary, so no other test
//! shares the process.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use lifeguard_engine::{HealthCheck, Origin, Supervisor};

/// Context switches of every thread of this process so far.
fn switches() -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        total += status
            .lines()
            .filter(|l| l.contains("ctxt_switches"))
            .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
            .sum::<u64>();
    }
    total
}

async fn switches_over(d: Duration) -> u64 {
    let before = switches();
    // One timer for the whole window: the test's own wake-up.
    tokio::time::sleep(d).await;
    switches() - before
}

#[tokio::test]
async fn no_health_check_no_periodic_wakeups_but_a_check_wakes_periodically() {
    let sup = Supervisor::new();
    sup.add(testprog("quiet", &[]), Origin::api())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = switches_over(Duration::from_secs(2)).await;

    let mut spec = testprog("checked", &[]);
    spec.health = Some(HealthCheck {
        command: Some(vec!["true".into()]),
        interval: Duration::from_millis(50),
        start_grace: Duration::from_millis(1),
        ..HealthCheck::new()
    });
    sup.add(spec, Origin::api()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let checking = switches_over(Duration::from_secs(2)).await;
    sup.shutdown(Origin::api()).await;
    assert!(idle <= 6, "idle supervisor woke {idle} times in 2 s");
    assert!(
        checking >= 20,
        "a 50 ms health check must wake it: {checking}"
    );
}
