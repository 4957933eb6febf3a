//! The keeper: a minimal first process in front of the daemon (`lifeguard daemon` runs
//! one by default; `--no-keeper` does without), after the pattern of containerd-shim and conmon — a tiny parent that
//! outlives the manager and hands the exit statuses over.
//!
//! Only a parent learns how its child ended. The keeper is a child subreaper and the
//! daemon's parent, so when the daemon is killed its programs become the keeper's
//! children. The keeper does three things and nothing else: it reaps every child it
//! gets, records each exit status (`records.rs`) for the next daemon, which re-adopts the
//! programs and reads how they ended (a quit is a quit, a crash a crash); it starts a new
//! daemon at once when the daemon is killed; and it passes SIGTERM, SIGINT and SIGHUP on
//! to the daemon. When the daemon exits by itself (a shutdown, a start-up error) the
//! keeper exits with its code — unless a daemon it revived found another daemon running
//! (the desktop app started one in the gap): then it stays until its last child (a
//! program that daemon adopted) ended, recording their exits for it. No threads, no async runtime, no allocation per child
//! beyond a file name.
//!
//! The daemon revives a killed keeper in turn: it saves its state, closes its socket and
//! execs this very binary as a new keeper (same pid, so its programs stay its children,
//! their statuses still known), which starts a fresh daemon.

pub mod records;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use lifeguard_engine::Identity;

/// The hidden option the keeper starts the daemon with, followed by the keeper's pid.
pub const KEPT_BY: &str = "--kept-by";

/// A daemon that dies this soon after its start counts as a quick death.
const QUICK: Duration = Duration::from_secs(2);
/// Quick deaths of the daemon in a row after which the keeper gives up (exit 1).
const GIVE_UP_AFTER: u32 = 5;
/// How often records nobody took are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The daemon's pid, for the signal handler.
static DAEMON: AtomicI32 = AtomicI32::new(0);
/// Set once a stop was passed on: a daemon that then dies is not revived.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// What the keeper runs.
#[derive(Debug, Clone)]
pub struct Keeper {
    /// The binary to run as the daemon (this one).
    pub exe: PathBuf,
    /// Its arguments: `daemon`, the user's options; [`KEPT_BY`] is added.
    pub args: Vec<OsString>,
    /// The runtime directory (the records go to its `exits/`).
    pub runtime_dir: PathBuf,
    /// The exit code of a daemon that found another daemon running.
    pub already_running: i32,
}

impl Keeper {
    /// Runs until the daemon exits by itself; returns the exit code to exit with.
    pub fn run(self) -> std::io::Result<i32> {
        lifeguard_engine::enable_child_subreaper()?;
        // A daemon that became the keeper (its keeper was killed) must not keep the
        // parent-death signal it asked for as a daemon.
        rustix::process::set_parent_process_death_signal(None)?;
        let dir = records::dir(&self.runtime_dir);
        std::fs::create_dir_all(&dir)?;
        std::fs::set_permissions(&self.runtime_dir, std::fs::Permissions::from_mode(0o700))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            pass_on(sig)?;
        }
        let mut started = self.start()?;
        let mut revived = false;
        let mut quick = 0;
        let mut pruned = Instant::now();
        loop {
            let Some((pid, start_time, status)) = reap_next()? else {
                continue;
            };
            if pid == DAEMON.load(Ordering::SeqCst) {
                if libc::WIFEXITED(status) {
                    let code = libc::WEXITSTATUS(status);
                    if code == self.already_running && revived {
                        // Another daemon won the gap (one the desktop app started): it
                        // re-adopts the programs, which are still our children. Stay to
                        // record how they end, for it.
                        DAEMON.store(0, Ordering::SeqCst);
                        eprintln!("lifeguard keeper: another daemon runs; recording the exits of the programs it adopted");
                        return linger(&dir).map(|()| code);
                    }
                    return Ok(code);
                }
                if STOPPING.load(Ordering::SeqCst) {
                    return Ok(1);
                }
                quick = if started.elapsed() < QUICK {
                    quick + 1
                } else {
                    0
                };
                if quick >= GIVE_UP_AFTER {
                    eprintln!("lifeguard keeper: the daemon died {quick} times within {QUICK:?} of its start; giving up");
                    return Ok(1);
                }
                if quick > 0 {
                    std::thread::sleep(Duration::from_secs(1));
                }
                eprintln!(
                    "lifeguard keeper: the daemon (pid {pid}) was killed; starting a new one"
                );
                started = self.start()?;
                revived = true;
                continue;
            }
            record(&dir, pid, start_time, status);
            if pruned.elapsed() >= PRUNE_EVERY {
                records::prune(&dir);
                pruned = Instant::now();
            }
        }
    }

    /// Starts the daemon; returns when.
    fn start(&self) -> std::io::Result<Instant> {
        let child = std::process::Command::new(&self.exe)
            .args(&self.args)
            .arg(KEPT_BY)
            .arg(std::process::id().to_string())
            .spawn()?;
        // Reaped by `reap_next`, like every other child: `Child` is not waited on.
        DAEMON.store(i32::try_from(child.id()).unwrap_or(0), Ordering::SeqCst);
        Ok(Instant::now())
    }
}

/// Records how the programs still our children end, until none is left.
fn linger(dir: &std::path::Path) -> std::io::Result<()> {
    loop {
        match reap_next() {
            Ok(Some((pid, start_time, status))) => record(dir, pid, start_time, status),
            Ok(None) => {}
            Err(e) if e.raw_os_error() == Some(libc::ECHILD) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// Writes the exit record of the child `pid` for the next daemon.
fn record(dir: &std::path::Path, pid: i32, start_time: Option<u64>, status: i32) {
    if let (Ok(pid), Some(start_time)) = (u32::try_from(pid), start_time) {
        let who = Identity { pid, start_time };
        if let Err(e) = records::write(dir, who, status) {
            eprintln!("lifeguard keeper: exit of pid {pid} not recorded: {e}");
        }
    }
}

/// Waits for a child to end, reads its start time while it is still a zombie, then reaps
/// it: its pid, start time and raw wait status. `None` when interrupted by a signal.
fn reap_next() -> std::io::Result<Option<(i32, Option<u64>, i32)>> {
    // SAFETY: an all-zero siginfo_t is valid; waitid fills it.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: waitid writes only into `info`. WNOWAIT leaves the zombie in place.
    let rc = unsafe { libc::waitid(libc::P_ALL, 0, &mut info, libc::WEXITED | libc::WNOWAIT) };
    if rc == -1 {
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::EINTR) => Ok(None),
            _ => Err(e),
        };
    }
    // SAFETY: waitid succeeded with WEXITED, so si_pid is set.
    let pid = unsafe { info.si_pid() };
    if pid <= 0 {
        return Ok(None);
    }
    let start_time = u32::try_from(pid)
        .ok()
        .and_then(lifeguard_engine::inspect::stat)
        .map(|s| s.start_time);
    let mut status = 0;
    // SAFETY: waitpid on a pid that is our zombie child; writes only `status`.
    let reaped = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    Ok((reaped == pid).then_some((pid, start_time, status)))
}

/// Passes `sig` on to the daemon from now on.
fn pass_on(sig: libc::c_int) -> std::io::Result<()> {
    // SAFETY: an all-zero sigaction is valid; the handler only touches atomics and calls
    // kill(2), both async-signal-safe. No SA_RESTART: waitid returns EINTR.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = forward as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(sig, &action, std::ptr::null_mut()) == -1 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

extern "C" fn forward(sig: libc::c_int) {
    if sig != libc::SIGHUP {
        STOPPING.store(true, Ordering::SeqCst);
    }
    let pid = DAEMON.load(Ordering::SeqCst);
    if pid > 0 {
        // SAFETY: kill(2) with plain integers.
        unsafe { libc::kill(pid, sig) };
    }
}
