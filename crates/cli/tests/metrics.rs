//! The Prometheus endpoint agrees with the engine, and only ever listens on loopback.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use common::{kill, testprog, text, wait_for, Env};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn scrape(port: u16) -> Option<String> {
    scrape_as(port, &format!("localhost:{port}"))
}

/// A scrape sending `host` as its Host header (what a browser sends for the page's origin).
fn scrape_as(port: u16, host: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .ok()?;
    let request = format!("GET /metrics HTTP/1.1\r\nHost: {host}\r\n\r\n");
    s.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// The daemon's open file descriptors.
fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// The value of the sample named exactly `series` (name and labels).
fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .split(' ')
            .next()?
            .parse()
            .ok()
    })
}

#[test]
fn metrics_match_the_engine_after_kills() {
    let port = free_port();
    let config = format!(
        "[settings.metrics]\nenabled = true\nbind = \"127.0.0.1:{port}\"\n\n[[program]]\nid = \"m\"\nargv = [\"{}\"]\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let mut pid = env.running_pid("m");
    for _ in 0..2 {
        kill(pid, libc::SIGKILL);
        let old = pid;
        wait_for("a restart", || env.pid_of("m").is_some_and(|p| p != old));
        pid = env.running_pid("m");
    }
    let body = scrape(port).expect("no metrics endpoint");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("application/openmetrics-text"), "{body}");
    let status = env.json(&["status"]);
    let restarts = status["programs"][0]["restarts"].as_f64().unwrap();
    assert_eq!(restarts, 2.0);
    assert_eq!(
        sample(&body, "lifeguard_program_restarts_total{program=\"m\"}"),
        Some(restarts),
        "{body}"
    );
    assert_eq!(
        sample(
            &body,
            "lifeguard_program_exits_total{program=\"m\",reason=\"SIGKILL\"}"
        ),
        Some(2.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "lifeguard_program_up{program=\"m\"}"),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "lifeguard_program_last_exit_code{program=\"m\"}"),
        Some(137.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "lifeguard_program_backoff_seconds{program=\"m\"}"),
        Some(0.0),
        "{body}"
    );
    assert!(
        sample(&body, "lifeguard_program_uptime_seconds{program=\"m\"}").is_some(),
        "{body}"
    );
    assert_eq!(sample(&body, "lifeguard_paused"), Some(0.0), "{body}");
    assert!(env.cli(&["pause"]).status.success());
    assert_eq!(
        sample(&scrape(port).unwrap(), "lifeguard_paused"),
        Some(1.0)
    );
}

#[test]
fn a_non_loopback_bind_is_refused_with_a_clear_error() {
    let port = free_port();
    let config = format!("[settings.metrics]\nenabled = true\nbind = \"0.0.0.0:{port}\"\n");
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let hello = env.cli(&["status"]);
    let warning = text(&hello.stderr);
    assert!(warning.contains("not a loopback address"), "{warning}");
    assert!(scrape(port).is_none(), "metrics are served on 0.0.0.0");

    let check = env.cli(&["config", "check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stderr).contains("loopback"));

    let set = env.cli(&["config", "set", r#"{"metrics":{"bind":"192.0.2.1:9464"}}"#]);
    assert!(!set.status.success());
    assert!(
        text(&set.stderr).contains("not a loopback address"),
        "{}",
        text(&set.stderr)
    );
    // The invalid file is never overwritten; fixed by hand, it is reloaded.
    let fixed = format!("[settings.metrics]\nenabled = true\nbind = \"127.0.0.1:{port}\"\n");
    std::fs::write(env.config_dir().join("config.toml"), fixed).unwrap();
    wait_for("metrics on loopback after the fix", || {
        scrape(port).is_some_and(|b| b.contains("lifeguard_paused"))
    });
}

#[test]
fn a_rebound_host_is_refused() {
    let port = free_port();
    let config = format!(
        "[settings.metrics]\nenabled = true\nbind = \"127.0.0.1:{port}\"\n\n[[program]]\nid = \"m\"\nargv = [\"{}\"]\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    env.running_pid("m");
    wait_for("the metrics endpoint", || {
        scrape(port).is_some_and(|b| b.starts_with("HTTP/1.1 200"))
    });
    // DNS rebinding: a web page at evil.example, its name now resolving to 127.0.0.1.
    for host in [
        "evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "localhost:1",
    ] {
        let host = host.replace("{port}", &port.to_string());
        let answer = scrape_as(port, &host).unwrap();
        assert!(answer.starts_with("HTTP/1.1 403"), "{host}: {answer}");
        assert!(!answer.contains("lifeguard_program_up"), "{host}: {answer}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        let answer = scrape_as(port, &host).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

#[test]
fn idle_connections_cannot_exhaust_the_daemons_descriptors() {
    let port = free_port();
    let config = format!(
        "[settings.metrics]\nenabled = true\nbind = \"127.0.0.1:{port}\"\n\n[[program]]\nid = \"m\"\nargv = [\"{}\"]\n",
        testprog()
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    env.running_pid("m");
    wait_for("the metrics endpoint", || {
        scrape(port).is_some_and(|b| b.starts_with("HTTP/1.1 200"))
    });
    // Another local user opens hundreds of connections and sends nothing.
    let daemon = env.daemon_pid();
    let before = fds(daemon);
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert!(
        idle.len() >= 200,
        "could open only {} connections",
        idle.len()
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let during = fds(daemon);
    assert!(
        during <= before + 16 + 4,
        "{} idle connections took {} descriptors of the daemon (from {before} to {during})",
        idle.len(),
        during - before
    );
    // The program is still restarted (a restart needs descriptors), and once the idle
    // connections time out, a scrape is served again.
    let pid = env.running_pid("m");
    common::kill(pid, libc::SIGKILL);
    wait_for("a restart", || env.pid_of("m").is_some_and(|p| p != pid));
    wait_for(
        "a scrape to be served while the idle connections stay open",
        || scrape(port).is_some_and(|b| b.starts_with("HTTP/1.1 200")),
    );
    drop(idle);
}
