//! Human output: tables, times and durations. `--json` bypasses all of it.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use lifeguard_engine::{Exit, Observed, ProgramSnapshot, Snapshot};

use crate::style::{self, Tone};
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

/// A timestamp to the second: local time (as `date` prints it), or UTC with `--utc`.
pub fn when(g: &Global, ms: i64) -> String {
    when_in(g.utc, ms)
}

/// [`when`] with the choice given.
pub fn when_in(utc: bool, ms: i64) -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
        return ms.to_string();
    };
    if utc {
        t.format(FORMAT).to_string()
    } else {
        t.with_timezone(&chrono::Local).format(FORMAT).to_string()
    }
}

/// The heading of a time column: says which clock.
pub fn time_heading(g: &Global) -> &'static str {
    if g.utc {
        "TIME (UTC)"
    } else {
        "TIME"
    }
}

/// Prints rows as left-aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    table_toned(header, rows, |_, _| Tone::Plain);
}

/// [`table`], with cell (row, column) coloured in `tone(row, column)`'s colour. Padding
/// is worked out on the plain text, so colours never shift the columns.
pub fn table_toned(header: &[&str], rows: &[Vec<String>], tone: impl Fn(usize, usize) -> Tone) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String], tone: &dyn Fn(usize) -> Tone| {
        let last = cells.len().saturating_sub(1);
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = if i == last {
                    0
                } else {
                    w.saturating_sub(c.chars().count())
                };
                format!("{}{}", style::paint(c, tone(i)), " ".repeat(pad))
            })
            .collect();
        outln!("{}", text.join("  ").trim_end());
    };
    let heads: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    line(&heads, &|_| Tone::Heading);
    for (r, row) in rows.iter().enumerate() {
        line(row, &|c| tone(r, c));
    }
}

/// The colour of a program's state.
pub fn tone(p: &ProgramSnapshot) -> Tone {
    match &p.state {
        _ if p.unprotected.is_some() => Tone::Bad,
        Observed::Running { .. } if p.paused => Tone::Busy,
        Observed::Running { .. } => Tone::Good,
        Observed::Starting
        | Observed::Stopping { .. }
        | Observed::Backoff { .. }
        | Observed::Held { .. } => Tone::Busy,
        Observed::Exited { .. } | Observed::GaveUp { .. } => Tone::Bad,
        Observed::Stopped => Tone::Quiet,
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
        outln!("{}", serde_json::to_string_pretty(s)?);
        return Ok(ExitCode::SUCCESS);
    }
    match (s.paused, s.paused_until) {
        (false, _) => outln!("protection: on"),
        (true, None) => outln!(
            "protection: {}",
            style::paint("PAUSED until resumed", Tone::Busy)
        ),
        (true, Some(t)) => {
            let left = format!("PAUSED for {}", ago(t.saturating_sub(now_ms())));
            outln!("protection: {}", style::paint(&left, Tone::Busy));
        }
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
        outln!("config.toml is broken, so no program is supervised yet: {problem}");
        outln!("programs running from before are left as they are and are adopted when the file is fixed — fix it rather than adding them again (`lifeguard config check`)");
    } else if rows.is_empty() {
        outln!("no programs protected — add one with `lifeguard add -- COMMAND`");
    } else {
        let head = ["PROGRAM", "STATE", "PID", "RESTARTS", "LAST EXIT"];
        table_toned(&head, &rows, |r, c| match (c, s.programs.get(r)) {
            (1, Some(p)) => tone(p),
            _ => Tone::Plain,
        });
    }
    for p in &s.programs {
        if let Some(why) = &p.unprotected {
            outln!("{}: {why}", p.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One program after a change.
pub fn print_program(g: &Global, p: &ProgramSnapshot, verb: &str) -> anyhow::Result<ExitCode> {
    if g.json {
        outln!("{}", serde_json::to_string_pretty(p)?);
    } else {
        let now = style::paint(&state(p), tone(p));
        outln!("{}: {verb}; now {now} (pid {})", p.id, pid(p));
    }
    Ok(ExitCode::SUCCESS)
}
