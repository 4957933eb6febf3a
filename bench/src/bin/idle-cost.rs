//! Idle cost of `lifeguard run` supervising one sleeping program: CPU time and context
//! switches (all threads) over a window, and RSS. Prints figures; asserts nothing.
//!
//! Usage: `idle-cost [SECONDS]` (default 30).

use std::process::{Command, Stdio};
use std::time::Duration;

use lifeguard_bench::{lifeguard_bin, proc_stats};

fn main() -> anyhow::Result<()> {
    let secs: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(30);
    let mut lifeguard = Command::new(lifeguard_bin()?)
        .args(["run", "--"])
        .arg(lifeguard_testprog::path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = lifeguard.id();
    std::thread::sleep(Duration::from_secs(1)); // let start-up settle
    let before = proc_stats(pid)?;
    std::thread::sleep(Duration::from_secs(secs));
    let after = proc_stats(pid)?;
    // SAFETY: kill(2) with plain integers.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    lifeguard.wait()?;
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    println!("idle cost of `lifeguard run` with one sleeping program, over {secs} s:");
    println!("  threads: {}", after.threads);
    println!(
        "  cpu time: {:.1} ms",
        (after.cpu_ticks - before.cpu_ticks) as f64 * 1000.0 / hz
    );
    println!(
        "  voluntary context switches: {}",
        after.voluntary - before.voluntary
    );
    println!(
        "  involuntary context switches: {}",
        after.involuntary - before.involuntary
    );
    println!("  rss: {:.1} MiB", after.rss_kib as f64 / 1024.0);
    Ok(())
}
