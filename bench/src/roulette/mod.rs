//! Process roulette: `lifeguard daemon` protecting programs of mixed kinds while random
//! signals hit their processes (and the daemon itself), measured from outside. See
//! `bench/README.md` and the `roulette` binary.

pub mod chaos;
pub mod daemon;
pub mod history;
pub mod keeper;
pub mod probe;
pub mod procs;
pub mod programs;
pub mod report;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

/// How to run a roulette.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long the kills go on.
    pub duration: Duration,
    /// The RNG's seed (printed, so a run can be replayed).
    pub seed: u64,
    /// How many times the daemon itself is SIGKILLed and restarted.
    pub daemon_kills: u32,
    /// How many programs to protect.
    pub programs: usize,
    /// Overall availability below this (percent) fails the run.
    pub min_availability: f64,
    /// Include the double-forking launcher programs (`--no-launchers` leaves them out).
    pub launchers: bool,
}

/// Runs a roulette and prints its figures; the report says whether every invariant held.
pub fn run(o: &Options) -> anyhow::Result<report::Report> {
    let dir = tempfile::Builder::new().prefix("roulette").tempdir()?;
    let root = dir.path();
    let sockets = root.join("s");
    for d in ["config/lifeguard", "s"] {
        std::fs::create_dir_all(root.join(d))?;
    }
    let tag_prefix = format!("roulette-{}-p", std::process::id());
    let progs = programs::programs(o.programs, &sockets, o.launchers);
    let testprog = lifeguard_testprog::path();
    std::fs::write(
        root.join("config/lifeguard/config.toml"),
        programs::config(&progs, &testprog, &tag_prefix),
    )?;
    let bin = crate::lifeguard_bin()?;
    let mut daemon = daemon::Daemon::new(root, &bin, &tag_prefix)?;
    daemon.start()?;
    daemon.wait_answering(Duration::from_secs(30))?;
    let all_up = || progs.iter().all(|p| probe::up(&p.socket));
    wait_until(Duration::from_secs(60), all_up).context("the programs did not all start")?;

    let stop = Arc::new(AtomicBool::new(false));
    let paths = progs.iter().map(|p| p.socket.clone()).collect();
    let prober = probe::spawn(paths, Duration::from_millis(20), Arc::clone(&stop));
    let mut rng = fastrand::Rng::with_seed(o.seed);
    let started = Instant::now();
    let chaos = chaos::run(
        &mut daemon,
        &tag_prefix,
        o.duration,
        o.daemon_kills,
        &mut rng,
    )?;
    let ran_for = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let avail = prober
        .join()
        .map_err(|_| anyhow::anyhow!("the prober panicked"))?;

    // After the last kill: everything back, no zombie left, then a clean shutdown.
    daemon.wait_answering(Duration::from_secs(30))?;
    let recovered = wait_until(Duration::from_secs(30), all_up).is_ok();
    if !recovered {
        print_down(&daemon, &progs, &tag_prefix);
    }
    std::thread::sleep(Duration::from_millis(1500));
    let final_zombies = procs::zombie_children(daemon.pid).len();
    let final_procs = procs::scan(&tag_prefix);
    daemon.shutdown()?;
    let (leftovers, slow) = left_behind(&tag_prefix, &progs);
    let (events, integrity) = history::read(&daemon.history_db())?;
    let ids: Vec<String> = progs.iter().map(|p| p.id.clone()).collect();
    let matched = history::matched(&chaos, &events, &ids);
    let r = report::Report {
        options: o.clone(),
        programs: progs,
        ran_for,
        availability: avail,
        chaos,
        recovered,
        final_zombies,
        final_instances: final_procs.iter().filter(|p| p.is_instance()).count(),
        leftovers,
        slow_to_go: slow,
        events: events.len(),
        integrity,
        matched,
    };
    r.print();
    Ok(r)
}

/// What the daemon and the process table say about programs that did not come back.
fn print_down(daemon: &daemon::Daemon, progs: &[programs::Program], tag_prefix: &str) {
    let status = daemon
        .cli(&["status", "--json"])
        .ok()
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    let table = procs::scan(tag_prefix);
    for (i, p) in progs
        .iter()
        .enumerate()
        .filter(|(_, p)| !probe::up(&p.socket))
    {
        let state = status
            .as_ref()
            .and_then(|s| {
                s["programs"]
                    .as_array()?
                    .iter()
                    .find(|x| x["id"] == *p.id)
                    .cloned()
            })
            .map(|x| x["state"].to_string())
            .unwrap_or_default();
        let mine: Vec<_> = table.iter().filter(|t| t.program == i).collect();
        println!(
            "DOWN {} ({}): daemon says {state}; processes {mine:?}",
            p.id,
            p.kind.label()
        );
    }
}

/// Our processes still there after the shutdown returned: (left, slow to go). A process
/// the daemon SIGKILLed can take a moment to be gone from a loaded machine's process
/// table, so one that is gone within 5 s only counts as slow; one still there then was
/// left behind. Each is printed, so that a failure says which program's process it was.
fn left_behind(tag_prefix: &str, progs: &[programs::Program]) -> (usize, usize) {
    let alive = || -> Vec<procs::Proc> {
        procs::scan(tag_prefix)
            .into_iter()
            .filter(|p| p.state != 'Z')
            .collect()
    };
    std::thread::sleep(Duration::from_millis(500));
    let first = alive();
    if first.is_empty() {
        return (0, 0);
    }
    let _ = wait_until(Duration::from_secs(5), || alive().is_empty());
    let last = alive();
    for p in &first {
        let program = progs.get(p.program);
        let still = last.iter().any(|l| l.pid == p.pid);
        println!(
            "LEFT {} ({}): {p:?}; {}",
            program.map_or("?", |x| x.id.as_str()),
            program.map_or("?", |x| x.kind.label()),
            if still {
                "still there after 5 s"
            } else {
                "gone within 5 s"
            }
        );
    }
    let left = first
        .iter()
        .filter(|p| last.iter().any(|l| l.pid == p.pid))
        .count();
    (left, first.len() - left)
}

fn wait_until(patience: Duration, mut cond: impl FnMut() -> bool) -> anyhow::Result<()> {
    let deadline = Instant::now() + patience;
    while !cond() {
        anyhow::ensure!(Instant::now() < deadline, "timed out after {patience:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}
