//! The fuzz targets: bytes in, a behaviour class out, a panic when an invariant breaks.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_engine::machine::{Input, Machine, Scope};
use lifeguard_engine::{duration as dur, Exit, ProgramSpec};
use serde_json::Value;

/// Tokens of the duration language.
pub const DURATION_DICT: &[&str] = &[
    "ms",
    "us",
    "ns",
    "s",
    "m",
    "h",
    "d",
    "0",
    "1",
    " ",
    "99999999999999999999",
];

/// `duration::parse` never panics; what it accepts, `format` writes back to the same.
pub fn duration(data: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not utf-8".to_owned();
    };
    match dur::parse(text) {
        Ok(d) => {
            let written = dur::format(d);
            assert_eq!(
                dur::parse(&written),
                Ok(d),
                "{text:?} → {d:?} → {written:?}"
            );
            let units: String = written.chars().filter(|c| !c.is_ascii_digit()).collect();
            format!("ok {units}")
        }
        Err(e) => {
            assert!(e.contains("is not a duration"), "{text:?}: {e}");
            "err".to_owned()
        }
    }
}

/// Tokens of config.toml.
pub const CONFIG_DICT: &[&str] = &[
    "[[program]]\n",
    "[settings]\n",
    "[settings.metrics]\n",
    "[program.backoff]\n",
    "[program.breaker]\n",
    "[program.health]\n",
    "id = \"a\"\n",
    "argv = [\"/bin/true\"]\n",
    "initial",
    "max",
    "min_uptime",
    "stable_after",
    "jitter",
    "window",
    "max_deaths",
    "stop_grace",
    "restart",
    "\"always\"",
    "\"never\"",
    "on_failure",
    "clean_exit_codes",
    "interval",
    "timeout",
    "failures",
    "command",
    "\"200000000000000d\"",
    "\"0s\"",
    "\"1ms\"",
    "1e308",
    "-1",
    "nan",
    "inf",
    "true",
    "false",
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "enabled",
    "bind",
    "\"127.0.0.1:9464\"",
    "env",
    "cwd",
    "stop_signal",
    "\"SIGKILL\"",
];

/// config.toml text → a validated config; every accepted program spec validates again
/// and runs through the restart machine (a crash loop, pauses, stops) without a panic.
pub fn config(data: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not utf-8".to_owned();
    };
    match lifeguard_service::config::parse(text, Path::new("/fuzz/config.toml")) {
        Ok(config) => {
            for entry in &config.program {
                if let Err(e) = entry.spec.validate() {
                    panic!("an accepted spec does not validate: {e}");
                }
                exercise(&entry.spec);
            }
            format!("ok {}", config.program.len().min(3))
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            match e.problem() {
                Some(p) => {
                    assert!(p.line >= 1 && p.column >= 1, "{message}");
                    assert!(!p.message.is_empty() && !p.hint.is_empty(), "{message}");
                    // The hint is fixed text per kind of problem; field names are not
                    // (an unknown key is whatever was typed).
                    format!("err {}", p.hint.chars().take(40).collect::<String>())
                }
                None => "err other".to_owned(),
            }
        }
    }
}

/// Drives a machine with `spec` through quick deaths until it gives up or 20 rounds
/// pass, with a timed pause and a stop on the way.
fn exercise(spec: &ProgramSpec) {
    let mut m = Machine::new(spec.clone(), 1);
    let mut now = Instant::now();
    m.step(Input::Start, now);
    for (pid, round) in (100..).zip(0..20) {
        m.step(Input::Spawned { pid }, now);
        now += Duration::from_millis(1);
        m.step(
            Input::Died {
                exit: Exit::Code(1),
            },
            now,
        );
        if round == 5 {
            let until = now.checked_add(spec.backoff.max);
            m.step(
                Input::Pause {
                    scope: Scope::Program,
                    until,
                },
                now,
            );
            m.step(
                Input::Resume {
                    scope: Scope::Program,
                },
                now,
            );
        }
        if let Some(at) = m.deadline() {
            now = now.max(at);
            m.step(Input::Timer, now);
        }
    }
    m.step(Input::Stop, now);
    if let Some(at) = m.deadline() {
        m.step(Input::Timer, now.max(at));
    }
}

/// Tokens of the JSON-RPC request language.
pub const RPC_DICT: &[&str] = &[
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"",
    "\"params\":",
    "\"requested_by\":\"cli\"",
    "\"program\":\"f\"",
    "\"lines\":",
    "\"follow\":true",
    "\"for\":\"",
    "\"until_ms\":",
    "\"since_ms\":",
    "\"limit\":",
    "\"days\":",
    "\"kinds\":[\"exited\"]",
    "\"spec\":",
    "\"argv\":",
    "\"settings\":",
    "hello",
    "status",
    "list",
    "add",
    "update",
    "remove",
    "start",
    "stop",
    "restart",
    "retry",
    "pause",
    "resume",
    "history",
    "stats",
    "chart",
    "export",
    "subscribe",
    "logs",
    "config.get",
    "config.set",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\\u0000",
    "\\ud800",
    "1e999",
    "-0",
    "\"1h\"",
    "\"200000000000000d\"",
];

/// A real `lifeguard daemon` in a sandbox (its own HOME and XDG directories, no `PATH`),
/// with one program `f`, fed one request line per input.
pub struct Rpc {
    bin: PathBuf,
    testprog: PathBuf,
    dir: tempfile::TempDir,
    daemon: Option<Child>,
    conn: Option<BufReader<UnixStream>>,
}

impl Rpc {
    /// Starts the daemon `bin` with `testprog` as its program's executable.
    pub fn start(bin: &Path, testprog: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary directory: {e}"));
        let mut rpc = Self {
            bin: bin.to_owned(),
            testprog: testprog.to_owned(),
            dir,
            daemon: None,
            conn: None,
        };
        rpc.restart();
        rpc
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("run/lifeguard/lifeguard.sock")
    }

    /// Starts the daemon again (after a crash, or the first time).
    pub fn restart(&mut self) {
        self.stop();
        let root = self.dir.path();
        let config = root.join("config/lifeguard");
        std::fs::create_dir_all(&config).unwrap_or_else(|e| panic!("{e}"));
        let toml = format!(
            "[[program]]\nid = \"f\"\nargv = [{:?}]\n",
            self.testprog.to_string_lossy()
        );
        std::fs::write(config.join("config.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new(&self.bin)
            .arg("daemon")
            .current_dir(root)
            .env_clear()
            .env("PATH", "/nonexistent")
            .env("HOME", root)
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_STATE_HOME", root.join("state"))
            .env("XDG_RUNTIME_DIR", root.join("run"))
            .env("LIFEGUARD_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(root.join("daemon.err")).map_or(Stdio::null(), Stdio::from),
            )
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        self.daemon = Some(child);
        let start = Instant::now();
        loop {
            if let Ok(s) = UnixStream::connect(self.socket()) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
                self.conn = Some(BufReader::new(s));
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the daemon did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Shuts the daemon down with its programs (ours: started in the sandbox).
    fn stop(&mut self) {
        let conn = self.conn.take();
        let Some(mut d) = self.daemon.take() else {
            return;
        };
        let asked = UnixStream::connect(self.socket())
            .ok()
            .or(conn.map(BufReader::into_inner));
        if let Some(mut s) = asked {
            let _ = s.write_all(
                b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\",\"params\":{\"stop_programs\":true,\"requested_by\":\"api\"}}\n",
            );
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if d.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = d.kill();
        let _ = d.wait();
    }

    /// Whether the input would make the daemon touch anything outside its sandbox: paths
    /// outside it (exports, output files, a working directory), an executable other than
    /// the test program, a process to adopt (it could be anyone's), or a shutdown (which
    /// only costs a restart).
    fn unsafe_input(&self, value: &Value) -> bool {
        let method = value
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if method == "shutdown" {
            return true;
        }
        let root = self.dir.path().to_string_lossy().into_owned();
        let testprog = self.testprog.to_string_lossy().into_owned();
        fn walk(v: &Value, f: &mut impl FnMut(Option<&str>, &Value) -> bool) -> bool {
            match v {
                Value::Object(map) => map.iter().any(|(k, v)| f(Some(k), v) || walk(v, f)),
                Value::Array(items) => items.iter().any(|v| f(None, v) || walk(v, f)),
                _ => false,
            }
        }
        walk(value, &mut |key, v| {
            let adopt = key == Some("adopt");
            let outside = v.as_str().is_some_and(|s| {
                s.contains('/') && s != testprog && (!s.starts_with(&root) || s.contains(".."))
            });
            adopt || outside
        })
    }

    /// Sends `data` as one request line, then a `hello` to mark its end; checks that the
    /// daemon answered the line at most once with a well-formed message and still serves.
    pub fn exec(&mut self, data: &[u8]) -> String {
        let line: Vec<u8> = data
            .iter()
            .map(|b| if *b == b'\n' { b' ' } else { *b })
            .collect();
        let parsed: Option<Value> = serde_json::from_slice(&line).ok();
        if parsed.as_ref().is_some_and(|v| self.unsafe_input(v)) {
            return "skipped".to_owned();
        }
        let Some(conn) = self.conn.as_mut() else {
            panic!("no connection");
        };
        let mut out = line;
        out.extend_from_slice(
            b"\n{\"jsonrpc\":\"2.0\",\"id\":\"fuzz-sync\",\"method\":\"hello\"}\n",
        );
        if let Err(e) = conn.get_mut().write_all(&out) {
            panic!("the daemon closed the connection: {e}");
        }
        let mut answers = Vec::new();
        loop {
            let mut text = String::new();
            match conn.read_line(&mut text) {
                Ok(0) => panic!("the daemon closed the connection"),
                Ok(_) => {}
                Err(e) => panic!("no answer: {e}"),
            }
            let msg: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("the daemon sent a line that is not JSON ({e}): {text:?}")
            });
            assert_eq!(msg["jsonrpc"], "2.0", "{text}");
            if msg.get("method").is_some() {
                continue; // a notification of a stream this connection asked for
            }
            if msg["id"] == "fuzz-sync" {
                assert!(msg["result"]["pid"].is_u64(), "{text}");
                break;
            }
            assert!(
                msg.get("result").is_some() != msg.get("error").is_some(),
                "{text}"
            );
            answers.push(msg);
        }
        assert!(
            answers.len() <= 1,
            "one line got {} answers: {answers:?}",
            answers.len()
        );
        if let Some(d) = self.daemon.as_mut() {
            if let Ok(Some(status)) = d.try_wait() {
                panic!("the daemon exited: {status}");
            }
        }
        let method = parsed
            .as_ref()
            .and_then(|v| v.get("method"))
            .and_then(Value::as_str)
            .filter(|m| lifeguard_service::protocol::methods::ALL.contains(m))
            .unwrap_or("other")
            .to_owned();
        match answers.first() {
            None => format!("{method} no answer"),
            Some(a) => match a.get("error") {
                Some(e) => format!("{method} {}", e["data"]["kind"].as_str().unwrap_or("?")),
                None => format!("{method} ok"),
            },
        }
    }
}

impl Drop for Rpc {
    fn drop(&mut self) {
        self.stop();
    }
}
