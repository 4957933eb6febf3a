//! Restart spacing: immediate after a real run (at least `min_uptime`) and for the first
//! quick death after one; doubling after further quick deaths, capped, jittered.

use std::time::Duration;

use crate::BackoffSpec;

/// The backoff's memory: how many quick deaths (or failed starts) in a row, and whether
/// that streak began right after a real run.
#[derive(Debug, Clone)]
pub struct Backoff {
    streak: u32,
    /// The streak follows a real run: its first quick death is most likely one more kill
    /// that landed soon after the restart (process roulette), not a crash loop, so it is
    /// answered at once. A program that never ran for real gets no such grace.
    after_real_run: bool,
    rng: fastrand::Rng,
}

impl Backoff {
    /// A fresh backoff; `seed` feeds the jitter so tests are reproducible.
    pub fn new(seed: u64) -> Self {
        Self {
            streak: 0,
            after_real_run: false,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Quick deaths in a row so far (the `attempt` of the next start).
    pub fn streak(&self) -> u32 {
        self.streak
    }

    /// Forgets past deaths and runs (manual start, retry): the next quick death backs off.
    pub fn reset(&mut self) {
        self.streak = 0;
        self.after_real_run = false;
    }

    /// Records a death after `uptime` (`None`: the start failed) and returns the delay
    /// before the next start: zero after a real run (at least `min_uptime`) and for the
    /// first quick death after one (not for a failed start); else `initial · 2^(n-1)` for the n-th quick death that
    /// waits, capped at `max`, minus up to `jitter` of it.
    pub fn on_death(&mut self, spec: &BackoffSpec, uptime: Option<Duration>) -> Duration {
        if uptime.is_some_and(|up| up >= spec.min_uptime) {
            self.streak = 0;
            self.after_real_run = true;
            return Duration::ZERO;
        }
        self.streak = self.streak.saturating_add(1);
        // A start that failed is no death after a run: it never gets the free restart
        // (which would also try the same failing start again within the same step).
        let free = u32::from(self.after_real_run && uptime.is_some());
        if self.streak <= free {
            return Duration::ZERO;
        }
        let doublings = (self.streak - 1 - free).min(32);
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
        let quick = Some(Duration::from_millis(5));
        let got: Vec<u128> = (0..4)
            .map(|_| b.on_death(&spec(0.0), quick).as_millis())
            .collect();
        assert_eq!(
            got,
            [0, 250, 500, 1000],
            "one quick death after a real run is free"
        );
        assert_eq!(b.streak(), 4);
    }

    #[test]
    fn no_free_restart_without_a_real_run_or_after_a_reset() {
        let mut b = Backoff::new(1);
        assert_eq!(b.on_death(&spec(0.0), None), Duration::from_millis(250));
        b.on_death(&spec(0.0), Some(Duration::from_secs(5)));
        b.reset();
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
