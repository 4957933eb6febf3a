//! Human output: tables and durations. `--json` bypasses all of it.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use lifeguard_engine::{Exit, Observed, ProgramSnapshot, Snapshot};

use crate::Global;

/// Now, in ms since the epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A duration in words: "47 ms", "3 s", "2 h 13 min" (the engine's one formatter).
pub fn ago(ms: u64) -> String {
    lifeguard_engine::duration::words_ms(ms)
}

/// A local-time-free timestamp: UTC, to the second.
pub fn when(ms: i64) -> String {
    let text = lifeguard_service::telemetry::rfc3339_ms(ms);
    text.get(..19).unwrap_or(&text).replace('T', " ")
}

/// Prints rows as left-aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(header.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row.clone());
    }
}

/// A program's state in a few words.
pub fn state(p: &ProgramSnapshot) -> String {
    let now = now_ms();
    let s = match &p.state {
        Observed::Stopped => "stopped".to_owned(),
        Observed::Starting => "starting".to_owned(),
        Observed::Running { since, .. } => format!("running {}", ago(now.saturating_sub(*since))),
        Observed::Stopping { .. } => "stopping".to_owned(),
        Observed::Backoff { delay_ms, .. } => format!("restarting in {}", ago(*delay_ms)),
        Observed::Held { .. } => "down, held by pause".to_owned(),
        Observed::Exited { .. } if p.unprotected.is_some() => {
            "NOT PROTECTED: exited 0, nothing left running".to_owned()
        }
        Observed::Exited { exit, .. } => format!("exited ({exit})"),
        Observed::GaveUp { deaths, .. } => format!("gave up after {deaths} deaths"),
    };
    let s = if p.paused { format!("{s} (paused)") } else { s };
    match p.deaths_note() {
        Some(note) => format!("{s}, {note}"),
        None => s,
    }
}

fn pid(p: &ProgramSnapshot) -> String {
    match p.state {
        Observed::Running { pid, .. } | Observed::Stopping { pid, .. } => pid.to_string(),
        _ => "-".to_owned(),
    }
}

fn last_exit(e: Option<Exit>) -> String {
    e.map(|e| e.to_string()).unwrap_or_else(|| "-".to_owned())
}

/// The status table.
pub fn print_snapshot(g: &Global, s: &Snapshot) -> anyhow::Result<ExitCode> {
    print_status(g, s, None)
}

/// The status table; `config_problem`: the daemon runs on a broken config file it
/// started with (then an empty table is not "nothing protected": nothing is adopted yet).
pub fn print_status(
    g: &Global,
    s: &Snapshot,
    config_problem: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if g.json {
        println!("{}", serde_json::to_string_pretty(s)?);
        return Ok(ExitCode::SUCCESS);
    }
    match (s.paused, s.paused_until) {
        (false, _) => println!("protection: on"),
        (true, None) => println!("protection: PAUSED until resumed"),
        (true, Some(t)) => println!("protection: PAUSED for {}", ago(t.saturating_sub(now_ms()))),
    }
    let rows: Vec<Vec<String>> = s
        .programs
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                state(p),
                pid(p),
                p.restarts.to_string(),
                last_exit(p.last_exit),
            ]
        })
        .collect();
    if let (true, Some(problem)) = (rows.is_empty(), config_problem) {
        println!("config.toml is broken, so no program is supervised yet: {problem}");
        println!("programs running from before are left as they are and are adopted when the file is fixed — fix it rather than adding them again (`lifeguard config check`)");
    } else if rows.is_empty() {
        println!("no programs protected — add one with `lifeguard add -- COMMAND`");
    } else {
        table(&["PROGRAM", "STATE", "PID", "RESTARTS", "LAST EXIT"], &rows);
    }
    for p in &s.programs {
        if let Some(why) = &p.unprotected {
            println!("{}: {why}", p.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One program after a change.
pub fn print_program(g: &Global, p: &ProgramSnapshot, verb: &str) -> anyhow::Result<ExitCode> {
    if g.json {
        println!("{}", serde_json::to_string_pretty(p)?);
    } else {
        println!("{}: {verb}; now {} (pid {})", p.id, state(p), pid(p));
    }
    Ok(ExitCode::SUCCESS)
}
