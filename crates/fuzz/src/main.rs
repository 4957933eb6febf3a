//! `lifeguard-fuzz TARGET [--secs N] [--seed S] [--save] [--bin PATH] [--testprog PATH]`:
//! a fuzzing campaign over one target's corpus; prints execs, corpus size and crashes.
//! TARGET is `duration`, `config` or `rpc` (which runs `--bin`, default
//! `target/debug/lifeguard`, as a sandboxed daemon).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lifeguard_fuzz::campaign::{self, Options};
use lifeguard_fuzz::{corpus_dir, targets};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let Some(target) = args.first().cloned() else {
        eprintln!("usage: lifeguard-fuzz duration|config|rpc [--secs N] [--seed S] [--save] [--bin PATH] [--testprog PATH]");
        return std::process::ExitCode::from(2);
    };
    let options = Options {
        time: Duration::from_secs(value("--secs").and_then(|s| s.parse().ok()).unwrap_or(60)),
        max_execs: u64::MAX,
        seed: value("--seed").and_then(|s| s.parse().ok()).unwrap_or(1),
        save: args.iter().any(|a| a == "--save"),
    };
    let dir = corpus_dir(&target);
    let start = Instant::now();
    let stats = match target.as_str() {
        "duration" => campaign::run(
            &dir,
            targets::DURATION_DICT,
            &options,
            targets::duration,
            || {},
        ),
        "config" => campaign::run(&dir, targets::CONFIG_DICT, &options, targets::config, || {}),
        "rpc" => {
            let bin =
                PathBuf::from(value("--bin").unwrap_or_else(|| "target/debug/lifeguard".into()));
            let testprog = PathBuf::from(
                value("--testprog").unwrap_or_else(|| "target/debug/lg-testprog".into()),
            );
            let bin = bin.canonicalize().unwrap_or(bin);
            let testprog = testprog.canonicalize().unwrap_or(testprog);
            let rpc = std::cell::RefCell::new(targets::Rpc::start(&bin, &testprog));
            campaign::run(
                &dir,
                targets::RPC_DICT,
                &options,
                |d| rpc.borrow_mut().exec(d),
                || rpc.borrow_mut().restart(),
            )
        }
        other => {
            eprintln!("no target {other:?}: duration, config or rpc");
            return std::process::ExitCode::from(2);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{target}: {} execs in {secs:.0} s ({:.0}/s), corpus {} ({} new), {} behaviour classes, {} crashes",
        stats.execs,
        stats.execs as f64 / secs,
        stats.corpus,
        stats.new,
        stats.classes,
        stats.crashes.len()
    );
    for c in &stats.crashes {
        println!("  crash: {}", c.display());
    }
    if stats.crashes.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
