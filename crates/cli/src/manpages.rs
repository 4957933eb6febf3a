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
    let mut cmd = crate::help::decorate(crate::Cli::command());
    cmd.build();
    write(&a.dir, &cmd, "lifeguard", crate::help::extra(""))?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        // clap names commands with &'static str; this short-lived command leaks a few names.
        let name: &'static str =
            Box::leak(format!("lifeguard-{}", sub.get_name()).into_boxed_str());
        let extra = crate::help::extra(sub.get_name());
        let sub = sub.clone().name(name);
        write(&a.dir, &sub, name, extra)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// clap_mangen's sections, with EXAMPLES and EXIT STATUS of our own in place of its
/// EXTRA (which would run the examples together into one paragraph).
fn write(
    dir: &std::path::Path,
    cmd: &clap::Command,
    name: &str,
    extra: Option<crate::help::Extra>,
) -> anyhow::Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    let render = |page: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(page)?;
        man.render_name_section(page)?;
        man.render_synopsis_section(page)?;
        man.render_description_section(page)?;
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(page)?;
        }
        if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
            man.render_subcommands_section(page)?;
        }
        if let Some(e) = &extra {
            page.extend_from_slice(crate::help::roff(e).as_bytes());
        }
        if cmd.get_version().is_some() {
            man.render_version_section(page)?;
        }
        Ok(())
    };
    render(&mut page).with_context(|| format!("cannot render {name}.1"))?;
    std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    outln!("{}", path.display());
    Ok(())
}
