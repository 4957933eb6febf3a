//! `lifeguard status [ID]` and `lifeguard list`.

use std::process::ExitCode;

use clap::Args;
use lifeguard_engine::{bytes, duration, Observed, ProgramSnapshot, Usage};
use lifeguard_service::client::{Client, ClientError};

use crate::exit::{STATUS_DOWN, STATUS_UNKNOWN};
use crate::style::{self, Tone};
use crate::{client_cmds, human, Global};

/// `status`' arguments.
#[derive(Args, Default)]
pub struct StatusArgs {
    /// One program: its details, and an exit status scripts can test (0 running, 3 down,
    /// 4 unknown), like systemctl status UNIT.
    #[arg(value_name = "ID")]
    pub program: Option<String>,
}

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

/// `lifeguard status ID`: one program, with the LSB status codes (`systemctl status`,
/// `supervisorctl status`): 0 running, 3 not running (stopped, exited, restarting, gave
/// up), 4 status unknown (no such program, or no daemon to ask).
pub async fn one(g: &Global, id: &str) -> anyhow::Result<ExitCode> {
    let client = match client_cmds::connect(g).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lifeguard: {e:#}");
            return Ok(ExitCode::from(STATUS_UNKNOWN));
        }
    };
    let snap = match client.status().await {
        Ok(s) => s,
        Err(e @ ClientError::NoDaemon { .. }) => {
            eprintln!("lifeguard: {e}");
            return Ok(ExitCode::from(STATUS_UNKNOWN));
        }
        Err(e) => return Err(e.into()),
    };
    let Some(p) = snap.programs.iter().find(|p| p.id.as_str() == id) else {
        eprintln!("lifeguard: no program {id:?} is protected (`lifeguard status` lists them)");
        return Ok(ExitCode::from(STATUS_UNKNOWN));
    };
    if g.json {
        outln!("{}", serde_json::to_string_pretty(p)?);
    } else {
        // What it uses now; a daemon from before `usage` just has no figures.
        let usage = match p.state {
            Observed::Running { .. } => client.usage().await.ok().and_then(|r| {
                r.programs
                    .into_iter()
                    .find(|u| u.id == p.id)
                    .map(|u| u.usage)
            }),
            _ => None,
        };
        print_one(g, p, snap.paused, usage);
    }
    Ok(ExitCode::from(code(p)))
}

/// 0 only for a program that is up now; anything else is "not running" (3).
fn code(p: &ProgramSnapshot) -> u8 {
    match p.state {
        Observed::Running { .. } if p.unprotected.is_none() => 0,
        _ => STATUS_DOWN,
    }
}

fn print_one(g: &Global, p: &ProgramSnapshot, all_paused: bool, usage: Option<Usage>) {
    let title = if p.name.is_empty() || p.name == p.id.as_str() {
        p.id.to_string()
    } else {
        format!("{} ({})", p.id, p.name)
    };
    outln!(
        "{}: {}",
        title,
        style::paint(&human::state(p), human::tone(p))
    );
    let field = |k: &str, v: String| outln!("  {:<12}{v}", format!("{k}:"));
    match p.state {
        Observed::Running { pid, since } => {
            field("pid", pid.to_string());
            field("since", human::when(g, since as i64));
            if let Some(u) = usage {
                let processes = match u.processes {
                    1 => "1 process".to_owned(),
                    n => format!("{n} processes"),
                };
                field(
                    "memory",
                    format!("{} ({processes})", bytes::words(u.rss_bytes)),
                );
                field("cpu time", duration::words_ms(u.cpu_ms));
            }
        }
        Observed::Exited { at, .. } | Observed::GaveUp { at, .. } => {
            field("since", human::when(g, at as i64));
        }
        _ => {}
    }
    field("restarts", p.restarts.to_string());
    if let Some(e) = p.last_exit {
        field("last exit", e.to_string());
    }
    // What a program speaking sd_notify said of itself (issue 20): the window and the
    // tray show it, so the terminal does too.
    if p.spec.sd_notify && matches!(p.state, Observed::Running { .. }) {
        let ready = if p.ready {
            "yes".to_owned()
        } else {
            style::paint("not yet (waiting for READY=1)", Tone::Busy)
        };
        field("ready", ready);
    }
    if let Some(said) = &p.talk_status {
        field("it says", said.clone());
    }
    let protection = match (p.paused || all_paused, p.unprotected.as_deref()) {
        (_, Some(why)) => style::paint(why, Tone::Bad),
        (true, None) => style::paint("paused", Tone::Busy),
        (false, None) => "on".to_owned(),
    };
    field("protection", protection);
    field("command", p.spec.argv.join(" "));
}

/// `lifeguard list`: the config's programs.
pub async fn list(c: &Client, g: &Global) -> anyhow::Result<ExitCode> {
    let programs = c.list().await?;
    if g.json {
        outln!("{}", serde_json::to_string_pretty(&programs)?);
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
