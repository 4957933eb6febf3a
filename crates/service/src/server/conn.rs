//! One client connection: the uid check, then requests read one line at a time and
//! answered in order. Responses and notifications share one writer task, so a streaming
//! method and the answers to later requests never interleave within a line.

use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot, watch};

use super::line::{read_line, Line};
use super::Handler;
use crate::protocol::{ErrorKind, Request, Response, RpcError, MAX_LINE};

/// Lines queued for one connection before a streaming sender has to wait.
const QUEUE: usize = 256;

/// Where a handler sends notifications for its connection. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    tx: mpsc::Sender<String>,
}

impl Outbox {
    pub(crate) fn new(tx: mpsc::Sender<String>) -> Self {
        Self { tx }
    }

    /// Queues one line (without newline). Fails once the client is gone.
    pub async fn send(&self, line: String) -> Result<(), Gone> {
        self.tx.send(line).await.map_err(|_| Gone)
    }

    /// Resolves when the client has disconnected: streaming tasks select on it so they
    /// end with their connection even when they have nothing to send.
    pub async fn closed(&self) {
        self.tx.closed().await
    }
}

/// The connection this outbox belonged to is closed.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the client disconnected")]
pub struct Gone;

pub(super) async fn serve<H: Handler>(
    stream: UnixStream,
    uid: u32,
    handler: Arc<H>,
    mut stop: watch::Receiver<bool>,
) {
    let peer = stream.peer_cred().map(|c| c.uid());
    let (read, mut write) = stream.into_split();
    if peer.as_ref().ok() != Some(&uid) {
        let who = match &peer {
            Ok(u) => format!("uid {u}"),
            Err(e) => format!("an unknown peer ({e})"),
        };
        tracing::warn!(peer = %who, "refused a connection from another user");
        let err = RpcError::new(
            ErrorKind::Forbidden,
            format!("refused: this daemon serves uid {uid} only, not {who}"),
        );
        let line = Response::err(Value::Null, err).to_line() + "\n";
        let _ = write.write_all(line.as_bytes()).await;
        return;
    }
    let (tx, mut rx) = mpsc::channel::<String>(QUEUE);
    let (done_tx, mut done_rx) = oneshot::channel::<()>();
    // The writer ends when the reader is done (EOF, error, daemon stopping), dropping
    // `rx` so every streaming task's `Outbox::closed` fires.
    let writer = tokio::spawn(async move {
        loop {
            let line = tokio::select! {
                line = rx.recv() => line,
                _ = &mut done_rx => None,
            };
            let Some(mut line) = line else { break };
            line.push('\n');
            if write.write_all(line.as_bytes()).await.is_err() {
                break;
            }
        }
    });
    let outbox = Outbox::new(tx);
    let mut reader = BufReader::new(read);
    loop {
        let line = tokio::select! {
            line = read_line(&mut reader, MAX_LINE) => line,
            () = super::stopped(&mut stop) => break,
        };
        let reply = match line {
            Ok(Line::Eof) | Err(_) => break,
            Ok(Line::TooLong) => Some(Response::err(
                Value::Null,
                RpcError::new(
                    ErrorKind::RequestTooLarge,
                    format!("request line longer than {MAX_LINE} bytes; it was discarded"),
                ),
            )),
            Ok(Line::Text(bytes)) if bytes.iter().all(u8::is_ascii_whitespace) => None,
            Ok(Line::Text(bytes)) => answer(&bytes, &*handler, &outbox).await,
        };
        if let Some(reply) = reply {
            if outbox.send(reply.to_line()).await.is_err() {
                break;
            }
        }
    }
    // Let queued answers go out before closing, then stop the writer.
    drop(outbox);
    let _ = done_tx.send(());
    let _ = writer.await;
}

/// Parses and dispatches one request; `None` for a JSON-RPC notification (no `id`).
async fn answer<H: Handler>(bytes: &[u8], handler: &H, outbox: &Outbox) -> Option<Response> {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let err = RpcError::new(ErrorKind::ParseError, format!("not JSON: {e}"));
            return Some(Response::err(Value::Null, err));
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let request = match serde_json::from_value::<Request>(value) {
        Ok(r) if r.jsonrpc == "2.0" => r,
        Ok(_) => {
            let err = RpcError::new(ErrorKind::InvalidRequest, "\"jsonrpc\" must be \"2.0\"");
            return Some(Response::err(id, err));
        }
        Err(e) => {
            let msg = format!("not a JSON-RPC 2.0 request: {e}; send {{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"hello\"}}");
            return Some(Response::err(
                id,
                RpcError::new(ErrorKind::InvalidRequest, msg),
            ));
        }
    };
    let params = request
        .params
        .unwrap_or_else(|| Value::Object(Default::default()));
    let result = handler.call(request.method, params, outbox.clone()).await;
    let id = request.id?;
    Some(match result {
        Ok(v) => Response::ok(id, v),
        Err(e) => Response::err(id, e),
    })
}
