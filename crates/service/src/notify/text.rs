//! The words of each notice, from engine events: plain sentences a person understands.

use lifeguard_engine::{Exit, ProgramId};

/// "2 h 13 min", "7 min 5 s", "45 s", "3 days 4 h": the one formatter of durations for
/// people, [`lifeguard_engine::duration::words_ms`].
pub fn duration(ms: u64) -> String {
    lifeguard_engine::duration::words_ms(ms)
}

/// "It was killed (SIGKILL) after 2 h 13 min." from the exit that preceded a restart;
/// "… right after it started." for a run under a second (no "after 0 s", no "after 12 ms").
pub fn cause(exit: Option<Exit>, uptime_ms: Option<u64>) -> String {
    let what = match exit {
        Some(Exit::Signal {
            signal,
            core_dumped: true,
        }) => format!("It was killed ({signal}, core dumped)"),
        Some(Exit::Signal { signal, .. }) => format!("It was killed ({signal})"),
        Some(Exit::Code(code)) => format!("It exited with code {code}"),
        Some(Exit::Unknown) | None => "It stopped".to_owned(),
    };
    match uptime_ms {
        Some(ms) if ms < 1000 => format!("{what} right after it started."),
        Some(ms) => format!("{what} after {}.", duration(ms)),
        None => format!("{what}."),
    }
}

/// "Firefox restarted" / "It was killed (SIGKILL) after 2 h 13 min. Restarted 3 times
/// today." ("First restart today." the first time).
pub fn restarted(name: &str, cause: &str, today: u32) -> (String, String) {
    let count = match today {
        0 | 1 => "First restart today.".to_owned(),
        n => format!("Restarted {n} times today."),
    };
    (format!("{name} restarted"), format!("{cause} {count}"))
}

/// "6 programs were restarted" / "a, b, c, d, e and 1 more."
pub fn mass_restart(names: &[String]) -> (String, String) {
    const SHOWN: usize = 5;
    let listed = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let body = match names.len().saturating_sub(SHOWN) {
        0 => format!("{listed}."),
        more => format!("{listed} and {more} more."),
    };
    (format!("{} programs were restarted", names.len()), body)
}

/// The gave-up notice's words, and how to retry without an action button.
pub fn gave_up(name: &str, id: &ProgramId, reason: Option<&str>) -> (String, String, String) {
    // The engine's reason reads "5 deaths within 1m: gave up until retried"; the numbers
    // are the useful part here, the window in words ("5 deaths within 1 min").
    let numbers = reason.map(|r| r.split(':').next().unwrap_or(r).trim().to_owned());
    let numbers = numbers.map(|n| match n.split_once(" within ") {
        Some((deaths, window)) => match lifeguard_engine::duration::parse(window) {
            Ok(d) => format!("{deaths} within {}", lifeguard_engine::duration::words(d)),
            Err(_) => n.clone(),
        },
        None => n,
    });
    let body = match numbers.as_deref() {
        Some(n) if !n.is_empty() => {
            format!("It kept dying ({n}), so Lifeguard stopped restarting it.")
        }
        _ => "It kept dying, so Lifeguard stopped restarting it.".to_owned(),
    };
    let fallback = format!("To try again, use the Lifeguard window or run `lifeguard retry {id}`.");
    (format!("{name} keeps crashing"), body, fallback)
}

/// "Protection paused for 15 min" / what it means and how to resume.
pub fn paused(for_ms: Option<u64>) -> (String, String) {
    let summary = match for_ms {
        // Round to whole minutes: the pause was requested a moment before `now`.
        Some(ms) if ms >= 60_000 => format!("Protection paused for {}", duration(round_min(ms))),
        Some(ms) => format!("Protection paused for {}", duration(ms)),
        None => "Protection paused".to_owned(),
    };
    let until = if for_ms.is_some() {
        "until the pause ends"
    } else {
        "until you resume"
    };
    let body = format!(
        "Programs that stop are not restarted, and you are not notified about them, {until}. \
         Resume from the tray or with `lifeguard resume`."
    );
    (summary, body)
}

/// Whether a pause's reason is a shutdown's hold: the daemon's ("daemon shutdown
/// (SIGTERM)", from `daemon/run.rs`), the engine's own ("shutting down: restarts are
/// held", `Supervisor::shutdown`) or logind's ("the machine is shutting down: …").
pub fn is_shutdown_hold(reason: Option<&str>) -> bool {
    reason.is_some_and(|r| r.starts_with("daemon shutdown") || r.contains("shutting down"))
}

/// `text` with `&`, `<` and `>` escaped, for a notification body a server renders as
/// markup (the Desktop Notifications spec's `body-markup`): names and reasons come from
/// config files and programs, so they are text, never markup.
pub fn markup_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn round_min(ms: u64) -> u64 {
    (ms + 30_000) / 60_000 * 60_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        for (ms, text) in [
            (47, "47 ms"),
            (45_000, "45 s"),
            (7 * 60_000 + 5_000, "7 min 5 s"),
            (2 * 3_600_000 + 13 * 60_000, "2 h 13 min"),
            (3_600_000, "1 h"),
            (3 * 86_400_000 + 4 * 3_600_000, "3 days 4 h"),
        ] {
            assert_eq!(duration(ms), text);
        }
    }

    /// What a person reads after a kill: no "after 0 s", no "Restart 1 today".
    #[test]
    fn restart_wording_reads_naturally() {
        let kill = Some(Exit::Signal {
            signal: lifeguard_engine::Signal::KILL,
            core_dumped: false,
        });
        let (_, body) = restarted("Firefox", &cause(kill, Some(7_300_000)), 1);
        assert_eq!(
            body,
            "It was killed (SIGKILL) after 2 h 1 min. First restart today."
        );
        let (_, body) = restarted("Firefox", &cause(Some(Exit::Code(1)), Some(0)), 3);
        assert_eq!(
            body,
            "It exited with code 1 right after it started. Restarted 3 times today."
        );
        let id = ProgramId::new("fx").unwrap_or_else(|e| panic!("{e}"));
        let (_, body, _) = gave_up(
            "Firefox",
            &id,
            Some("5 deaths within 1m: gave up until retried"),
        );
        assert_eq!(
            body,
            "It kept dying (5 deaths within 1 min), so Lifeguard stopped restarting it."
        );
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            markup_escape("<b>x</b> & <a href=\"u\">y</a>"),
            "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=\"u\"&gt;y&lt;/a&gt;"
        );
        assert_eq!(markup_escape("plain"), "plain");
    }

    #[test]
    fn pause_length_is_rounded_to_minutes() {
        assert_eq!(
            paused(Some(15 * 60_000 - 40)).0,
            "Protection paused for 15 min"
        );
        assert_eq!(paused(None).0, "Protection paused");
    }
}
