//! Finding the copies of a test program on the whole machine by the unique `--tag` in
//! their command line: what "no duplicates" means, counted from outside.

use std::time::Duration;

/// The live (non-zombie) processes whose argv holds `--tag TAG`.
pub fn tagged(tag: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                return false;
            };
            let argv: Vec<&[u8]> = raw.split(|b| *b == 0).collect();
            argv.windows(2)
                .any(|w| w[0] == b"--tag" && w[1] == tag.as_bytes())
        })
        .filter(|pid| super::alive(*pid))
        .collect()
}

/// Stays `n` for a while (a duplicate could be on its way): the count seen at the end.
pub fn count_settles(tag: &str, n: usize) -> usize {
    super::wait_for(&format!("{n} processes tagged {tag}"), || {
        tagged(tag).len() == n
    });
    std::thread::sleep(Duration::from_millis(1500));
    tagged(tag).len()
}

/// SIGKILLs every process tagged `tag` (clean-up: they may outlive a failed test).
pub fn kill_tagged(tag: &str) {
    for pid in tagged(tag) {
        super::kill(pid, libc::SIGKILL);
    }
}

/// A tag unique to this test run.
pub fn unique(name: &str) -> String {
    format!("{name}-{}-{}", std::process::id(), fastrand_like())
}

fn fastrand_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}
