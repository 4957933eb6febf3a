//! The streaming methods: `subscribe` (engine events) and `logs` with `follow`. Each
//! stream is a task that ends with its connection ([`Outbox::closed`]).

use serde_json::{json, Value};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;

use super::state::Daemon;
use crate::notify::Missed;
use crate::output::tail::{cap, last_lines, Follower, FOLLOW_EVERY, MAX_ANSWER_BYTES};
use crate::protocol::desktop::{MissedList, MISSED_NOTIFICATION};
use crate::protocol::methods::{LogLines, LogsParams, SubscribeParams};
use crate::protocol::{
    ErrorKind, Notification, RpcError, EVENT_NOTIFICATION, LAGGED_NOTIFICATION, LOG_NOTIFICATION,
    SNAPSHOT_NOTIFICATION,
};
use crate::server::Outbox;

impl Daemon {
    /// Forwards every engine event from now on as an `event` notification; with
    /// `snapshots`, a `snapshot` notification first and after each burst of events, and
    /// the missed restarts (`missed`) first and on each change of their list.
    pub(super) fn subscribe(&self, p: SubscribeParams, outbox: Outbox) {
        let mut events = self.0.sup.subscribe();
        // Only a snapshot subscriber holds the supervisor (to ask it for the state).
        let sup = p.snapshots.then(|| self.0.sup.clone());
        let missed = p.snapshots.then(|| self.missed()).flatten();
        let mut changes = missed.as_ref().map(Missed::changes);
        tokio::spawn(async move {
            if send_snapshot(sup.as_ref(), &outbox).await.is_err()
                || send_missed(missed.as_ref(), &outbox).await.is_err()
            {
                return;
            }
            loop {
                let first = tokio::select! {
                    ev = events.recv() => ev,
                    () = changed(&mut changes) => {
                        if send_missed(missed.as_ref(), &outbox).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    _ = outbox.closed() => return,
                };
                // A burst (a global pause, a kill of a group) is sent whole, then one
                // snapshot: the state after its last step.
                let mut next = Some(first);
                while let Some(ev) = next.take() {
                    let line = match ev {
                        Ok(e) => {
                            let params: Value =
                                serde_json::from_str(&e.to_json_line()).unwrap_or(Value::Null);
                            Notification::line(EVENT_NOTIFICATION, params)
                        }
                        Err(RecvError::Lagged(n)) => {
                            Notification::line(LAGGED_NOTIFICATION, json!({ "missed": n }))
                        }
                        Err(RecvError::Closed) => return,
                    };
                    if outbox.send(line).await.is_err() {
                        return;
                    }
                    next = match events.try_recv() {
                        Ok(e) => Some(Ok(e)),
                        Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                        Err(TryRecvError::Closed) => Some(Err(RecvError::Closed)),
                        Err(TryRecvError::Empty) => None,
                    };
                }
                if send_snapshot(sup.as_ref(), &outbox).await.is_err() {
                    return;
                }
            }
        });
    }

    /// The last lines of a program's log; with `follow`, a task sends new lines.
    pub(super) async fn logs(&self, p: LogsParams, outbox: Outbox) -> Result<LogLines, RpcError> {
        let config = self.0.store.current();
        let known = config.program(p.program.as_str()).is_some()
            || self.0.sup.program(&p.program).await.is_ok();
        if !known {
            return Err(lifeguard_engine::EngineError::UnknownProgram(p.program).into());
        }
        let path = self.0.options.logs.path(&p.program);
        let (n, file) = (p.lines, path.clone());
        let lines = tokio::task::spawn_blocking(move || last_lines(&file, n))
            .await
            .map_err(|e| RpcError::internal(e.to_string()))?;
        let lines = match lines {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && p.follow => Vec::new(),
            Err(e) => {
                let msg = format!("no log for {} at {} ({e}); output set to a file or null in the config is not captured", p.program, path.display());
                return Err(RpcError::new(ErrorKind::NoLog, msg));
            }
        };
        if p.follow {
            let (program, path) = (p.program.clone(), path.clone());
            tokio::spawn(async move {
                let mut follower = Follower::at_end(&path);
                let mut tick = tokio::time::interval(FOLLOW_EVERY);
                loop {
                    tokio::select! {
                        _ = tick.tick() => {}
                        _ = outbox.closed() => return,
                    }
                    let Ok(lines) = follower.poll(&path) else {
                        continue;
                    };
                    if lines.is_empty() {
                        continue;
                    }
                    let (lines, omitted) = cap(lines, MAX_ANSWER_BYTES);
                    let batch = LogLines {
                        program: program.clone(),
                        path: path.clone(),
                        lines,
                        omitted,
                    };
                    let params = serde_json::to_value(batch).unwrap_or(Value::Null);
                    if outbox
                        .send(Notification::line(LOG_NOTIFICATION, params))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        // However many lines were asked for, one answer stays under 1 MiB.
        let (lines, omitted) = cap(lines, MAX_ANSWER_BYTES);
        Ok(LogLines {
            program: p.program,
            path,
            lines,
            omitted,
        })
    }
}

/// Returns when the missed list changed; never without one (or once its notifier is gone).
async fn changed(changes: &mut Option<watch::Receiver<()>>) {
    if let Some(rx) = changes {
        if rx.changed().await.is_ok() {
            return;
        }
        *changes = None;
    }
    std::future::pending().await
}

/// Sends the missed restarts (what `missed` answers) to a snapshot subscriber.
async fn send_missed(missed: Option<&Missed>, outbox: &Outbox) -> Result<(), ()> {
    let Some(missed) = missed else {
        return Ok(());
    };
    let list = MissedList {
        missed: missed.list(),
    };
    let params = serde_json::to_value(list).unwrap_or(Value::Null);
    outbox
        .send(Notification::line(MISSED_NOTIFICATION, params))
        .await
        .map_err(|_| ())
}

/// Sends the engine's snapshot (what `status` answers) to a snapshot subscriber. `Err`
/// when the connection is gone; a supervisor that is shutting down sends nothing.
async fn send_snapshot(
    sup: Option<&lifeguard_engine::Supervisor>,
    outbox: &Outbox,
) -> Result<(), ()> {
    let Some(Ok(snapshot)) = (match sup {
        Some(sup) => Some(sup.snapshot().await),
        None => None,
    }) else {
        return Ok(());
    };
    let params = serde_json::to_value(snapshot).unwrap_or(Value::Null);
    outbox
        .send(Notification::line(SNAPSHOT_NOTIFICATION, params))
        .await
        .map_err(|_| ())
}
