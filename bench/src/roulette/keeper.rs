//! The keeper: a small child subreaper between the roulette and `lifeguard daemon`, in the
//! role systemd's user manager plays on a desktop. When the daemon is SIGKILLed its
//! programs are reparented here, and the keeper reaps whatever dies, so the trial leaves no
//! zombies of its own making. It reads commands on stdin (`start`: spawn a daemon) and
//! reports on stdout (`pid N` after a start, `exit N` when a daemon was reaped). It exits
//! when stdin closes.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// Runs the keeper until stdin closes. `lifeguard` is the daemon's binary, its stderr is
/// appended to `log`.
pub fn run(lifeguard: &Path, log: &Path) -> anyhow::Result<()> {
    // SAFETY: prctl with integer arguments.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    anyhow::ensure!(rc == 0, "prctl(PR_SET_CHILD_SUBREAPER) failed");
    let daemons: Arc<Mutex<Vec<i32>>> = Arc::default();
    let reaped = Arc::clone(&daemons);
    std::thread::spawn(move || reap_forever(&reaped));
    for line in std::io::stdin().lock().lines() {
        if line?.trim() != "start" {
            continue;
        }
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)?;
        // Held across the spawn so the reaper knows the pid before it can reap it.
        let mut list = daemons
            .lock()
            .map_err(|_| anyhow::anyhow!("keeper: poisoned lock"))?;
        let child = Command::new(lifeguard)
            .arg("daemon")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()?;
        let pid = child.id() as i32;
        // The reaper thread waits for it (waitpid(-1)); the Child handle is not used.
        std::mem::forget(child);
        list.push(pid);
        drop(list);
        say(&format!("pid {pid}"));
    }
    Ok(())
}

fn reap_forever(daemons: &Mutex<Vec<i32>>) {
    loop {
        let mut status = 0;
        // SAFETY: waitpid with a valid status pointer.
        let pid = unsafe { libc::waitpid(-1, &mut status, 0) };
        if pid <= 0 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            continue;
        }
        let was_daemon = daemons
            .lock()
            .map(|mut d| {
                let found = d.contains(&pid);
                d.retain(|p| *p != pid);
                found
            })
            .unwrap_or(false);
        if was_daemon {
            say(&format!("exit {pid}"));
        }
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
