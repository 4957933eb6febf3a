//! How often a program died in the last hour, in per-minute buckets so the memory stays
//! fixed however often it is killed (a program killed every second is 3,600 deaths).

use std::time::{Duration, Instant};

const BUCKETS: usize = 60;
const MINUTE: Duration = Duration::from_secs(60);

/// Deaths per minute over the last hour.
#[derive(Debug, Clone)]
pub struct DeathTally {
    /// The instant minute 0 starts at (the first death).
    base: Option<Instant>,
    /// Deaths per minute, indexed by minute number modulo [`BUCKETS`].
    counts: [u32; BUCKETS],
    /// The minute number of the newest bucket written.
    newest: u64,
}

impl Default for DeathTally {
    fn default() -> Self {
        Self {
            base: None,
            counts: [0; BUCKETS],
            newest: 0,
        }
    }
}

impl DeathTally {
    /// Counts a death at `now`.
    pub fn record(&mut self, now: Instant) {
        let base = *self.base.get_or_insert(now);
        let minute = minute_of(base, now);
        self.advance(minute);
        let slot = &mut self.counts[slot(minute)];
        *slot = slot.saturating_add(1);
    }

    /// Deaths within the last 60 minutes before `now` (to the minute).
    pub fn last_hour(&self, now: Instant) -> u32 {
        let Some(base) = self.base else {
            return 0;
        };
        let minute = minute_of(base, now);
        let oldest = minute.saturating_sub(BUCKETS as u64 - 1);
        (oldest..=self.newest.min(minute))
            .filter(|m| *m + (BUCKETS as u64) > self.newest)
            .map(|m| self.counts[slot(m)])
            .fold(0u32, u32::saturating_add)
    }

    /// Clears the buckets between the newest written and `minute`.
    fn advance(&mut self, minute: u64) {
        if minute <= self.newest {
            return;
        }
        let gap = (minute - self.newest).min(BUCKETS as u64);
        for m in (minute + 1 - gap)..=minute {
            self.counts[slot(m)] = 0;
        }
        self.newest = minute;
    }
}

fn minute_of(base: Instant, now: Instant) -> u64 {
    now.saturating_duration_since(base).as_secs() / MINUTE.as_secs()
}

fn slot(minute: u64) -> usize {
    (minute % BUCKETS as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_last_hour_only() {
        let t0 = Instant::now();
        let mut t = DeathTally::default();
        assert_eq!(t.last_hour(t0), 0);
        for i in 0..40u64 {
            t.record(t0 + Duration::from_secs(30 * i)); // 40 deaths over 20 minutes
        }
        assert_eq!(t.last_hour(t0 + Duration::from_secs(20 * 60)), 40);
        // 70 minutes in, minutes 0–10 (22 deaths) fell out of the hour.
        assert_eq!(t.last_hour(t0 + Duration::from_secs(70 * 60)), 18);
        assert_eq!(t.last_hour(t0 + Duration::from_secs(200 * 60)), 0);
        t.record(t0 + Duration::from_secs(200 * 60));
        assert_eq!(t.last_hour(t0 + Duration::from_secs(200 * 60)), 1);
    }

    #[test]
    fn memory_is_fixed_however_often() {
        let t0 = Instant::now();
        let mut t = DeathTally::default();
        for i in 0..7200u64 {
            t.record(t0 + Duration::from_millis(500 * i)); // every half second for an hour
        }
        assert_eq!(t.last_hour(t0 + Duration::from_secs(3599)), 7200);
        assert!(std::mem::size_of::<DeathTally>() <= 300);
    }
}
