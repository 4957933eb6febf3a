//! One connection to the daemon: write a request line, read lines until its response.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::UnixStream;

use super::ClientError;
use crate::protocol::wire::Incoming;
use crate::protocol::{Notification, Request, Response, MAX_LINE};
use crate::server::line::{read_line, Line};

/// Longest line accepted from the daemon: a `logs` answer can be long.
const MAX_ANSWER: usize = 64 * MAX_LINE;

#[derive(Debug)]
pub(super) struct Conn {
    socket: PathBuf,
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Conn {
    pub(super) async fn open(socket: &Path) -> Result<Self, ClientError> {
        let stream = UnixStream::connect(socket)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused => {
                    ClientError::NoDaemon {
                        socket: socket.to_owned(),
                    }
                }
                _ => ClientError::Io {
                    socket: socket.to_owned(),
                    source: e,
                },
            })?;
        let (read, writer) = stream.into_split();
        Ok(Self {
            socket: socket.to_owned(),
            reader: BufReader::new(read),
            writer,
        })
    }

    fn io(&self, source: std::io::Error) -> ClientError {
        ClientError::Io {
            socket: self.socket.clone(),
            source,
        }
    }

    /// Sends one request and waits for its response (notifications in between are
    /// skipped: they belong to streams, which have connections of their own).
    pub(super) async fn call(
        &mut self,
        id: u64,
        method: &str,
        params: Value,
    ) -> Result<Value, ClientError> {
        let request = Request::new(id, method, params);
        let mut line =
            serde_json::to_string(&request).map_err(|e| ClientError::Protocol(e.to_string()))?;
        line.push('\n');
        if let Err(e) = self.writer.write_all(line.as_bytes()).await {
            // The daemon may have answered and closed before reading (a refused uid):
            // its error says more than EPIPE does.
            if let Ok(Incoming::Response(Response {
                error: Some(err), ..
            })) = self.next().await
            {
                return Err(ClientError::Rpc(err));
            }
            return Err(self.io(e));
        }
        loop {
            match self.next().await? {
                Incoming::Response(r) if r.id.as_u64() == Some(id) || r.id.is_null() => {
                    return match (r.result, r.error) {
                        (_, Some(e)) => Err(ClientError::Rpc(e)),
                        (Some(v), None) => Ok(v),
                        (None, None) => Ok(Value::Null),
                    };
                }
                _ => continue,
            }
        }
    }

    /// The next message from the daemon.
    pub(super) async fn next(&mut self) -> Result<Incoming, ClientError> {
        loop {
            match read_line(&mut self.reader, MAX_ANSWER).await {
                Ok(Line::Text(bytes)) => {
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| ClientError::Protocol(format!("unreadable line: {e}")));
                }
                Ok(Line::TooLong) => continue,
                Ok(Line::Eof) => {
                    return Err(self.io(std::io::ErrorKind::UnexpectedEof.into()));
                }
                Err(e) => return Err(self.io(e)),
            }
        }
    }

    /// The next notification, or `None` when the daemon closed the connection.
    pub(super) async fn next_notification(&mut self) -> Option<Notification> {
        loop {
            match self.next().await {
                Ok(Incoming::Notification(n)) => return Some(n),
                Ok(Incoming::Response(_)) => continue,
                Err(ClientError::Protocol(_)) => continue,
                Err(_) => return None,
            }
        }
    }
}
