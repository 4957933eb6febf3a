//! The range of every duration and count in a [`ProgramSpec`]: a value a person could
//! only type by mistake (`"200000000000000d"`) is refused with the field, the limit and
//! the fix, before it can reach a timer. The limits are public so the CLI, the daemon and
//! the window (`ui/src/validate.ts` mirrors them) refuse the same values.

use std::time::Duration;

use crate::{ProgramSpec, SpecError};

const SEC: u64 = 1;
const MIN: u64 = 60 * SEC;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

/// The longest restart delay (`backoff.initial`, `backoff.max`): a day.
pub const MAX_BACKOFF: Duration = Duration::from_secs(DAY);
/// The longest `breaker.window`: a week.
pub const MAX_WINDOW: Duration = Duration::from_secs(7 * DAY);
/// The most deaths a breaker may count (`breaker.max_deaths`).
pub const MAX_DEATHS: u32 = 10_000;
/// The longest health `interval` and `start_grace`: a day.
pub const MAX_HEALTH_PERIOD: Duration = Duration::from_secs(DAY);
/// The longest health-check `timeout`: an hour.
pub const MAX_HEALTH_TIMEOUT: Duration = Duration::from_secs(HOUR);
/// The most failures in a row a health check may wait for (`health.failures`).
pub const MAX_HEALTH_FAILURES: u32 = 1_000;
/// The longest pause (`pause --for`, `until`): a year.
pub const MAX_PAUSE: Duration = Duration::from_secs(366 * DAY);

/// Checks that `value` of `field` is at most `max`.
pub fn at_most(field: &str, value: Duration, max: Duration) -> Result<(), SpecError> {
    if value <= max {
        return Ok(());
    }
    Err(SpecError::new(
        field,
        format!(
            "{} is longer than the limit of {}",
            crate::duration::format(value),
            crate::duration::format(max)
        ),
        format!(
            "use at most \"{}\" (a longer value is almost always a typo)",
            crate::duration::format(max)
        ),
    ))
}

fn count_at_most(field: &str, value: u32, max: u32) -> Result<(), SpecError> {
    if value <= max {
        return Ok(());
    }
    Err(SpecError::new(
        field,
        format!("{value} is more than the limit of {max}"),
        format!("use at most {max}"),
    ))
}

impl ProgramSpec {
    /// Every duration and count within its range.
    pub(crate) fn validate_ranges(&self) -> Result<(), SpecError> {
        let (b, br) = (&self.backoff, &self.breaker);
        at_most("backoff.initial", b.initial, MAX_BACKOFF)?;
        at_most("backoff.max", b.max, MAX_BACKOFF)?;
        at_most("breaker.window", br.window, MAX_WINDOW)?;
        count_at_most("breaker.max_deaths", br.max_deaths, MAX_DEATHS)?;
        if let Some(h) = &self.health {
            at_most("health.interval", h.interval, MAX_HEALTH_PERIOD)?;
            at_most("health.start_grace", h.start_grace, MAX_HEALTH_PERIOD)?;
            at_most("health.timeout", h.timeout, MAX_HEALTH_TIMEOUT)?;
            count_at_most("health.failures", h.failures, MAX_HEALTH_FAILURES)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ProgramSpec {
        ProgramSpec::build("x", ["true"]).unwrap()
    }

    #[test]
    fn each_out_of_range_field_is_named_with_its_limit() {
        let huge = crate::duration::parse("200000000000000d").unwrap();
        let mut cases: Vec<(ProgramSpec, &str)> = Vec::new();
        let mut s = spec();
        s.backoff.initial = huge;
        s.backoff.max = huge;
        cases.push((s, "backoff.initial"));
        let mut s = spec();
        s.backoff.max = huge;
        cases.push((s, "backoff.max"));
        let mut s = spec();
        s.breaker.window = huge;
        cases.push((s, "breaker.window"));
        let mut s = spec();
        s.breaker.max_deaths = u32::MAX;
        cases.push((s, "breaker.max_deaths"));
        for (s, field) in cases {
            let e = s.validate().unwrap_err();
            assert_eq!(e.field, field);
            assert!(e.fix.contains("at most"), "{e}");
        }
        let mut s = spec();
        s.backoff.initial = MAX_BACKOFF;
        s.backoff.max = MAX_BACKOFF;
        s.validate().unwrap();
    }
}
