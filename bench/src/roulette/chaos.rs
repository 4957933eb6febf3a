//! The roulette itself: at random intervals, a random signal to a random process of the
//! programs' trees; now and then a SIGKILL to the daemon, revived by its keeper.
//! Between kills, every ~50 ms, a scan of the process table counts duplicate instances and
//! zombies left under the daemon.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant, SystemTime};

use super::daemon::Daemon;
use super::procs::{self, Proc};

/// The signals the roulette sends, picked uniformly.
pub const SIGNALS: [i32; 4] = [libc::SIGKILL, libc::SIGTERM, libc::SIGSEGV, libc::SIGINT];

/// One signal sent to a program's process.
#[derive(Debug, Clone)]
pub struct Kill {
    /// Wall clock when sent, ms since the epoch (the history's clock).
    pub wall_ms: i64,
    /// Target process.
    pub pid: i32,
    /// Program index.
    pub program: usize,
    /// Signal number.
    pub signal: i32,
    /// The target was the program's serving instance (not a helper or launcher stage).
    pub instance: bool,
    /// No daemon answered when it was sent (between a daemon SIGKILL and the restart).
    pub daemon_down: bool,
    /// The target was gone (or a zombie) within 2 s: the kill ended it. (Not every signal
    /// kills: the test program ignores SIGTERM by design, and a Rust program survives its
    /// first SIGSEGV sent by kill(2), which std's stack-overflow handler swallows.)
    pub ended: bool,
}

/// A SIGKILL of the daemon and how long until its successor answered.
#[derive(Debug, Clone)]
pub struct DaemonKill {
    /// Wall clock of the SIGKILL, ms since the epoch.
    pub wall_ms: i64,
    /// From the SIGKILL to the new daemon answering on its socket.
    pub downtime: Option<Duration>,
}

/// What the roulette did and saw.
#[derive(Debug, Default)]
pub struct Chaos {
    /// Every signal delivered (ESRCH ones are not kept).
    pub kills: Vec<Kill>,
    /// The daemon's SIGKILLs.
    pub daemon_kills: Vec<DaemonKill>,
    /// Two instances of one program alive at one scan (confirmed by a re-read): program and pids.
    pub duplicates: BTreeSet<(usize, Vec<i32>)>,
    /// Zombies whose parent was the daemon for more than a second.
    pub lasting_zombies: BTreeSet<i32>,
    /// Most zombies seen under the daemon at one scan (unreaped for < 1 s: normal).
    pub max_transient_zombies: usize,
    /// Scans of the process table.
    pub scans: u64,
}

/// Runs the roulette for `duration`, with `daemon_kills` SIGKILLs of the daemon spread evenly.
pub fn run(
    daemon: &mut Daemon,
    tag_prefix: &str,
    duration: Duration,
    daemon_kills: u32,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<Chaos> {
    let mut c = Chaos::default();
    let start = Instant::now();
    let end = start + duration;
    let mut daemon_at: Vec<Instant> = (1..=daemon_kills)
        .map(|k| start + duration * k / (daemon_kills + 1))
        .collect();
    let mut next_kill = start + Duration::from_millis(rng.u64(100..=300));
    let mut down_since: Option<Instant> = None;
    let mut zombies: HashMap<i32, Instant> = HashMap::new();
    let mut watch: Vec<(usize, Instant)> = Vec::new();
    while Instant::now() < end || !watch.is_empty() {
        watch.retain(|(k, at)| {
            let gone = procs::stat(c.kills[*k].pid).is_none_or(|(s, _, _)| s == 'Z');
            c.kills[*k].ended |= gone;
            !gone && at.elapsed() < Duration::from_secs(2)
        });
        if Instant::now() >= end {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        let procs = procs::scan(tag_prefix);
        c.scans += 1;
        duplicates(&procs, &mut c);
        if down_since.is_some() && daemon.answers() {
            if let (Some(since), Some(k)) = (down_since.take(), c.daemon_kills.last_mut()) {
                k.downtime = Some(since.elapsed());
            }
        }
        if down_since.is_none() {
            zombies_under(daemon.pid, &mut zombies, &mut c);
        }
        let now = Instant::now();
        if daemon_at.first().is_some_and(|t| now >= *t) {
            daemon_at.remove(0);
            c.daemon_kills.push(DaemonKill {
                wall_ms: wall_ms(),
                downtime: None,
            });
            down_since = Some(Instant::now());
            // `lifeguard daemon`'s keeper revives it; nobody starts one.
            daemon.sigkill()?;
            zombies.clear();
        }
        if now >= next_kill {
            next_kill = now + Duration::from_millis(rng.u64(100..=300));
            let targets: Vec<&Proc> = procs.iter().filter(|p| p.state != 'Z').collect();
            if !targets.is_empty() {
                let p = targets[rng.usize(..targets.len())];
                let signal = SIGNALS[rng.usize(..SIGNALS.len())];
                let wall = wall_ms();
                if procs::signal(p.pid, signal) {
                    watch.push((c.kills.len(), Instant::now()));
                    c.kills.push(Kill {
                        wall_ms: wall,
                        pid: p.pid,
                        program: p.program,
                        signal,
                        instance: p.is_instance() && !procs::dying(p.pid),
                        daemon_down: down_since.is_some(),
                        ended: false,
                    });
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(c)
}

fn duplicates(procs: &[Proc], c: &mut Chaos) {
    let mut by_program: HashMap<usize, Vec<i32>> = HashMap::new();
    for p in procs.iter().filter(|p| p.is_instance()) {
        by_program.entry(p.program).or_default().push(p.pid);
    }
    for (program, pids) in by_program {
        if pids.len() < 2 {
            continue;
        }
        // A re-read: an instance that died or is dying since the scan is not a duplicate.
        let live: Vec<i32> = pids
            .into_iter()
            .filter(|pid| {
                procs::stat(*pid).is_some_and(|(s, _, t)| s != 'Z' && t >= 2) && !procs::dying(*pid)
            })
            .collect();
        if live.len() >= 2 {
            c.duplicates.insert((program, live));
        }
    }
}

fn zombies_under(daemon: i32, seen: &mut HashMap<i32, Instant>, c: &mut Chaos) {
    if daemon <= 0 {
        return;
    }
    let now = Instant::now();
    let current = procs::zombie_children(daemon);
    c.max_transient_zombies = c.max_transient_zombies.max(current.len());
    seen.retain(|pid, _| current.contains(pid));
    for pid in current {
        let first = *seen.entry(pid).or_insert(now);
        if now - first > Duration::from_secs(1) {
            c.lasting_zombies.insert(pid);
        }
    }
}

/// Wall clock now, ms since the epoch.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
