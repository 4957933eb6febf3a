//! Durations in two spellings: the config's (`"250ms"`, `"10s"`, `"1h30m"`, parsed and
//! written back exactly; used with `#[serde(with = "crate::duration")]` on the spec's
//! `Duration` fields), and words for people to read ([`words`]: `"47 ms"`, `"3 s"`,
//! `"2 h 13 min"`) in history details, notifications, the CLI and the window.

use serde::{Deserialize, Deserializer, Serializer};
use std::time::Duration;

const UNITS: &[(&str, u128)] = &[
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
];

/// Parses `"250ms"`, `"10s"`, `"2m"`, `"1h30m"`, `"0s"`; every number needs a unit
/// (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`).
pub fn parse(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!("{text:?} is not a duration; write e.g. \"250ms\", \"10s\", \"2m\" or \"1h30m\"")
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut nanos: u128 = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let value: u128 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let (unit, scale) = UNITS
            .iter()
            .find(|(u, _)| rest.starts_with(u))
            .ok_or_else(bad)?;
        nanos = nanos
            .checked_add(value.checked_mul(*scale).ok_or_else(bad)?)
            .ok_or_else(bad)?;
        rest = &rest[unit.len()..];
    }
    let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| bad())?;
    Ok(Duration::new(secs, (nanos % 1_000_000_000) as u32))
}

/// Formats with the largest units that divide it exactly: `250ms`, `10s`, `2m`, `1h30m`.
pub fn format(d: Duration) -> String {
    let mut nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        let scale = scale * 1_000_000_000u128;
        if nanos >= scale && (nanos.is_multiple_of(1_000_000_000) || scale == 1_000_000_000) {
            out += &format!("{}{unit}", nanos / scale);
            nanos %= scale;
        }
    }
    for (unit, scale) in [("ms", 1_000_000u128), ("us", 1_000), ("ns", 1)] {
        if nanos >= scale {
            out += &format!("{}{unit}", nanos / scale);
            nanos %= scale;
        }
    }
    out
}

/// A duration in words, for people: `"47 ms"`, `"3 s"`, `"5 min 30 s"`, `"2 h 13 min"`,
/// `"3 days 4 h"`. Rounded to the nearest millisecond, then at most the two largest
/// units, the smaller one dropped when zero and never rounded up (59.9 s is `"59 s"`).
/// The window's `formatDuration` in `ui/src/format.ts` follows the same rules.
pub fn words(d: Duration) -> String {
    let ms = (d.as_nanos() + 500_000) / 1_000_000;
    words_ms(u64::try_from(ms).unwrap_or(u64::MAX))
}

/// [`words`] for a count of milliseconds (as events and history rows carry them).
pub fn words_ms(ms: u64) -> String {
    const S: u64 = 1000;
    const MIN: u64 = 60 * S;
    const H: u64 = 60 * MIN;
    const DAY: u64 = 24 * H;
    let two = |big: u64, big_unit: &str, small: u64, small_unit: &str| match small {
        0 => format!("{big} {big_unit}"),
        n => format!("{big} {big_unit} {n} {small_unit}"),
    };
    match ms {
        0..S => format!("{ms} ms"),
        S..MIN => format!("{} s", ms / S),
        MIN..H => two(ms / MIN, "min", ms % MIN / S, "s"),
        H..DAY => two(ms / H, "h", ms % H / MIN, "min"),
        _ => {
            let days = ms / DAY;
            let unit = if days == 1 { "day" } else { "days" };
            two(days, unit, ms % DAY / H, "h")
        }
    }
}

/// Serde `serialize_with` half.
pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(*d))
}

/// Serde `deserialize_with` half.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let cases = [
            ("250ms", Duration::from_millis(250)),
            ("10s", Duration::from_secs(10)),
            ("2m", Duration::from_secs(120)),
            ("1h30m", Duration::from_secs(5400)),
            ("1s500ms", Duration::from_millis(1500)),
            ("0s", Duration::ZERO),
        ];
        for (text, d) in cases {
            assert_eq!(parse(text).unwrap(), d, "{text}");
            assert_eq!(format(d), text);
        }
        for bad in ["", "10", "ten s", "5 parsecs", "-1s"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    /// The same table as `formatDuration` in ui/src/format.test.ts: keep them in step.
    #[test]
    fn words_read_as_a_person_would_say_them() {
        let cases = [
            (Duration::ZERO, "0 ms"),
            (Duration::from_nanos(46_826_349), "47 ms"),
            (Duration::from_micros(999_400), "999 ms"),
            (Duration::from_micros(999_600), "1 s"),
            (Duration::from_millis(3_000), "3 s"),
            (Duration::from_millis(59_999), "59 s"),
            (Duration::from_secs(60), "1 min"),
            (Duration::from_secs(5 * 60 + 30), "5 min 30 s"),
            (Duration::from_secs(3600), "1 h"),
            (Duration::from_secs(2 * 3600 + 13 * 60 + 59), "2 h 13 min"),
            (Duration::from_secs(86_400), "1 day"),
            (Duration::from_secs(3 * 86_400 + 4 * 3600), "3 days 4 h"),
        ];
        for (d, text) in cases {
            assert_eq!(words(d), text, "{d:?}");
        }
        assert_eq!(words(Duration::MAX), words_ms(u64::MAX));
    }
}
