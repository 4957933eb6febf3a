//! The telemetry file rotates by size and keeps a bounded number of old files.
#![allow(clippy::unwrap_used)]

use lifeguard_service::history::{kind, HistoryRecord};
use lifeguard_service::telemetry::{TelemetryLine, TelemetryWriter};

#[test]
fn rotates_at_the_size_limit_and_keeps_only_the_newest_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("telemetry.jsonl");
    let mut writer = TelemetryWriter::new(&path, 1000, 2);
    let mut total = 0;
    for i in 0..100_u32 {
        let rec = HistoryRecord {
            attempt: Some(i),
            ..HistoryRecord::new(0, "app", "App", kind::STARTED)
        };
        writer.append(&TelemetryLine::from(&rec)).unwrap();
        total += 1;
    }
    assert!(total > 0);
    for p in [&path, &writer.rotated(1), &writer.rotated(2)] {
        let len = std::fs::metadata(p).unwrap().len();
        assert!(len > 0 && len <= 1000, "{} is {len} bytes", p.display());
    }
    assert!(!writer.rotated(3).exists());
    // The newest line is the last one of the current file, and no line is split.
    let current = std::fs::read_to_string(&path).unwrap();
    let last: TelemetryLine = serde_json::from_str(current.lines().last().unwrap()).unwrap();
    assert_eq!(last.attempt, Some(99));
    let old = std::fs::read_to_string(writer.rotated(1)).unwrap();
    let first_old: TelemetryLine = serde_json::from_str(old.lines().next().unwrap()).unwrap();
    assert!(first_old.attempt.unwrap() < 99);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
