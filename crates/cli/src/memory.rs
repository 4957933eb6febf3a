//! The daemon's memory after start-up. Start-up (clap, TOML, SQLite's schema check,
//! D-Bus, the dynamic loader, libm's and libc's set-up) runs code and reads constants
//! that steady state never uses again, and the first start of every program leaves the
//! heap at its peak; these give some of that back. Linux (and glibc for the allocator)
//! only; no-ops elsewhere.
//!
//! Measured with `daemon-idle` (bench/README.md): one arena −0.2–0.3 MiB of RSS; the
//! binary's code pages −1.5–2.3 MiB; the libraries' code and every read-only constant
//! page too (2026-12-03) −0.9–1.2 MiB; `malloc_trim(0)` −0.1 MiB at the end of start-up
//! and −0.1 MiB more once the first starts are over, with 100 programs.

/// Before any thread starts: one malloc arena for the whole process. glibc gives each
/// thread that allocates an arena of its own; the daemon's few threads (runtime, history
/// writer, config watcher, short-lived blocking threads) allocate little and rarely at
/// the same time, so per-thread arenas mostly hold free space.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; no thread allocates concurrently
    // yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// At the end of start-up: unmaps the pages of the read-only file mappings (the binary's
/// and the libraries' code and constants). They stay in the page cache (so this frees memory only once the kernel reclaims them, and it counts less
/// than the RSS drop suggests); what steady state runs maps back in on its first use, as
/// a minor fault of microseconds. Then gives the heap's free pages back.
pub fn release_startup_memory() {
    #[cfg(target_os = "linux")]
    if let Err(e) = drop_code_pages() {
        tracing::debug!(error = %e, "start-up code pages not released");
    }
    trim_heap();
}

/// Gives the heap's free pages back to the system: at the end of start-up, and again once
/// the first start of every program (a burst of spawns, events and history rows, whose
/// peak the heap keeps) is over.
pub fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap memory to the system; it takes the
    // allocator's own lock.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `madvise(MADV_DONTNEED)` on the read-only file mappings of the process: the code and
/// constants of the binary and of the shared libraries (`r-xp`, `r--p`), whose pages are
/// never written, so dropping them loses nothing (they are read again from the file on
/// the next use). A mapping holding any anonymous page is kept: that is relocated data
/// (RELRO), written at load time and only then made read-only, which the file does not
/// hold. Writable and shared mappings are never touched.
#[cfg(target_os = "linux")]
fn drop_code_pages() -> std::io::Result<()> {
    let smaps = std::fs::read_to_string("/proc/self/smaps")?;
    for (start, end) in droppable(&smaps) {
        // SAFETY: a private, read-only file mapping without an anonymous page: after
        // MADV_DONTNEED its pages are read again from the (unchanged, mapped) file, so
        // the contents are the same.
        let rc = unsafe {
            libc::madvise(
                start as *mut libc::c_void,
                end.saturating_sub(start),
                libc::MADV_DONTNEED,
            )
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The address ranges of `smaps` that [`drop_code_pages`] may drop.
#[cfg(target_os = "linux")]
fn droppable(smaps: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // The mapping being read, if it is a candidate, until its `Anonymous:` line says.
    let mut candidate = None;
    for line in smaps.lines() {
        if let Some(kib) = line.strip_prefix("Anonymous:") {
            if let Some(range) = candidate.take() {
                if kib.trim() == "0 kB" {
                    out.push(range);
                }
            }
            continue;
        }
        // A mapping's header: start-end perms offset dev inode path (spaces allowed).
        let mut f = line.splitn(6, ' ');
        let (Some(range), Some(perms)) = (f.next(), f.next()) else {
            continue;
        };
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) else {
            continue;
        };
        let path = f.nth(3).map(str::trim_start).unwrap_or_default();
        let file_backed = path.starts_with('/') && !path.ends_with(" (deleted)");
        candidate = (file_backed && matches!(perms, "r-xp" | "r--p")).then_some((start, end));
    }
    out
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::droppable;

    const SMAPS: &str = "\
55d0a0000000-55d0a0100000 r--p 00000000 fe:01 42 /usr/bin/lifeguard
Rss:                 400 kB
Anonymous:             0 kB
55d0a0100000-55d0a0500000 r-xp 00100000 fe:01 42 /usr/bin/lifeguard
Anonymous:             0 kB
55d0a0500000-55d0a0520000 r--p 00500000 fe:01 42 /usr/bin/lifeguard
Anonymous:           128 kB
55d0a0520000-55d0a0530000 rw-p 00520000 fe:01 42 /usr/bin/lifeguard
Anonymous:            24 kB
7f0000000000-7f0000001000 rw-s 00000000 fe:01 43 /home/a b/history.sqlite3-shm
Anonymous:             0 kB
7f0000100000-7f0000200000 r-xp 00000000 00:00 0 
Anonymous:             0 kB
7f0000300000-7f0000400000 r-xp 00000000 fe:01 44 /usr/lib/libc.so.6
Anonymous:             0 kB
7f0000500000-7f0000600000 r-xp 00000000 fe:01 45 /tmp/old (deleted)
Anonymous:             0 kB
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]
Anonymous:             0 kB
";

    #[test]
    fn only_read_only_file_mappings_without_anonymous_pages_are_dropped() {
        assert_eq!(
            droppable(SMAPS),
            vec![
                (0x55d0a0000000, 0x55d0a0100000),
                (0x55d0a0100000, 0x55d0a0500000),
                (0x7f0000300000, 0x7f0000400000),
            ]
        );
    }
}
