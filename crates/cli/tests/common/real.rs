//! Real desktop programs for the tests (installed by `scripts/install-deps.sh --test`):
//! xterm under the test's X server, a tmux server on its own socket (`tmux -L NAME`), and
//! finding processes by executable, environment and session from outside.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{alive, wait_for, Env};

/// Fails (never skips) when a program the test needs is missing.
pub fn need(program: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()));
    assert!(
        found,
        "{program} is not installed: run scripts/install-deps.sh --test"
    );
    if program == "xterm" {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no X display: run the tests under xvfb-run (scripts/test.sh)"
        );
    }
}

/// Field `n` (1-based, after the command name) of `/proc/PID/stat`.
fn stat_field(pid: u32, n: usize) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = text.rsplit_once(')')?;
    rest.split_whitespace().nth(n - 3)?.parse().ok()
}

/// The session of `pid`.
pub fn session(pid: u32) -> Option<u32> {
    stat_field(pid, 6)
}

/// The executable `pid` runs.
pub fn exe(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// Whether `pid` runs the program named `name` (by its executable's file name).
pub fn runs(pid: u32, name: &str) -> bool {
    exe(pid).is_some_and(|e| e.file_name().is_some_and(|f| f == name))
}

/// The children of `pid`.
pub fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
                .collect()
        })
        .unwrap_or_default()
}

fn environ_has(pid: u32, entry: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|b| b.split(|c| *c == 0).any(|e| e == entry.as_bytes()))
}

/// The live processes running `name` in `env` (by its HOME).
pub fn copies(env: &Env, name: &str) -> Vec<u32> {
    copies_in(env.root(), name)
}

/// The live processes running `name` whose HOME is `home`.
pub fn copies_in(home: &Path, name: &str) -> Vec<u32> {
    let home = format!("HOME={}", home.display());
    pids()
        .into_iter()
        .filter(|p| runs(*p, name) && alive(*p) && environ_has(*p, &home))
        .collect()
}

/// The shell an xterm runs (its child), once it is there.
pub fn shell_of(xterm: u32) -> u32 {
    let mut shell = 0;
    wait_for(&format!("the shell of xterm {xterm}"), || {
        shell = children(xterm).into_iter().find(|c| alive(*c)).unwrap_or(0);
        shell != 0
    });
    shell
}

/// Closes an xterm as its user would: its shell ends (`exit`), so xterm exits 0.
pub fn close_xterm(xterm: u32) {
    super::kill(shell_of(xterm), libc::SIGHUP);
}

/// A tmux server on a socket of its own; killed when dropped.
pub struct Tmux {
    /// The `-L` socket name.
    pub name: String,
}

impl Tmux {
    /// A fresh socket name (nothing runs yet).
    pub fn new(tag: &str) -> Self {
        need("tmux");
        Self {
            name: super::procs::unique(tag),
        }
    }

    /// The shell command that starts its detached session `work` running `sleep 7777`.
    pub fn start_command(&self) -> String {
        format!("tmux -L {} new-session -d -s work 'sleep 7777'", self.name)
    }

    /// The server's pid: the process of this socket that leads its own session.
    pub fn server(&self) -> Option<u32> {
        pids().into_iter().find(|p| {
            let Ok(raw) = std::fs::read(format!("/proc/{p}/cmdline")) else {
                return false;
            };
            let argv: Vec<&[u8]> = raw.split(|b| *b == 0).collect();
            let ours = argv
                .windows(2)
                .any(|w| w[0] == b"-L" && w[1] == self.name.as_bytes());
            ours && alive(*p) && session(*p) == Some(*p)
        })
    }

    /// The server, once it runs.
    pub fn wait_server(&self) -> u32 {
        let mut pid = 0;
        wait_for("the tmux server", || {
            pid = self.server().unwrap_or(0);
            pid != 0
        });
        pid
    }

    /// Whether its session still runs its command (`sleep 7777`).
    pub fn session_alive(&self) -> bool {
        self.server().is_some_and(|s| {
            children(s)
                .into_iter()
                .any(|c| runs(c, "sleep") && alive(c))
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.name, "kill-server"])
            .output();
    }
}

/// SIGKILLs every copy of `name` whose HOME is `home` (clean-up after a failed test).
pub fn kill_copies(home: &Path, name: &str) {
    for pid in copies_in(home, name) {
        super::kill(pid, libc::SIGKILL);
    }
}

/// A config with one program `id` running `argv`.
pub fn config(id: &str, argv: &[&str]) -> String {
    let argv: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
    format!(
        "[[program]]\nid = \"{id}\"\nargv = [{}]\n\n",
        argv.join(", ")
    )
}
