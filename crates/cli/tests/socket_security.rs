//! The control socket refuses other users even when its file mode is opened up, and one
//! bad client never holds up another.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{text, wait_for, Env};
use serde_json::Value;

const NOBODY: u32 = 65534;

fn read_json(r: &mut impl BufRead) -> Value {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
}

fn setpriv(cmd: &mut Command) -> Command {
    let mut c = Command::new("setpriv");
    c.args([
        format!("--reuid={NOBODY}"),
        format!("--regid={NOBODY}"),
        "--clear-groups".into(),
    ]);
    c.arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c
}

#[test]
fn another_uid_is_refused_even_with_the_socket_opened_up_and_the_same_uid_is_served() {
    // SAFETY: geteuid(2) cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        // A security test that cannot run must not pass in CI: there it fails instead.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but this test cannot run: it needs root to run the daemon as uid \
             {NOBODY} and connect as another uid; run the suite as root (CI does)"
        );
        eprintln!(
            "SKIPPED: needs root to run the daemon as uid {NOBODY} and connect as another uid"
        );
        return;
    }
    let env = Env::new(None);
    // nobody needs its own copy of the binary (the target directory may not be reachable)
    // and its own directories.
    let bin = env.root().join("lifeguard");
    std::fs::copy(common::bin(), &bin).unwrap();
    std::fs::set_permissions(env.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let chown = Command::new("chown")
        .args(["-R", &format!("{NOBODY}:{NOBODY}")])
        .arg(env.root())
        .status()
        .unwrap();
    assert!(chown.success());
    let stderr = std::fs::File::create(env.root().join("daemon.err")).unwrap();
    let mut daemon = setpriv(env.command(&bin).arg("daemon"))
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let as_nobody = |args: &[&str]| setpriv(env.command(&bin).args(args)).output().unwrap();
    wait_for("the daemon to answer uid nobody", || {
        as_nobody(&["status"]).status.success()
    });
    // The daemon really runs as another uid than this test's (root).
    let status = std::fs::read_to_string(format!("/proc/{}/status", daemon.id())).unwrap();
    let uid_line = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid_line
            .split_whitespace()
            .skip(1)
            .all(|u| u == NOBODY.to_string()),
        "the daemon is not running as uid {NOBODY}: {uid_line}"
    );
    // Open the file modes on purpose: only the uid check is left to refuse us.
    std::fs::set_permissions(env.runtime_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(env.socket(), std::fs::Permissions::from_mode(0o666)).unwrap();

    let stream = UnixStream::connect(env.socket()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    // The refusal comes at once; the write may already find the connection closed.
    let _ = (&stream).write_all(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n");
    let refusal = read_json(&mut reader);
    assert_eq!(refusal["error"]["data"]["kind"], "forbidden", "{refusal}");
    assert!(refusal.get("result").is_none());
    let mut rest = String::new();
    let closed = matches!(reader.read_line(&mut rest), Ok(0) | Err(_));
    assert!(closed, "the connection stayed open: {rest}");

    let out = env.cli(&["status"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "root's CLI was served: {}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("refused"),
        "{}",
        text(&out.stderr)
    );

    let hello = as_nobody(&["status", "--json"]);
    assert!(hello.status.success(), "{}", text(&hello.stderr));
    let _ = as_nobody(&["shutdown"]);
    let _ = daemon.wait();
}

#[test]
fn oversized_and_malformed_lines_get_errors_while_another_client_is_served() {
    let mut env = Env::new(None);
    env.start_daemon(&[]);
    let bad = UnixStream::connect(env.socket()).unwrap();
    bad.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut bad_reader = BufReader::new(bad.try_clone().unwrap());
    // Half of an oversized line, no newline yet: this client is now mid-request.
    let chunk = vec![b'x'; 768 * 1024];
    (&bad).write_all(&chunk).unwrap();

    let good = UnixStream::connect(env.socket()).unwrap();
    good.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut good_reader = BufReader::new(good.try_clone().unwrap());
    (&good)
        .write_all(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"hello\"}\n")
        .unwrap();
    let hello = read_json(&mut good_reader);
    assert_eq!(hello["id"], 7);
    assert!(hello["result"]["pid"].as_u64().is_some(), "{hello}");

    (&bad).write_all(&chunk).unwrap();
    (&bad).write_all(b"\n").unwrap();
    let too_large = read_json(&mut bad_reader);
    assert_eq!(
        too_large["error"]["data"]["kind"], "request_too_large",
        "{too_large}"
    );
    assert_eq!(too_large["error"]["code"], -32001);

    let cases: [(&[u8], &str, i64); 4] = [
        (b"{not json\n", "parse_error", -32700),
        (b"[1,2]\n", "invalid_request", -32600),
        (b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}\n", "method_not_found", -32601),
        (b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"stop\",\"params\":{\"program\":\"Bad Id\",\"requested_by\":\"cli\"}}\n", "invalid_params", -32602),
    ];
    for (line, kind, code) in cases {
        (&bad).write_all(line).unwrap();
        let err = read_json(&mut bad_reader);
        assert_eq!(err["error"]["data"]["kind"], kind, "{err}");
        assert_eq!(err["error"]["code"], code);
    }
    // The same connection still works after all that.
    (&bad)
        .write_all(b"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"status\"}\n")
        .unwrap();
    let status = read_json(&mut bad_reader);
    assert_eq!(status["id"], 9);
    assert_eq!(status["result"]["paused"], false);
}
