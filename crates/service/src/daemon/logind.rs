//! A shutdown announced by logind: `PrepareForShutdown(true)` on the system bus comes
//! before the session's programs are killed, so restarts are held at once and programs
//! killed by the shutdown are not brought back. `PrepareForShutdown(false)` (the shutdown
//! was cancelled) lifts the hold, if it was ours. Without a system bus (containers,
//! minimal machines) nothing happens: the SIGTERM that ends the daemon holds restarts too.
//!
//! Sleep: `PrepareForSleep(true)` starts the engine's sleep (time asleep counts neither as
//! uptime nor toward backoff and the breaker's window), `PrepareForSleep(false)` ends it
//! and checks every program at once (`Supervisor::sleeping`, `Supervisor::woke`).

use futures_util::StreamExt;
use lifeguard_engine::{Origin, RequestedBy, Supervisor};
use zbus::proxy::SignalStream;

const LOGIND: &str = "org.freedesktop.login1";
const PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";

/// Follows logind's shutdown announcements until the bus goes away.
pub(super) async fn watch(sup: Supervisor) {
    let mut signals = match subscribe().await {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!(error = %e, "logind not followed: shutdowns are seen by SIGTERM only");
            return;
        }
    };
    tracing::info!("following logind's shutdown and sleep announcements");
    let mut held_by_us = false;
    while let Some(msg) = signals.next().await {
        let Ok(starting) = msg.body().deserialize::<bool>() else {
            continue;
        };
        let sleep = msg
            .header()
            .member()
            .is_some_and(|m| m.as_str() == "PrepareForSleep");
        if sleep {
            if starting {
                tracing::info!("the machine is going to sleep");
                sup.sleeping().await;
            } else {
                tracing::info!("the machine woke up: checking every program");
                sup.woke(origin("the machine woke up")).await;
            }
        } else if starting {
            let paused = sup.snapshot().await.map(|s| s.paused).unwrap_or(false);
            if !paused {
                held_by_us = true;
                let why = "the machine is shutting down: restarts are held";
                let _ = sup.pause_all(None, origin(why)).await;
            }
        } else if std::mem::take(&mut held_by_us) {
            let why = "the shutdown was cancelled: restarts resume";
            let _ = sup.resume_all(origin(why)).await;
        }
    }
}

async fn subscribe(
) -> zbus::Result<futures_util::stream::Select<SignalStream<'static>, SignalStream<'static>>> {
    let conn = zbus::Connection::system().await?;
    let proxy = zbus::Proxy::new_owned(conn, LOGIND, PATH, MANAGER).await?;
    let shutdown = proxy.receive_signal("PrepareForShutdown").await?;
    let sleep = proxy.receive_signal("PrepareForSleep").await?;
    Ok(futures_util::stream::select(shutdown, sleep))
}

fn origin(reason: &str) -> Origin {
    Origin::new(RequestedBy::Api).with_reason(reason)
}
