//! `lifeguard manpages DIR` (hidden): man pages generated from the clap definitions,
//! `lifeguard.1` and one `lifeguard-VERB.1` per subcommand, for the package.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory};

/// `manpages`' arguments.
#[derive(Args)]
pub struct ManpagesArgs {
    /// The directory to write the pages into (created if missing).
    dir: PathBuf,
}

/// Writes every page; prints their paths.
pub fn main(a: ManpagesArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&a.dir)
        .with_context(|| format!("cannot create {}", a.dir.display()))?;
    let mut cmd = crate::Cli::command();
    cmd.build();
    write(&a.dir, &cmd, "lifeguard")?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        // clap names commands with &'static str; this short-lived command leaks a few names.
        let name: &'static str =
            Box::leak(format!("lifeguard-{}", sub.get_name()).into_boxed_str());
        let sub = sub.clone().name(name);
        write(&a.dir, &sub, name)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write(dir: &std::path::Path, cmd: &clap::Command, name: &str) -> anyhow::Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .with_context(|| format!("cannot render {name}.1"))?;
    std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
