//! `lifeguard completions SHELL`: a completion script on stdout.

use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// `completions`' arguments.
#[derive(Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

/// Prints the script, e.g. `lifeguard completions bash > ~/.local/share/bash-completion/completions/lifeguard`.
pub fn main(a: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = crate::Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed stdout).
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "lifeguard", &mut script);
    crate::out::bytes(&script);
    Ok(ExitCode::SUCCESS)
}
