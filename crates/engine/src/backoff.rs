//! Restart spacing: immediate after a real run (at least `min_uptime`), doubling after quick deaths, capped, jittered.

use std::time::Duration;

use crate::BackoffSpec;

/// The backoff's memory: how many quick deaths (or failed starts) in a row.
#[derive(Debug, Clone)]
pub struct Backoff {
    streak: u32,
    rng: fastrand::Rng,
}

impl Backoff {
    /// A fresh backoff; `seed` feeds the jitter so tests are reproducible.
    pub fn new(seed: u64) -> Self {
        Self {
            streak: 0,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Quick deaths in a row so far (the `attempt` of the next start).
    pub fn streak(&self) -> u32 {
        self.streak
    }

    /// Forgets past deaths (manual start, retry).
    pub fn reset(&mut self) {
        self.streak = 0;
    }

    /// Records a death after `uptime` (`None`: the start failed) and returns the delay
    /// before the next start: zero after a real run (at least `min_uptime`), else `initial · 2^(streak-1)` capped
    /// at `max`, minus up to `jitter` of it.
    pub fn on_death(&mut self, spec: &BackoffSpec, uptime: Option<Duration>) -> Duration {
        if uptime.is_some_and(|up| up >= spec.min_uptime) {
            self.streak = 0;
            return Duration::ZERO;
        }
        self.streak = self.streak.saturating_add(1);
        let doublings = (self.streak - 1).min(32);
        let base = spec
            .initial
            .saturating_mul(1u32 << doublings.min(31))
            .min(spec.max);
        // Jitter only shortens, so the cap holds and successive delays still grow.
        base.mul_f64(1.0 - spec.jitter * self.rng.f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(jitter: f64) -> BackoffSpec {
        BackoffSpec {
            jitter,
            ..BackoffSpec::default()
        }
    }

    #[test]
    fn quick_deaths_double_up_to_the_cap() {
        let mut b = Backoff::new(1);
        let quick = Some(Duration::from_millis(5));
        let got: Vec<u128> = (0..10)
            .map(|_| b.on_death(&spec(0.0), quick).as_millis())
            .collect();
        assert_eq!(
            got,
            [250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
        );
        assert_eq!(b.streak(), 10);
    }

    #[test]
    fn real_run_restarts_at_once_and_resets() {
        let mut b = Backoff::new(1);
        b.on_death(&spec(0.0), None);
        b.on_death(&spec(0.0), None);
        assert_eq!(
            b.on_death(&spec(0.0), Some(Duration::from_secs(1))),
            Duration::ZERO
        );
        assert_eq!(b.streak(), 0);
        assert_eq!(b.on_death(&spec(0.0), None), Duration::from_millis(250));
    }

    #[test]
    fn jitter_shortens_within_bounds_and_still_grows() {
        let mut b = Backoff::new(7);
        let mut last = Duration::ZERO;
        for i in 0..7 {
            let d = b.on_death(&spec(0.1), None);
            let base = Duration::from_millis(250 * (1 << i));
            assert!(d <= base && d >= base.mul_f64(0.9), "{d:?} vs {base:?}");
            assert!(d > last);
            last = d;
        }
    }
}
