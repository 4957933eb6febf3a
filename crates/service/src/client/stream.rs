//! Streams on their own connections: engine events, and a followed log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use lifeguard_engine::{Event, ProgramId, Snapshot};
use serde_json::json;
use tokio::sync::mpsc;

use super::conn::Conn;
use super::{Client, ClientError};
use crate::protocol::desktop::{MissedList, MissedRestart, MISSED_NOTIFICATION};
use crate::protocol::methods::{LogLines, Logs, Subscribe};
use crate::protocol::{
    Method, EVENT_NOTIFICATION, LAGGED_NOTIFICATION, LOG_NOTIFICATION, SNAPSHOT_NOTIFICATION,
};

/// What a subscription delivers: an engine event, or (when asked for) the whole state
/// after a burst of events.
#[derive(Debug, Clone)]
pub enum Update {
    /// One engine event.
    Event(Box<Event>),
    /// Every program's state after the events before it (what `status` answers).
    Snapshot(Box<Snapshot>),
    /// The restarts no notification showed (what `missed` answers), once at once and on
    /// each change (only with snapshots).
    Missed(Vec<MissedRestart>),
}

/// Engine events from the daemon, in order. Ends (`recv` gives `None`) when the daemon
/// closes the connection: the desktop app takes that as "the daemon is gone".
#[derive(Debug)]
pub struct Subscription {
    rx: mpsc::Receiver<Update>,
    missed: Arc<AtomicU64>,
}

impl Subscription {
    /// The next event (snapshots skipped); `None` once the daemon is gone.
    pub async fn recv(&mut self) -> Option<Event> {
        loop {
            if let Update::Event(event) = self.rx.recv().await? {
                return Some(*event);
            }
        }
    }

    /// The next event or snapshot; `None` once the daemon is gone.
    pub async fn recv_update(&mut self) -> Option<Update> {
        self.rx.recv().await
    }

    /// Events the daemon dropped because this subscriber fell behind (reload the status
    /// when it grows).
    pub fn missed(&self) -> u64 {
        self.missed.load(Ordering::Relaxed)
    }

    /// The underlying receiver, e.g. to wrap in a stream.
    pub fn into_receiver(self) -> mpsc::Receiver<Update> {
        self.rx
    }
}

/// New lines of a followed log, until the daemon closes the connection.
#[derive(Debug)]
pub struct LogFollow {
    /// The last lines when following began.
    pub tail: LogLines,
    /// Batches of new lines.
    pub lines: mpsc::Receiver<LogLines>,
}

impl Client {
    /// Subscribes to the daemon's events on a new connection.
    pub async fn subscribe(&self) -> Result<Subscription, ClientError> {
        self.subscribe_with(false).await
    }

    /// Subscribes to the daemon's events and, after each burst of them (and once at
    /// once), the whole snapshot: what a window or tray shows, never worked out from the
    /// events.
    pub async fn subscribe_with_snapshots(&self) -> Result<Subscription, ClientError> {
        self.subscribe_with(true).await
    }

    async fn subscribe_with(&self, snapshots: bool) -> Result<Subscription, ClientError> {
        let mut conn = Conn::open(self.socket()).await?;
        conn.call(1, Subscribe::NAME, json!({ "snapshots": snapshots }))
            .await?;
        let (tx, rx) = mpsc::channel(256);
        let missed = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&missed);
        tokio::spawn(async move {
            while let Some(n) = conn.next_notification().await {
                match n.method.as_str() {
                    EVENT_NOTIFICATION => {
                        let Ok(event) = serde_json::from_value::<Event>(n.params) else {
                            continue; // an event kind from a newer daemon
                        };
                        if tx.send(Update::Event(Box::new(event))).await.is_err() {
                            return; // the subscriber is gone: close the connection
                        }
                    }
                    SNAPSHOT_NOTIFICATION => {
                        let Ok(snap) = serde_json::from_value::<Snapshot>(n.params) else {
                            continue;
                        };
                        if tx.send(Update::Snapshot(Box::new(snap))).await.is_err() {
                            return;
                        }
                    }
                    MISSED_NOTIFICATION => {
                        let Ok(list) = serde_json::from_value::<MissedList>(n.params) else {
                            continue;
                        };
                        if tx.send(Update::Missed(list.missed)).await.is_err() {
                            return;
                        }
                    }
                    LAGGED_NOTIFICATION => {
                        let n = n.params.get("missed").and_then(|m| m.as_u64());
                        counter.fetch_add(n.unwrap_or(1), Ordering::Relaxed);
                    }
                    _ => {}
                }
            }
        });
        Ok(Subscription { rx, missed })
    }

    /// The last `lines` lines of a program's log, then its new lines as they come.
    pub async fn logs_follow(
        &self,
        program: &ProgramId,
        lines: usize,
    ) -> Result<LogFollow, ClientError> {
        let mut conn = Conn::open(self.socket()).await?;
        let params = json!({ "program": program, "lines": lines, "follow": true });
        let tail = conn.call(1, Logs::NAME, params).await?;
        let tail: LogLines =
            serde_json::from_value(tail).map_err(|e| ClientError::Protocol(e.to_string()))?;
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            while let Some(n) = conn.next_notification().await {
                if n.method != LOG_NOTIFICATION {
                    continue;
                }
                if let Ok(batch) = serde_json::from_value::<LogLines>(n.params) {
                    if tx.send(batch).await.is_err() {
                        return;
                    }
                }
            }
        });
        Ok(LogFollow { tail, lines: rx })
    }
}
