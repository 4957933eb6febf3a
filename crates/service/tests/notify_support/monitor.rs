//! `dbus-monitor` on the session bus, and its output parsed into `Notify` calls with the ids
//! the server returned for them.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::eventually;

/// One `Notify` call seen on the bus.
#[derive(Debug, Clone, Default)]
pub struct NotifyCall {
    sender: String,
    serial: u64,
    pub app: String,
    pub replaces_id: u32,
    pub icon: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    /// The string hints, e.g. ("desktop-entry", "org.lifeguard.Lifeguard").
    pub hints: Vec<(String, String)>,
    /// The id the server answered with.
    pub id: Option<u32>,
}

/// A running `dbus-monitor`, killed on drop.
pub struct Monitor {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
    /// Dropped last: the bus outlives the monitor and the test's dunst.
    _bus: super::bus::PrivateBus,
}

impl Monitor {
    /// Starts a private session bus for this test (see `bus`) and watches it; returns
    /// once the monitor is attached.
    pub async fn start() -> Self {
        Self::start_on(super::bus::PrivateBus::start()).await
    }

    /// [`Monitor::start`] on a bus of the caller's (e.g. [`super::bus::PrivateBus::bare`]).
    pub async fn start_on(bus: super::bus::PrivateBus) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("monitor.log");
        let file = std::fs::File::create(&log).unwrap();
        // Line-buffered: the test reads the log while the monitor runs.
        let child = Command::new("stdbuf")
            .args(["-oL", "dbus-monitor"])
            .arg("interface='org.freedesktop.Notifications'")
            .arg("type='method_return'")
            .stdout(file)
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor is needed (apt-get install dbus)");
        let m = Self {
            child,
            log,
            _dir: dir,
            _bus: bus,
        };
        // It reports its own NameAcquired/NameLost once it became a monitor.
        eventually("dbus-monitor to attach", || {
            m.text().contains("NameLost").then_some(())
        })
        .await;
        m
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Every `Notify` call so far whose summary or body mentions `needle`.
    pub fn calls(&self, needle: &str) -> Vec<NotifyCall> {
        parse(&self.text())
            .into_iter()
            .filter(|c| c.summary.contains(needle) || c.body.contains(needle))
            .collect()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field<'a>(header: &'a str, key: &str) -> &'a str {
    header
        .split([' ', ';'])
        .find_map(|w| w.strip_prefix(key))
        .unwrap_or("")
}

/// Messages are a header line, then indented arguments; a string may span lines.
fn parse(text: &str) -> Vec<NotifyCall> {
    let mut calls: Vec<NotifyCall> = Vec::new();
    let mut returns: Vec<(String, u64, u32)> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(header) = lines.next() {
        let mut args: Vec<String> = Vec::new();
        while let Some(l) = lines.next_if(|l| l.starts_with(' ') || !is_header(l)) {
            let t = l.trim_start();
            if let Some(s) = t.strip_prefix("string \"") {
                let mut s = s.to_owned();
                while !s.ends_with('"') {
                    match lines.next() {
                        Some(more) => s = format!("{s}\n{more}"),
                        None => break,
                    }
                }
                args.push(format!("s:{}", s.trim_end_matches('"')));
            } else {
                args.push(t.to_owned());
            }
        }
        if header.starts_with("method call") && header.contains("member=Notify") {
            calls.push(notify_call(header, &args));
        } else if header.starts_with("method return") {
            let id = args.first().and_then(|a| a.strip_prefix("uint32 "));
            if let Some(id) = id.and_then(|i| i.parse().ok()) {
                let to = field(header, "destination=").to_owned();
                returns.push((to, field(header, "reply_serial=").parse().unwrap_or(0), id));
            }
        }
    }
    for c in &mut calls {
        c.id = returns
            .iter()
            .find(|(to, serial, _)| *to == c.sender && *serial == c.serial)
            .map(|r| r.2);
    }
    calls
}

fn is_header(l: &str) -> bool {
    ["method call", "method return", "signal", "error"]
        .iter()
        .any(|p| l.starts_with(p))
}

fn notify_call(header: &str, args: &[String]) -> NotifyCall {
    let strings: Vec<&str> = args.iter().filter_map(|a| a.strip_prefix("s:")).collect();
    let replaces_id = args
        .iter()
        .find_map(|a| a.strip_prefix("uint32 "))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // Actions are the strings inside the first array, before the hints' array.
    let first_array = args
        .iter()
        .position(|a| a == "array [")
        .unwrap_or(args.len());
    let actions = args[first_array..]
        .iter()
        .skip(1)
        .take_while(|a| *a != "]")
        .filter_map(|a| a.strip_prefix("s:").map(str::to_owned))
        .collect();
    // Hints: `dict entry(` then `s:KEY` then `variant string "VALUE"`.
    let mut hints = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a != "dict entry(" {
            continue;
        }
        let key = args.get(i + 1).and_then(|k| k.strip_prefix("s:"));
        let value = args
            .get(i + 2)
            .and_then(|v| v.strip_prefix("variant "))
            .and_then(|v| v.trim().strip_prefix("string \""))
            .map(|v| v.trim_end_matches('"'));
        if let (Some(k), Some(v)) = (key, value) {
            hints.push((k.to_owned(), v.to_owned()));
        }
    }
    let s = |i: usize| strings.get(i).map(|s| (*s).to_owned()).unwrap_or_default();
    NotifyCall {
        sender: field(header, "sender=").to_owned(),
        serial: field(header, "serial=").parse().unwrap_or(0),
        app: s(0),
        replaces_id,
        icon: s(1),
        summary: s(2),
        body: s(3),
        actions,
        hints,
        id: None,
    }
}
