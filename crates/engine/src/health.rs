//! Running a program's health check: the only periodic work of the engine, and only for
//! programs that have a check. One task per running instance; it reports once the check
//! failed `failures` times in a row, then ends.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::health_spec::{HealthCheck, Probe};

/// Spawns the checking task for the instance `pid`; it sends `(pid, reason)` on `report`
/// when the check has failed often enough. Abort the handle when the instance ends.
pub(crate) fn spawn(
    check: HealthCheck,
    pid: u32,
    report: mpsc::UnboundedSender<(u32, String)>,
) -> Option<tokio::task::JoinHandle<()>> {
    let probe = check.probe().ok()?;
    Some(tokio::spawn(async move {
        tokio::time::sleep(check.start_grace).await;
        let mut failed = 0;
        loop {
            let outcome = match tokio::time::timeout(check.timeout, run(&probe)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(format!(
                    "no answer within {}",
                    crate::duration::words(check.timeout)
                )),
            };
            match outcome {
                Ok(()) => failed = 0,
                Err(why) => {
                    failed += 1;
                    if failed >= check.failures {
                        let what = describe(&probe);
                        let reason =
                            format!("health check ({what}) failed {failed} times in a row: {why}");
                        let _ = report.send((pid, reason));
                        return;
                    }
                }
            }
            tokio::time::sleep(check.interval).await;
        }
    }))
}

fn describe(probe: &Probe) -> String {
    match probe {
        Probe::Http { host, path, .. } => format!("GET http://{host}{path}"),
        Probe::Tcp(addr) => format!("connect {addr}"),
        Probe::Command(argv) => format!("run {}", argv.join(" ")),
    }
}

/// One check: `Ok` when healthy, else what was seen.
async fn run(probe: &Probe) -> Result<(), String> {
    match probe {
        Probe::Http { addr, host, path } => http_get(addr, host, path).await,
        Probe::Tcp(addr) => tokio::net::TcpStream::connect(addr)
            .await
            .map(drop)
            .map_err(|e| format!("cannot connect: {e}")),
        Probe::Command(argv) => command(argv).await,
    }
}

/// A minimal HTTP/1.1 GET: only the status line matters; 2xx and 3xx are healthy.
async fn http_get(addr: &str, host: &str, path: &str) -> Result<(), String> {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: lifeguard\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut head = Vec::with_capacity(64);
    let mut buf = [0u8; 256];
    while !head.contains(&b'\n') && head.len() < 1024 {
        let n = stream
            .read(&mut buf)
            .await
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    let line = line.lines().next().unwrap_or_default();
    match status_code(line) {
        Some(code) if (200..400).contains(&code) => Ok(()),
        Some(code) => Err(format!("HTTP {code}")),
        None => Err(format!("not an HTTP answer: {line:?}")),
    }
}

/// The status code of an HTTP status line (`HTTP/1.1 200 OK`).
pub(crate) fn status_code(line: &str) -> Option<u16> {
    let mut parts = line.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

async fn command(argv: &[String]) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("empty command")?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // A check that times out is dropped with its child: kill it rather than leak it.
        .kill_on_drop(true);
    // Registered as our own, so a subreaper's orphan reaping leaves it to us.
    let status = crate::own_children::spawn(&mut cmd)
        .map_err(|e| format!("cannot run {program:?}: {e}"))?
        .wait()
        .await
        .map_err(|e| format!("cannot run {program:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(crate::Exit::from_status(status).to_string())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn status_lines() {
        assert_eq!(super::status_code("HTTP/1.1 200 OK"), Some(200));
        assert_eq!(
            super::status_code("HTTP/1.0 503 Service Unavailable"),
            Some(503)
        );
        assert_eq!(super::status_code("SSH-2.0-OpenSSH"), None);
        assert_eq!(super::status_code(""), None);
    }
}
