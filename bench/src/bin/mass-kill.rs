//! Mass kill: `lifeguard daemon` protects 100 programs (each `lg-testprog` on a Unix
//! socket); all 100 are SIGKILLed at once, and the time until every socket answers again
//! (from a new instance) is measured from outside. Every program is at the defaults
//! (only id and argv). Prints figures; asserts nothing.
//!
//! Usage: `mass-kill [PROGRAMS] [ROUNDS]` (default 100 programs, 10 rounds).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_bench::percentile;
use lifeguard_bench::roulette::{daemon::env, probe, procs};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(10);
    let dir = tempfile::Builder::new().prefix("masskill").tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/lifeguard"))?;
    let tag = format!("masskill-{}-p", std::process::id());
    let prog = lifeguard_testprog::path().display().to_string();
    let socks: Vec<_> = (0..n).map(|i| root.join(format!("p{i}.sock"))).collect();
    let mut config = String::from("[settings]\nnotifications = false\n\n");
    for (i, s) in socks.iter().enumerate() {
        let argv = [
            &prog,
            "--listen-unix",
            &s.display().to_string(),
            "--tag",
            &format!("{tag}{i}"),
        ];
        config += &format!("[[program]]\nid = \"p{i}\"\nargv = {argv:?}\n\n");
    }
    let (bin, mut daemon) = lifeguard_bench::start_daemon(root, &config)?;
    let mut guard = Guard {
        tag: tag.clone(),
        daemon: daemon.id() as i32,
    };
    let all_up = |patience: Duration| -> anyhow::Result<Duration> {
        let t0 = Instant::now();
        while !socks.iter().all(|s| probe::up(s)) {
            anyhow::ensure!(
                t0.elapsed() < patience,
                "not all {n} programs up after {patience:?}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(t0.elapsed())
    };
    all_up(Duration::from_secs(60))?;
    println!(
        "mass kill: {n} programs under `lifeguard daemon`, all SIGKILLed at once, {rounds} rounds"
    );
    println!("round  killed  all back after");
    let mut times = Vec::new();
    for round in 1..=rounds {
        // Past the default minimum uptime (1 s): a real run, restarted at once.
        std::thread::sleep(Duration::from_millis(1500));
        let victims: Vec<(usize, i32)> = procs::scan(&tag)
            .iter()
            .filter(|p| p.is_instance())
            .map(|p| (p.program, p.pid))
            .collect();
        let t0 = Instant::now();
        for (_, pid) in &victims {
            procs::signal(*pid, libc::SIGKILL);
        }
        // Back = the old instance is gone (not even a zombie's listener) and the socket
        // answers, so it is a new instance that answers.
        let gone = |pid: i32| procs::stat(pid).is_none_or(|(s, _, _)| s == 'Z');
        while !victims
            .iter()
            .all(|(i, pid)| gone(*pid) && probe::up(&socks[*i]))
        {
            anyhow::ensure!(
                t0.elapsed() < Duration::from_secs(60),
                "not back after 60 s"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        let t = t0.elapsed().as_secs_f64() * 1e3;
        println!("{round:>5}  {:>6}  {t:>10.1} ms", victims.len());
        times.push(t);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "all {n} back: p50 {:.1} ms, max {:.1} ms, min {:.1} ms (target ≤ 1000 ms)",
        percentile(&times, 50.0),
        times[times.len() - 1],
        times[0]
    );
    let mut stop = Command::new(&bin);
    env(&mut stop, root);
    stop.args(["shutdown", "--stop-programs"])
        .stdout(Stdio::null())
        .status()?;
    daemon.wait()?;
    guard.daemon = 0;
    drop(guard);
    Ok(())
}

/// Kills the daemon and every tagged process on the way out, even on an error.
struct Guard {
    tag: String,
    daemon: i32,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.daemon > 0 {
            procs::signal(self.daemon, libc::SIGKILL);
        }
        for p in procs::scan(&self.tag) {
            procs::signal(p.pid, libc::SIGKILL);
        }
    }
}
