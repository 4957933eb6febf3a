//! `lifeguard history`, `lifeguard events`.

use std::process::ExitCode;

use clap::Args;
use lifeguard_engine::{duration, Event};
use lifeguard_service::client::Client;
use lifeguard_service::history::HistoryRecord;
use lifeguard_service::protocol::methods::HistoryParams;

use crate::style::Tone;
use crate::{human, Global};

/// `history`'s arguments.
#[derive(Args)]
pub struct HistoryArgs {
    /// Only this program.
    #[arg(long)]
    program: Option<String>,
    /// Only events since: a duration ago (1h, 7d) or ms since the epoch.
    #[arg(long, value_parser = since)]
    since: Option<i64>,
    /// Only these kinds (repeatable): exited, restarted, started, stopped, gave_up…
    #[arg(long = "kind")]
    kinds: Vec<String>,
    /// At most this many events (newest first).
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

/// `events`' arguments.
#[derive(Args)]
pub struct EventsArgs {
    /// Keep printing events as they happen, until interrupted.
    #[arg(long, short)]
    follow: bool,
}

fn since(text: &str) -> Result<i64, String> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let d = duration::parse(text)?;
    Ok(human::now_ms().saturating_sub(d.as_millis() as u64) as i64)
}

/// `lifeguard history`: pages through the history up to `--limit` events.
pub async fn history(c: &Client, g: &Global, a: HistoryArgs) -> anyhow::Result<ExitCode> {
    let mut params = HistoryParams {
        program: a.program,
        kinds: a.kinds,
        since_ms: a.since,
        limit: Some(a.limit.min(1000)),
        ..HistoryParams::default()
    };
    let mut events: Vec<HistoryRecord> = Vec::new();
    while events.len() < a.limit {
        let page = c.history(params.clone()).await?;
        events.extend(page.events);
        match page.next {
            Some(next) => params.after = Some(next),
            None => break,
        }
    }
    events.truncate(a.limit);
    if g.json {
        outln!("{}", serde_json::to_string_pretty(&events)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = events.iter().map(|r| row(g, r)).collect();
    let head = [human::time_heading(g), "PROGRAM", "EVENT", "PID", "DETAIL"];
    human::table_toned(&head, &rows, |r, c| match (c, events.get(r)) {
        (2, Some(e)) => kind_tone(&e.kind),
        _ => Tone::Plain,
    });
    Ok(ExitCode::SUCCESS)
}

/// Deaths in red, comebacks in green, waits in yellow.
fn kind_tone(kind: &str) -> Tone {
    match kind {
        "exited" | "gave_up" | "spawn_failed" | "health_failed" | "nothing_left" => Tone::Bad,
        "restarted" | "started" | "adopted" | "retried" | "resumed" => Tone::Good,
        "restart_scheduled" | "paused" | "stopping" => Tone::Busy,
        _ => Tone::Plain,
    }
}

fn row(g: &Global, r: &HistoryRecord) -> Vec<String> {
    let detail = match r.kind.as_str() {
        "exited" => match r.uptime_ms {
            Some(ms) => format!("{} after {}", r.exit_description(), human::ago(ms)),
            None => r.exit_description(),
        },
        "spawn_failed" | "nothing_left" => r.exit_description(),
        _ => r.reason.clone().unwrap_or_default(),
    };
    let by = r
        .requested_by
        .as_deref()
        .map(|b| format!(" (by {b})"))
        .unwrap_or_default();
    vec![
        human::when(g, r.ts_ms),
        r.program_id.clone(),
        r.kind.clone(),
        r.pid.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
        format!("{detail}{by}"),
    ]
}

/// `lifeguard events`: the latest 20 from the history, or live with `--follow`.
pub async fn events(c: &Client, g: &Global, a: EventsArgs) -> anyhow::Result<ExitCode> {
    if !a.follow {
        let args = HistoryArgs {
            program: None,
            since: None,
            kinds: Vec::new(),
            limit: 20,
        };
        return history(c, g, args).await;
    }
    let mut sub = c.subscribe().await?;
    while let Some(e) = sub.recv().await {
        print_event(g, &e);
    }
    anyhow::bail!("the daemon closed the connection (it stopped)")
}

fn print_event(g: &Global, e: &Event) {
    if g.json {
        outln!("{}", e.to_json_line());
    } else {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        let pid = e.pid.map(|p| format!(" pid {p}")).unwrap_or_default();
        let exit = e.exit.map(|x| format!(" {x}")).unwrap_or_default();
        let reason = e
            .reason
            .as_deref()
            .map(|r| format!(" — {r}"))
            .unwrap_or_default();
        let kind = kind.unwrap_or_default();
        // The same tones as `history`'s EVENT column, under the same NO_COLOR rules.
        outln!(
            "{} {} {}{pid}{exit}{reason}",
            human::when(g, e.ts as i64),
            e.program,
            crate::style::paint(&kind, kind_tone(&kind))
        );
    }
    // Piped into another program: each event as it happens, not when a buffer fills.
    crate::out::flush();
}
