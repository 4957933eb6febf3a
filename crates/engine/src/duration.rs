//! Durations written for people: `"250ms"`, `"10s"`, `"2m"`, `"1h30m"`.
//!
//! Used with `#[serde(with = "crate::duration")]` on the spec's `Duration` fields.

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
}
