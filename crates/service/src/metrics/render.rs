//! The exposition: a fresh registry per scrape, filled from a snapshot and the exit counts.

use std::sync::atomic::AtomicU64;
use std::time::{SystemTime, UNIX_EPOCH};

use lifeguard_engine::{Exit, Observed, Snapshot};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::ExitCounts;

type Labels = Vec<(&'static str, String)>;
type FloatGauge = Gauge<f64, AtomicU64>;

/// The metrics as OpenMetrics text.
pub fn render(snapshot: &Snapshot, exits: &ExitCounts) -> Result<String, std::fmt::Error> {
    let mut registry = Registry::default();
    let up = Family::<Labels, Gauge>::default();
    let restarts = Family::<Labels, Counter>::default();
    let exits_total = Family::<Labels, Counter>::default();
    let last_code = Family::<Labels, Gauge>::default();
    let backoff = Family::<Labels, FloatGauge>::default();
    let uptime = Family::<Labels, FloatGauge>::default();
    let paused = Gauge::<i64>::default();
    registry.register(
        "lifeguard_program_up",
        "1 if the program is running",
        up.clone(),
    );
    registry.register(
        "lifeguard_program_restarts",
        "Instances started in place of one that died or was restarted",
        restarts.clone(),
    );
    registry.register(
        "lifeguard_program_exits",
        "Unrequested exits by reason (SIGKILL…, exit_<code>, spawn_failed, unknown)",
        exits_total.clone(),
    );
    registry.register(
        "lifeguard_program_last_exit_code",
        "Exit code of the last instance; 128+N when signal N killed it",
        last_code.clone(),
    );
    registry.register(
        "lifeguard_program_backoff_seconds",
        "Time left before a scheduled restart (0 when none)",
        backoff.clone(),
    );
    registry.register(
        "lifeguard_program_uptime_seconds",
        "How long the running instance has been up (0 when down)",
        uptime.clone(),
    );
    registry.register(
        "lifeguard_paused",
        "1 while protection is paused for all programs",
        paused.clone(),
    );

    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    paused.set(i64::from(snapshot.paused));
    for p in &snapshot.programs {
        let labels: Labels = vec![("program", p.id.to_string())];
        let (is_up, up_s, backoff_s) = match p.state {
            Observed::Running { since, .. } => (1, now_ms.saturating_sub(since) as f64 / 1e3, 0.0),
            Observed::Backoff { delay_ms, .. } => (0, 0.0, delay_ms as f64 / 1e3),
            _ => (0, 0.0, 0.0),
        };
        up.get_or_create(&labels).set(is_up);
        uptime.get_or_create(&labels).set(up_s);
        backoff.get_or_create(&labels).set(backoff_s);
        restarts.get_or_create(&labels).inc_by(p.restarts);
        if let Some(exit) = p.last_exit {
            let code = match exit {
                Exit::Code(c) => i64::from(c),
                Exit::Signal { signal, .. } => 128 + i64::from(signal.number()),
                Exit::Unknown => -1,
            };
            last_code.get_or_create(&labels).set(code);
        }
    }
    for ((program, reason), n) in exits.get() {
        let labels: Labels = vec![("program", program), ("reason", reason)];
        exits_total.get_or_create(&labels).inc_by(n);
    }
    let mut out = String::new();
    encode(&mut out, &registry)?;
    Ok(out)
}
