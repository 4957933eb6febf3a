//! Restart storm: `lifeguard daemon` protects one program that exits with code 1 the moment
//! it starts, with the default backoff (250 ms doubling to 30 s, 10% jitter) and the
//! crash-loop breaker off, for a window. Prints the starts made (from the program's own
//! start counter), the delays the history recorded, and the daemon's CPU time over the
//! window. Asserts nothing.
//!
//! Usage: `restart-storm [SECONDS]` (default 60).

use std::process::{Command, Stdio};
use std::time::Duration;

use lifeguard_bench::proc_stats;
use lifeguard_bench::roulette::{daemon::env, history, procs};

fn main() -> anyhow::Result<()> {
    let secs: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(60);
    let dir = tempfile::Builder::new().prefix("storm").tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/lifeguard"))?;
    let counter = root.join("starts");
    let prog = lifeguard_testprog::path().display().to_string();
    let argv = [
        &prog,
        "--counter",
        &counter.display().to_string(),
        "--crash-first",
        "1000000000",
    ];
    let config = format!(
        "[settings]\nnotifications = false\n\n[[program]]\nid = \"storm\"\nargv = {argv:?}\n\
         breaker = {{ enabled = false }}\n"
    );
    let (bin, mut daemon) = lifeguard_bench::start_daemon(root, &config)?;
    let pid = daemon.id() as i32;
    // The window starts at the daemon's start: the first start is part of the storm.
    let before = proc_stats(pid as u32)?;
    std::thread::sleep(Duration::from_secs(secs));
    let after = proc_stats(pid as u32)?;
    let mut stop = Command::new(&bin);
    env(&mut stop, root);
    let stopped = stop
        .args(["shutdown", "--stop-programs"])
        .stdout(Stdio::null())
        .status();
    if !matches!(stopped, Ok(s) if s.success()) {
        procs::signal(pid, libc::SIGKILL);
    }
    daemon.wait()?;
    let starts: u64 = std::fs::read_to_string(&counter)?.trim().parse()?;
    let (events, _) = history::read(&root.join("data/lifeguard/history.sqlite3"))?;
    let t0 = events.first().map_or(0, |e| e.ts_ms);
    let times: Vec<String> = events
        .iter()
        .filter(|e| e.kind == "started" || e.kind == "restarted")
        .map(|e| format!("{:.2}", (e.ts_ms - t0) as f64 / 1e3))
        .collect();
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    println!(
        "restart storm: one program exiting 1 at once, default backoff, breaker off, {secs} s"
    );
    println!("starts made            {starts}");
    println!("start times (s)        {}", times.join(" "));
    println!(
        "daemon CPU time        {:.0} ms over {secs} s ({} voluntary + {} involuntary context switches)",
        (after.cpu_ticks - before.cpu_ticks) as f64 * 1000.0 / hz,
        after.voluntary - before.voluntary,
        after.involuntary - before.involuntary
    );
    Ok(())
}
