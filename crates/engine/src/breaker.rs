//! The crash-loop breaker: a tally of recent deaths and the give-up rule.

use std::collections::VecDeque;
use std::time::Instant;

use crate::BreakerSpec;

/// Death times within the breaker's window.
#[derive(Debug, Clone, Default)]
pub struct Breaker {
    deaths: VecDeque<Instant>,
}

impl Breaker {
    /// Records a death (or failed start) at `now`; true when the breaker trips, i.e.
    /// `max_deaths` deaths fell within `window`. A disabled breaker never trips.
    pub fn record(&mut self, spec: &BreakerSpec, now: Instant) -> bool {
        if !spec.enabled {
            return false;
        }
        self.deaths.push_back(now);
        while self
            .deaths
            .front()
            .is_some_and(|t| now.duration_since(*t) >= spec.window)
        {
            self.deaths.pop_front();
        }
        self.deaths.len() >= spec.max_deaths as usize
    }

    /// Deaths currently in the window.
    pub fn count(&self) -> u32 {
        u32::try_from(self.deaths.len()).unwrap_or(u32::MAX)
    }

    /// Moves every recorded death `d` later: time the machine slept is not window time.
    pub fn shift(&mut self, d: std::time::Duration) {
        for t in &mut self.deaths {
            *t = crate::clock::later(*t, d);
        }
    }

    /// Forgets every death (retry).
    pub fn reset(&mut self) {
        self.deaths.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn trips_on_the_nth_death_within_the_window() {
        let spec = BreakerSpec::default();
        let t0 = Instant::now();
        let mut b = Breaker::default();
        let s = Duration::from_secs(1);
        assert!(!b.record(&spec, t0));
        assert!(!b.record(&spec, t0 + s));
        assert!(!b.record(&spec, t0 + 2 * s));
        assert!(!b.record(&spec, t0 + 3 * s));
        assert!(b.record(&spec, t0 + 4 * s));
    }

    #[test]
    fn deaths_older_than_the_window_are_forgotten() {
        let spec = BreakerSpec::default();
        let t0 = Instant::now();
        let mut b = Breaker::default();
        for i in 0..20u32 {
            assert!(
                !b.record(&spec, t0 + Duration::from_secs(31) * i),
                "death {i}"
            );
        }
        assert_eq!(b.count(), 4);
    }

    #[test]
    fn disabled_never_trips() {
        let spec = BreakerSpec {
            enabled: false,
            ..BreakerSpec::default()
        };
        let mut b = Breaker::default();
        let t0 = Instant::now();
        assert!((0..100).all(|_| !b.record(&spec, t0)));
    }
}
