//! `lifeguard`: the daemon and the commands that talk to it.
//!
//! Each subcommand is one variant of [`Verb`] and one module; `main` only dispatches.

mod run;

use clap::{Parser, Subcommand};

/// Keeps the programs you chose running.
#[derive(Parser)]
#[command(name = "lifeguard", version, about)]
struct Cli {
    #[command(subcommand)]
    verb: Verb,
}

/// The subcommands.
#[derive(Subcommand)]
enum Verb {
    /// Supervise one command in the foreground: one JSON line per event on stdout,
    /// human-readable logs on stderr; SIGINT/SIGTERM stop it gracefully, then exit.
    Run(run::RunArgs),
}

fn main() -> std::process::ExitCode {
    let outcome = match Cli::parse().verb {
        Verb::Run(args) => run::main(args),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("lifeguard: error: {e:#}");
        std::process::ExitCode::from(2)
    })
}
