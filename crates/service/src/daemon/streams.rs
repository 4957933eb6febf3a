//! The streaming methods: `subscribe` (engine events) and `logs` with `follow` (a
//! program's stdout and stderr files). Each stream is a task that ends with its
//! connection ([`Outbox::closed`]).

use std::path::PathBuf;

use lifeguard_engine::ProgramId;
use serde_json::{json, Value};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;

use super::state::Daemon;
use crate::notify::Missed;
use crate::output::tail::{cap, cap_tails, last_lines, Follower, FOLLOW_EVERY, MAX_ANSWER_BYTES};
use crate::protocol::desktop::{MissedList, MISSED_NOTIFICATION};
use crate::protocol::methods::{LogLines, LogsParams, Stream, SubscribeParams};
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

    /// The last lines of a program's stdout and stderr logs; with `follow`, a task sends
    /// new lines of both.
    pub(super) async fn logs(&self, p: LogsParams, outbox: Outbox) -> Result<LogLines, RpcError> {
        let config = self.0.store.current();
        let known = config.program(p.program.as_str()).is_some()
            || self.0.sup.program(&p.program).await.is_ok();
        if !known {
            return Err(lifeguard_engine::EngineError::UnknownProgram(p.program).into());
        }
        let files = LogFiles {
            stdout: self.0.options.logs.path(&p.program),
            stderr: self.0.options.logs.stderr_path(&p.program),
        };
        let (n, both) = (p.lines, files.clone());
        let tails = tokio::task::spawn_blocking(move || {
            [last_lines(&both.stdout, n), last_lines(&both.stderr, n)]
        })
        .await
        .map_err(|e| RpcError::internal(e.to_string()))?;
        let lines = match tails {
            [Err(e), Err(_)] if e.kind() != std::io::ErrorKind::NotFound || !p.follow => {
                let msg = format!("no log for {} at {} ({e}); output set to a file or null in the config is not captured", p.program, files.stdout.display());
                return Err(RpcError::new(ErrorKind::NoLog, msg));
            }
            // A program whose stdout or stderr goes elsewhere has only the other file.
            // However many lines were asked for, one answer stays under 1 MiB.
            [out, err] => cap_tails(
                out.unwrap_or_default(),
                err.unwrap_or_default(),
                MAX_ANSWER_BYTES,
            ),
        };
        if p.follow {
            tokio::spawn(follow(p.program.clone(), files.clone(), outbox));
        }
        Ok(files.answer(p.program, lines))
    }
}

/// A program's two log files.
#[derive(Debug, Clone)]
struct LogFiles {
    stdout: PathBuf,
    stderr: PathBuf,
}

impl LogFiles {
    /// Capped `lines` as an answer or notification; `omitted` older lines were left out.
    fn answer(
        &self,
        program: ProgramId,
        (lines, omitted): (Vec<(Stream, String)>, usize),
    ) -> LogLines {
        let (streams, lines) = lines.into_iter().unzip();
        LogLines {
            program,
            path: self.stdout.clone(),
            stderr_path: Some(self.stderr.clone()),
            lines,
            streams,
            omitted,
        }
    }
}

/// Sends the new lines of both files as `log` notifications until the connection closes.
/// Each look reads stdout, then stderr: lines that came within one look (250 ms) are
/// ordered by stream, not by when they were written.
async fn follow(program: ProgramId, files: LogFiles, outbox: Outbox) {
    let mut out = Follower::at_end(&files.stdout);
    let mut err = Follower::at_end(&files.stderr);
    let mut tick = tokio::time::interval(FOLLOW_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = outbox.closed() => return,
        }
        let mut lines: Vec<(Stream, String)> = Vec::new();
        for (stream, follower, path) in [
            (Stream::Stdout, &mut out, &files.stdout),
            (Stream::Stderr, &mut err, &files.stderr),
        ] {
            if let Ok(new) = follower.poll(path) {
                lines.extend(new.into_iter().map(|l| (stream, l)));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let batch = files.answer(program.clone(), cap(lines, MAX_ANSWER_BYTES));
        let params = serde_json::to_value(batch).unwrap_or(Value::Null);
        if outbox
            .send(Notification::line(LOG_NOTIFICATION, params))
            .await
            .is_err()
        {
            return;
        }
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
