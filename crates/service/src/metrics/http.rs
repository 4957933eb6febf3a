//! A minimal HTTP/1.1 responder for `GET /metrics`: one request per connection, then
//! close. Enough for Prometheus and curl, without a web framework in a small daemon.

use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The OpenMetrics content type.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Longest request head read; anything longer is answered 431.
const MAX_HEAD: usize = 8 * 1024;

/// Serves `/metrics` on `listener` forever; `body` renders the text for each scrape.
pub async fn serve<F, Fut>(listener: TcpListener, body: F)
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Option<String>> + Send,
{
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let body = body.clone();
        tokio::spawn(async move {
            // A client that never finishes its request is dropped, not waited on.
            let _ = tokio::time::timeout(Duration::from_secs(10), answer(stream, body)).await;
        });
    }
}

async fn answer<F, Fut>(mut stream: TcpStream, body: F) -> std::io::Result<()>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Option<String>>,
{
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_HEAD {
            return respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                "text/plain",
                "",
            )
            .await;
        }
    }
    let first = String::from_utf8_lossy(&head);
    let mut words = first.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET", "/metrics") => match body().await {
            Some(text) => respond(&mut stream, "200 OK", CONTENT_TYPE, &text).await,
            None => {
                respond(
                    &mut stream,
                    "503 Service Unavailable",
                    "text/plain",
                    "shutting down\n",
                )
                .await
            }
        },
        ("GET", _) => respond(&mut stream, "404 Not Found", "text/plain", "try /metrics\n").await,
        _ => {
            respond(
                &mut stream,
                "405 Method Not Allowed",
                "text/plain",
                "GET only\n",
            )
            .await
        }
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    ty: &str,
    body: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}
