//! Time helpers: the engine runs on tokio's clock (so tests can pause it) and reports wall
//! time (ms since the Unix epoch) in events and snapshots.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Now on tokio's clock, as a std `Instant` for the pure machine.
pub(crate) fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Wall-clock now, ms since the epoch.
pub(crate) fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The wall-clock time (ms since the epoch) of an instant on tokio's clock.
pub(crate) fn to_wall_ms(t: Instant) -> u64 {
    let now = now();
    let wall = wall_ms();
    if t >= now {
        wall.saturating_add(ms(t - now))
    } else {
        wall.saturating_sub(ms(now - t))
    }
}

/// The instant on tokio's clock of a wall-clock time.
pub(crate) fn from_wall(t: SystemTime) -> Instant {
    let now = now();
    match t.duration_since(SystemTime::now()) {
        // Past what an Instant holds: as good as never (a century on).
        Ok(ahead) => now
            .checked_add(ahead)
            .or_else(|| now.checked_add(std::time::Duration::from_secs(100 * 365 * 86_400)))
            .unwrap_or(now),
        Err(behind) => now.checked_sub(behind.duration()).unwrap_or(now),
    }
}

/// A duration in whole milliseconds.
pub(crate) fn ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
