//! Process roulette: `lifeguard daemon` protects 20 programs while random signals hit
//! their processes (and the daemon itself). Prints availability, kills matched against the
//! history, zombies, duplicates, leftovers and the history's integrity; exits 1 when an
//! invariant fails.
//!
//! Usage: `roulette [--duration 60s] [--long] [--seed N] [--kill-daemon N] [--programs N]
//! [--min-availability PCT] [--no-launchers]`

use std::time::Duration;

use anyhow::{bail, Context};
use lifeguard_bench::roulette::{self, keeper, Options};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--keeper") {
        let (bin, log) = (args.get(1).context("bin")?, args.get(2).context("log")?);
        return keeper::run(bin.as_ref(), log.as_ref());
    }
    let mut o = Options {
        duration: Duration::from_secs(60),
        seed: fastrand::u64(..),
        daemon_kills: 5,
        programs: 20,
        min_availability: 95.0,
        launchers: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--duration" => o.duration = duration(val()?)?,
            "--long" => o.duration = Duration::from_secs(600),
            "--seed" => o.seed = val()?.parse()?,
            "--kill-daemon" => o.daemon_kills = val()?.parse()?,
            "--programs" => o.programs = val()?.parse()?,
            "--min-availability" => o.min_availability = val()?.parse()?,
            "--no-launchers" => o.launchers = false,
            "-h" | "--help" => {
                println!("usage: roulette [--duration 60s] [--long] [--seed N] [--kill-daemon N] [--programs N] [--min-availability PCT] [--no-launchers]");
                return Ok(());
            }
            other => bail!("unknown argument {other:?} (see --help)"),
        }
    }
    println!(
        "roulette --seed {} --duration {}s --kill-daemon {} --programs {}{}",
        o.seed,
        o.duration.as_secs(),
        o.daemon_kills,
        o.programs,
        if o.launchers { "" } else { " --no-launchers" }
    );
    let report = roulette::run(&o)?;
    if !report.failures().is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

fn duration(text: &str) -> anyhow::Result<Duration> {
    let (num, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = num
        .parse()
        .with_context(|| format!("bad duration {text:?}"))?;
    Ok(match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" => Duration::from_secs(n * 60),
        _ => bail!("bad duration {text:?}: use 500ms, 60s or 10m"),
    })
}
