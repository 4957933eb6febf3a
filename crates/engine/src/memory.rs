//! Measuring a program's memory: one task per running instance, only for programs with a
//! memory limit (no timer otherwise). Every `interval` it adds up the resident memory of
//! the processes stopped with the program (`tree::members`); after `checks` readings in a
//! row above the limit it reports once. Under a restart action the task then ends (the
//! instance is being replaced); under notify it reports again only after a reading under
//! the limit and a new run of readings over it.

use tokio::sync::mpsc;

use crate::{Instance, MemoryAction, MemoryLimit};

/// A report: the instance's pid, the words for the cause, and what to do.
pub(crate) type Over = (u32, String, MemoryAction);

/// Spawns the measuring task for `instance`; abort the handle when the instance ends.
pub(crate) fn spawn(
    limit: MemoryLimit,
    instance: Instance,
    report: mpsc::UnboundedSender<Over>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let pid = instance.main.pid;
        let mut over = 0;
        loop {
            tokio::time::sleep(limit.interval).await;
            let inst = instance.clone();
            let Ok(used) = tokio::task::spawn_blocking(move || tree_rss(&inst)).await else {
                continue;
            };
            if used <= limit.max {
                over = 0;
                continue;
            }
            over += 1;
            if over == limit.checks {
                let _ = report.send((pid, cause(used, &limit), limit.action));
                if limit.action == MemoryAction::Restart {
                    return;
                }
            }
        }
    })
}

/// "using 812 MB, over its 500 MB limit (3 checks in a row)".
pub(crate) fn cause(used: u64, limit: &MemoryLimit) -> String {
    let words = crate::bytes::words;
    let checks = match limit.checks {
        1 => "at a check".to_owned(),
        n => format!("{n} checks in a row"),
    };
    let cause = format!(
        "using {}, over its {} limit ({checks})",
        words(used),
        words(limit.max)
    );
    match limit.action {
        MemoryAction::Restart => cause,
        MemoryAction::Notify => format!("{cause}; {}", crate::LEFT_RUNNING),
    }
}

/// The resident memory of every live process of the instance's tree, in bytes (the same
/// reading as [`Instance::usage`], which the daemon's `usage` method reports).
pub(crate) fn tree_rss(instance: &Instance) -> u64 {
    instance.usage().rss_bytes
}

/// One process's resident memory: field 2 of `/proc/PID/statm`, in pages.
pub(crate) fn rss(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = text.split_whitespace().nth(1)?.parse().ok()?;
    let page = rustix::param::page_size();
    Some(pages.saturating_mul(u64::try_from(page).unwrap_or(4096)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_says_how_much_and_the_limit() {
        let limit = MemoryLimit::new(500_000_000);
        assert_eq!(
            cause(812_000_000, &limit),
            "using 812 MB, over its 500 MB limit (3 checks in a row)"
        );
    }

    #[test]
    fn this_process_uses_some_memory() {
        assert!(rss(std::process::id()).is_some_and(|b| b > 100_000));
    }
}
