//! A minimal HTTP/1.1 responder for `GET /metrics`: one request per connection, then
//! close. Enough for Prometheus and curl, without a web framework in a small daemon.
//!
//! Loopback is not a trust boundary: every local user, and every web page the person
//! opens (DNS rebinding: `evil.example` resolving to 127.0.0.1), can reach the port. So
//! at most [`MAX_CONNECTIONS`] are served at once and each must send its request within
//! [`HEAD_TIMEOUT`] (file descriptors are what restarts need), and a request whose `Host`
//! is not this listener's own loopback name and port is refused.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The OpenMetrics content type.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Longest request head read; anything longer is answered 431.
const MAX_HEAD: usize = 8 * 1024;
/// Connections served at once; more are closed at once (a scraper retries next interval).
pub const MAX_CONNECTIONS: usize = 16;
/// How long a client may take to send its request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one connection may last in all (the answer is written within it too).
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);
/// What a connection over the limit is told, if its socket takes it without waiting.
const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Serves `/metrics` on `listener` forever; `body` renders the text for each scrape.
pub async fn serve<F, Fut>(listener: TcpListener, body: F)
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Option<String>> + Send,
{
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            // Never wait on a client over the limit: one non-blocking write, then close.
            let _ = stream.try_write(BUSY);
            continue;
        };
        let body = body.clone();
        tokio::spawn(async move {
            // A client that never finishes its request is dropped, not waited on.
            let _ = tokio::time::timeout(CONNECTION_TIMEOUT, answer(stream, port, body)).await;
            drop(slot);
        });
    }
}

/// Whether a `Host` header value names this listener: `127.0.0.1`, `localhost` or
/// `[::1]`, with `port` (which may be left out only when it is 80, as HTTP allows).
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.trim();
    let (name, given) = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => (&host[..i], Some(&host[i + 1..])),
        _ => (host, None),
    };
    let name_ok = name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost");
    let port_ok = match given {
        Some(p) => p.parse::<u16>().ok() == Some(port),
        None => port == 80,
    };
    name_ok && port_ok
}

/// The value of the `Host` header in a request head, if there is one.
fn host_header(head: &str) -> Option<&str> {
    head.lines().skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then_some(value.trim())
    })
}

async fn answer<F, Fut>(mut stream: TcpStream, port: u16, body: F) -> std::io::Result<()>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Option<String>>,
{
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let Ok(n) = tokio::time::timeout(HEAD_TIMEOUT, stream.read(&mut buf)).await else {
            return Ok(()); // idle: close, freeing the slot
        };
        let n = n?;
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
    if !host_header(&first).is_some_and(|h| host_allowed(h, port)) {
        let text = format!(
            "the Host header must be 127.0.0.1:{port}, localhost:{port} or [::1]:{port}: \
             metrics are only for this machine (a web page must not read them)\n"
        );
        return respond(&mut stream, "403 Forbidden", "text/plain", &text).await;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_with_our_port_are_hosts() {
        for ok in [
            "127.0.0.1:9464",
            "localhost:9464",
            "LocalHost:9464",
            "[::1]:9464",
            " 127.0.0.1:9464 ",
        ] {
            assert!(host_allowed(ok, 9464), "{ok}");
        }
        for bad in [
            "evil.example:9464",
            "127.0.0.1:9465",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1.evil.example:9464",
            "localhost.:9464",
            "",
            ":9464",
            "[::1]:x",
        ] {
            assert!(!host_allowed(bad, 9464), "{bad}");
        }
        assert!(host_allowed("localhost", 80));
        let head = "GET /metrics HTTP/1.1\r\nUser-Agent: x\r\nhOsT:  localhost:1 \r\n\r\n";
        assert_eq!(host_header(head), Some("localhost:1"));
        assert_eq!(host_header("GET / HTTP/1.0\r\n\r\n"), None);
    }
}
