//! One client connection: the uid check, then requests read one line at a time and
//! answered in order. Responses and notifications share one writer task, so a streaming
//! method and the answers to later requests never interleave within a line.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot, watch};

use super::line::{read_line, Line};
use super::Handler;
use crate::protocol::{ErrorKind, Request, Response, RpcError, MAX_LINE};

/// Bytes of answers and notifications queued for one connection at most. A client that
/// lets this much pile up is not reading: it is dropped, so it cannot grow the daemon.
pub const QUEUE_BYTES: usize = 32 * 1024 * 1024;
/// The longest answer line; a longer one is replaced by a `response_too_large` error
/// (clients read answers of up to 64 MiB).
pub const MAX_RESPONSE: usize = 16 * 1024 * 1024;
/// What each queued line costs beyond its bytes (the `String` and the queue's node), so a
/// flood of tiny lines is bounded too.
const LINE_OVERHEAD: usize = 64;
/// How long answers already queued may take to go out once the client has sent EOF.
const DRAIN: Duration = Duration::from_secs(10);

/// Where a handler sends notifications for its connection. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<String>,
    shared: Arc<Shared>,
}

/// What a connection's outboxes and its writer share: the bytes queued, and the signal
/// that drops a client that does not read.
#[derive(Debug)]
struct Shared {
    queued: AtomicUsize,
    dropped: watch::Sender<bool>,
}

impl Shared {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            queued: AtomicUsize::new(0),
            dropped: watch::channel(false).0,
        })
    }
}

impl Outbox {
    /// An outbox on `tx`, accounting its bytes in `shared`.
    fn new(tx: mpsc::UnboundedSender<String>, shared: Arc<Shared>) -> Self {
        Self { tx, shared }
    }

    /// Queues one line (without newline). Fails once the client is gone — or has left so
    /// much unread ([`QUEUE_BYTES`]) that it is dropped, which closes its connection.
    pub async fn send(&self, line: String) -> Result<(), Gone> {
        let cost = line.len() + LINE_OVERHEAD;
        let before = self.shared.queued.fetch_add(cost, Ordering::SeqCst);
        if before + cost > QUEUE_BYTES {
            self.shared.queued.fetch_sub(cost, Ordering::SeqCst);
            if !self.shared.dropped.send_replace(true) {
                tracing::warn!(
                    queued = before,
                    "dropped a client that does not read what the daemon sends it"
                );
            }
            return Err(Gone);
        }
        self.tx.send(line).map_err(|_| Gone)
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

/// Resolves once the connection is dropped for not reading.
async fn dropped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|d| *d).await;
}

/// Writes `line` and a newline, unless the connection is dropped first.
async fn write_line(
    write: &mut (impl AsyncWriteExt + Unpin),
    mut line: String,
    shared: &Shared,
    drop_rx: &mut watch::Receiver<bool>,
) -> bool {
    let cost = line.len() + LINE_OVERHEAD;
    line.push('\n');
    let written = tokio::select! {
        r = write.write_all(line.as_bytes()) => r.is_ok(),
        () = dropped(drop_rx) => false,
    };
    shared.queued.fetch_sub(cost, Ordering::SeqCst);
    written
}

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
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let shared = Shared::new();
    let (done_tx, mut done_rx) = oneshot::channel::<()>();
    // The writer ends when the reader is done (EOF, error, daemon stopping), dropping
    // `rx` so every streaming task's `Outbox::closed` fires; or at once when the client
    // is dropped for not reading.
    let writer_shared = Arc::clone(&shared);
    let writer = tokio::spawn(async move {
        let shared = writer_shared;
        let mut drop_rx = shared.dropped.subscribe();
        loop {
            let line = tokio::select! {
                biased;
                line = rx.recv() => line,
                _ = &mut done_rx => None,
                () = dropped(&mut drop_rx) => return,
            };
            let Some(line) = line else { break };
            if !write_line(&mut write, line, &shared, &mut drop_rx).await {
                return;
            }
        }
        // The client is done sending: what was queued for it goes out, for a while.
        let _ = tokio::time::timeout(DRAIN, async {
            while let Ok(line) = rx.try_recv() {
                if !write_line(&mut write, line, &shared, &mut drop_rx).await {
                    return;
                }
            }
        })
        .await;
    });
    let outbox = Outbox::new(tx, Arc::clone(&shared));
    let mut drop_rx = shared.dropped.subscribe();
    let mut reader = BufReader::new(read);
    loop {
        let line = tokio::select! {
            line = read_line(&mut reader, MAX_LINE) => line,
            () = super::stopped(&mut stop) => break,
            () = dropped(&mut drop_rx) => break,
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
            if outbox.send(bounded(reply)).await.is_err() {
                break;
            }
        }
    }
    // Let queued answers go out before closing, then stop the writer.
    drop(outbox);
    let _ = done_tx.send(());
    let _ = writer.await;
}

/// The answer's line, or a `response_too_large` error in its place when it is longer
/// than [`MAX_RESPONSE`] (methods bound their own answers; this is the backstop).
fn bounded(reply: Response) -> String {
    let line = reply.to_line();
    if line.len() <= MAX_RESPONSE {
        return line;
    }
    let id = reply.id.clone();
    let err = RpcError::new(
        ErrorKind::ResponseTooLarge,
        format!(
            "the answer is {} bytes, more than the {MAX_RESPONSE} a connection is sent at \
             once; ask for less (fewer lines, a narrower range)",
            line.len()
        ),
    );
    Response::err(id, err).to_line()
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
