//! `lifeguard status` and `lifeguard list`.

use std::process::ExitCode;

use lifeguard_service::client::Client;

use crate::{human, Global};

/// `lifeguard status`: the snapshot, with any warnings the daemon has.
pub async fn status(c: &Client, g: &Global) -> anyhow::Result<ExitCode> {
    let snap = c.status().await?;
    if g.json {
        return human::print_snapshot(g, &snap);
    }
    let hello = c.hello().await?;
    let code = human::print_status(g, &snap, hello.config_problem.as_deref())?;
    for w in hello.warnings {
        eprintln!("warning: {w}");
    }
    Ok(code)
}

/// `lifeguard list`: the config's programs.
pub async fn list(c: &Client, g: &Global) -> anyhow::Result<ExitCode> {
    let programs = c.list().await?;
    if g.json {
        println!("{}", serde_json::to_string_pretty(&programs)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = programs
        .iter()
        .map(|p| {
            vec![
                p.spec.id.to_string(),
                p.spec.display_name().to_owned(),
                if p.options.autostart { "yes" } else { "no" }.to_owned(),
                p.spec.argv.join(" "),
            ]
        })
        .collect();
    human::table(&["PROGRAM", "NAME", "AUTOSTART", "COMMAND"], &rows);
    Ok(ExitCode::SUCCESS)
}
