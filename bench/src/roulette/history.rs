//! Matching the roulette's kills against the daemon's history (the SQLite file, opened
//! read-only after the daemon has exited) and checking the file's integrity.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::chaos::{Chaos, Kill};

/// One row of the history, the columns the roulette needs.
#[derive(Debug, Clone)]
pub struct Event {
    /// Wall clock, ms since the epoch.
    pub ts_ms: i64,
    /// Program id (`p3`).
    pub program_id: String,
    /// `exited`, `restarted`, `started`, …
    pub kind: String,
    /// The process the event is about.
    pub pid: Option<i64>,
}

/// Every event, and the result of `PRAGMA integrity_check`.
pub fn read(db: &Path) -> anyhow::Result<(Vec<Event>, String)> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT ts_ms, program_id, kind, pid FROM events ORDER BY id")?;
    let events = stmt
        .query_map([], |r| {
            Ok(Event {
                ts_ms: r.get(0)?,
                program_id: r.get(1)?,
                kind: r.get(2)?,
                pid: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((events, integrity))
}

/// How the kills that ended a program compare with the history.
#[derive(Debug, Default)]
pub struct Matched {
    /// Kills that ended a program: a signal to its serving instance after which that
    /// process was gone within 2 s (the first such kill per pid).
    pub expected: usize,
    /// Of those, with an `exited` event for that pid at or after the kill.
    pub exits_found: usize,
    /// Of those, with a later start of the program (`restarted` or `started`).
    pub restarts_found: usize,
    /// Expected kills without an exit event: lost events (pid, program, signal).
    pub lost: Vec<(i32, usize, i32)>,
    /// Kills near a daemon SIGKILL (200 ms before it until the successor answered).
    pub around_restart: usize,
    /// Of those, found in the history anyway.
    pub around_restart_found: usize,
}

/// Matches `chaos`'s kills against `events`.
pub fn matched(chaos: &Chaos, events: &[Event], ids: &[String]) -> Matched {
    let mut m = Matched::default();
    let mut seen = HashSet::new();
    for k in &chaos.kills {
        if !k.instance || !k.ended || !seen.insert(k.pid) {
            continue;
        }
        let id = &ids[k.program];
        let exit = events.iter().find(|e| {
            e.kind == "exited"
                && e.pid == Some(i64::from(k.pid))
                && &e.program_id == id
                && e.ts_ms + 50 >= k.wall_ms
        });
        let restart = exit.and_then(|x| {
            events.iter().find(|e| {
                &e.program_id == id
                    // A run the next daemon adopted counts: the program came back.
                    && ["restarted", "started", "adopted"].contains(&e.kind.as_str())
                    && e.ts_ms >= x.ts_ms
            })
        });
        if near_daemon_kill(k, chaos) {
            m.around_restart += 1;
            m.around_restart_found += usize::from(exit.is_some());
            continue;
        }
        m.expected += 1;
        match exit {
            Some(_) => m.exits_found += 1,
            None => {
                m.lost.push((k.pid, k.program, k.signal));
                let about: Vec<String> = events
                    .iter()
                    .filter(|e| {
                        e.pid == Some(i64::from(k.pid))
                            || (&e.program_id == id && (e.ts_ms - k.wall_ms).abs() < 2000)
                    })
                    .map(|e| format!("{}@{:+}ms pid {:?}", e.kind, e.ts_ms - k.wall_ms, e.pid))
                    .collect();
                eprintln!(
                    "lost: pid {} {id} signal {} at {}: {}",
                    k.pid,
                    k.signal,
                    k.wall_ms,
                    about.join(", ")
                );
            }
        }
        m.restarts_found += usize::from(restart.is_some());
    }
    m
}

fn near_daemon_kill(k: &Kill, chaos: &Chaos) -> bool {
    k.daemon_down
        || chaos.daemon_kills.iter().any(|d| {
            let down_ms = d.downtime.map_or(10_000, |t| t.as_millis() as i64);
            k.wall_ms + 200 >= d.wall_ms && k.wall_ms <= d.wall_ms + down_ms
        })
}
