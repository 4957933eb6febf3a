//! Sizes as the config writes them (`"500MB"`, `"2GB"`, `"512MiB"`: K/M/G/T are powers of
//! 1000, Ki/Mi/Gi/Ti of 1024; a bare number is bytes) and as people read them ("812 MB").

/// Parses a size; the error says what is accepted.
pub fn parse(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size: write e.g. \"500MB\" or \"2GB\""))?;
    let unit = unit.trim().to_ascii_lowercase();
    let scale: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "t" | "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "{text:?} has an unknown unit {unit:?}: use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
            ))
        }
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// The config's spelling of a size: the largest unit that writes it exactly.
pub fn format(bytes: u64) -> String {
    const UNITS: [(u64, &str); 8] = [
        (1 << 40, "TiB"),
        (1_000_000_000_000, "TB"),
        (1 << 30, "GiB"),
        (1_000_000_000, "GB"),
        (1 << 20, "MiB"),
        (1_000_000, "MB"),
        (1 << 10, "KiB"),
        (1_000, "KB"),
    ];
    UNITS
        .iter()
        .find(|(scale, _)| bytes != 0 && bytes.is_multiple_of(*scale))
        .map_or_else(|| format!("{bytes}B"), |(s, u)| format!("{}{u}", bytes / s))
}

/// A size for people, in decimal megabytes from 1 MB up ("812 MB", "1.5 GB").
pub fn words(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{bytes} B"),
        1_000_000..10_000_000_000 => format!("{} MB", bytes / 1_000_000),
        _ => format!("{:.1} GB", bytes as f64 / 1e9),
    }
}

pub(crate) fn serialize<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(*v))
}

pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_trip_and_read_for_people() {
        for (text, n) in [
            ("500MB", 500_000_000),
            ("2GB", 2_000_000_000),
            ("512MiB", 512 << 20),
            ("64 kb", 64_000),
            ("1234", 1234),
        ] {
            assert_eq!(parse(text), Ok(n), "{text}");
            assert_eq!(parse(&format(n)), Ok(n), "{text}");
        }
        assert!(parse("5 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse("MB").is_err());
        assert!(parse("99999999999999TB").unwrap_err().contains("too large"));
        assert_eq!(words(812_345_678), "812 MB");
        assert_eq!(words(500_000_000), "500 MB");
        assert_eq!(words(12_500_000_000), "12.5 GB");
    }
}
