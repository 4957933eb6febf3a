//! The roulette's figures, printed, and the invariants that make a run fail.

use std::time::Duration;

use super::chaos::{Chaos, SIGNALS};
use super::history::Matched;
use super::probe::Availability;
use super::programs::Program;
use super::Options;

/// Everything a roulette measured.
#[derive(Debug)]
pub struct Report {
    /// The run's options.
    pub options: Options,
    /// The programs.
    pub programs: Vec<Program>,
    /// How long the kills went on.
    pub ran_for: Duration,
    /// Probe counts.
    pub availability: Availability,
    /// Kills and scans.
    pub chaos: Chaos,
    /// Every program was up again within 30 s of the last kill.
    pub recovered: bool,
    /// Zombies under the daemon 1.5 s after the last kill.
    pub final_zombies: usize,
    /// Serving instances at the end (one per program when all is well).
    pub final_instances: usize,
    /// Tagged processes still alive 5.5 s after `lifeguard shutdown --stop-programs`.
    pub leftovers: usize,
    /// Processes still there 500 ms after the shutdown but gone within 5 s.
    pub slow_to_go: usize,
    /// Rows in the history.
    pub events: usize,
    /// `PRAGMA integrity_check`'s answer.
    pub integrity: String,
    /// Kills matched against the history.
    pub matched: Matched,
}

impl Report {
    /// Overall availability, percent of probes that found a program up.
    pub fn overall(&self) -> f64 {
        let up: u64 = self.availability.up.iter().sum();
        let total: u64 = self.availability.total.iter().sum();
        pct(up, total)
    }

    /// The invariants that failed (empty: the run passed).
    pub fn failures(&self) -> Vec<String> {
        let mut f = Vec::new();
        let mut check = |ok: bool, what: String| {
            if !ok {
                f.push(what);
            }
        };
        let o = &self.options;
        check(
            self.overall() >= o.min_availability,
            format!(
                "availability {:.3}% < {}%",
                self.overall(),
                o.min_availability
            ),
        );
        let lost = self.matched.lost.len();
        check(
            lost == 0,
            format!("{lost} lost events: {:?}", self.matched.lost),
        );
        let m = &self.matched;
        check(
            m.restarts_found == m.exits_found,
            format!(
                "{} exits in the history without a later start",
                m.exits_found - m.restarts_found.min(m.exits_found)
            ),
        );
        let z = self.chaos.lasting_zombies.len() + self.final_zombies;
        check(z == 0, format!("{z} zombies under the daemon"));
        let d = self.chaos.duplicates.len();
        check(
            d == 0,
            format!("{d} duplicates: {:?}", self.chaos.duplicates),
        );
        check(
            self.leftovers == 0,
            format!("{} processes left", self.leftovers),
        );
        check(
            self.integrity == "ok",
            format!("integrity_check: {}", self.integrity),
        );
        check(self.recovered, "not every program came back".into());
        check(
            self.final_instances == self.programs.len(),
            format!("{} instances at the end", self.final_instances),
        );
        let no_down = self
            .chaos
            .daemon_kills
            .iter()
            .filter(|k| k.downtime.is_none());
        check(
            no_down.count() == 0,
            "a restarted daemon never answered".into(),
        );
        f
    }

    /// Prints every figure.
    pub fn print(&self) {
        let (a, c, m) = (&self.availability, &self.chaos, &self.matched);
        println!(
            "\nprocess roulette: seed {}, {} programs, {:.1} s of kills",
            self.options.seed,
            self.programs.len(),
            self.ran_for.as_secs_f64()
        );
        println!("\nprogram  kind             availability  longest outage  signals  ended");
        for (i, p) in self.programs.iter().enumerate() {
            let sent = c.kills.iter().filter(|k| k.program == i).count();
            let ended = c
                .kills
                .iter()
                .filter(|k| k.program == i && k.instance)
                .count();
            println!(
                "{:<8} {:<16} {:>11.3}%  {:>11.1} ms  {sent:>7}  {ended:>5}",
                p.id,
                p.kind.label(),
                pct(a.up[i], a.total[i]),
                a.longest_outage[i].as_secs_f64() * 1e3
            );
        }
        let probes: u64 = a.total.iter().sum();
        println!(
            "\noverall availability       {:.3}% ({probes} probes, every 20 ms per program)",
            self.overall()
        );
        println!("outages by length          {}", outage_buckets(&a.outages));
        let by_sig: Vec<String> = SIGNALS
            .iter()
            .map(|s| {
                format!(
                    "{}={}",
                    name(*s),
                    c.kills.iter().filter(|k| k.signal == *s).count()
                )
            })
            .collect();
        println!(
            "signals delivered          {} ({})",
            c.kills.len(),
            by_sig.join(" ")
        );
        println!(
            "to serving instances       {}",
            c.kills.iter().filter(|k| k.instance).count()
        );
        println!("kills that ended a program {} expected, exits in history {}, restarts after them {}, lost {}",
            m.expected, m.exits_found, m.restarts_found, m.lost.len());
        println!(
            "  around daemon restarts   {} (in history: {}; not counted as lost)",
            m.around_restart, m.around_restart_found
        );
        let downs: Vec<String> = c
            .daemon_kills
            .iter()
            .map(|k| {
                k.downtime.map_or("never".into(), |d| {
                    format!("{:.0} ms", d.as_secs_f64() * 1e3)
                })
            })
            .collect();
        println!(
            "daemon SIGKILLs            {} (down until the successor answered: {})",
            c.daemon_kills.len(),
            downs.join(", ")
        );
        println!(
            "duplicate instances        {} (process-table scans: {})",
            c.duplicates.len(),
            c.scans
        );
        println!("zombies under the daemon   {} lasting > 1 s, {} at the end (max unreaped at one scan: {})",
            c.lasting_zombies.len(), self.final_zombies, c.max_transient_zombies);
        println!(
            "all back after the run     {} ({} instances)",
            self.recovered, self.final_instances
        );
        println!(
            "left after shutdown        {} (slow to go, gone within 5 s: {})",
            self.leftovers, self.slow_to_go
        );
        println!(
            "history                    {} events, integrity_check: {}",
            self.events, self.integrity
        );
        let f = self.failures();
        if f.is_empty() {
            println!("\nRESULT: PASS (every invariant held)");
        } else {
            println!("\nRESULT: FAIL\n  {}", f.join("\n  "));
        }
    }
}

/// The outages counted by length (as the probes saw them: first failure to next success),
/// each bucket with its share of the total downtime.
fn outage_buckets(outages: &[Duration]) -> String {
    let total: f64 = outages.iter().map(Duration::as_secs_f64).sum();
    let bounds = [(0, 30), (30, 100), (100, 400), (400, u64::MAX)];
    let parts: Vec<String> = bounds
        .iter()
        .map(|&(lo, hi)| {
            let inside = outages.iter().filter(|d| {
                let ms = d.as_millis() as u64;
                ms >= lo && ms < hi
            });
            let (n, sum) = inside.fold((0, 0.0), |(n, s), d| (n + 1, s + d.as_secs_f64()));
            let range = if hi == u64::MAX {
                format!("≥{lo} ms")
            } else {
                format!("{lo}–{hi} ms")
            };
            format!("{range}: {n} ({:.1} s)", sum)
        })
        .collect();
    format!("{} — total {total:.1} s", parts.join(", "))
}

fn pct(up: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        up as f64 * 100.0 / total as f64
    }
}

fn name(sig: i32) -> &'static str {
    match sig {
        libc::SIGKILL => "KILL",
        libc::SIGTERM => "TERM",
        libc::SIGSEGV => "SEGV",
        libc::SIGINT => "INT",
        _ => "?",
    }
}
