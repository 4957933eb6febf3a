//! The daemon's memory after start-up. Start-up (clap, TOML, SQLite's schema check,
//! D-Bus, spawning every program) runs code that steady state never runs again; these
//! give some of what it left resident back. Linux (and glibc for the allocator) only;
//! no-ops elsewhere.
//!
//! Measured with `daemon-idle` (bench/README.md): one arena −0.2–0.3 MiB of RSS; the code
//! pages −1.5–2.3 MiB; `malloc_trim(0)` −0.1 MiB with 100 programs (the heap's free
//! pages that starting them left, given back to the system).

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

/// At the end of start-up: unmaps the pages of the binary's code. They stay in the page
/// cache (so this frees memory only once the kernel reclaims them, and it counts less
/// than the RSS drop suggests); what steady state runs maps back in on its first use, as
/// a minor fault of microseconds. Then gives the heap's free pages back.
pub fn release_startup_memory() {
    #[cfg(target_os = "linux")]
    if let Err(e) = drop_code_pages() {
        tracing::debug!(error = %e, "start-up code pages not released");
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap memory to the system; it takes the
    // allocator's own lock.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `madvise(MADV_DONTNEED)` on the executable mappings of our own binary. Only code
/// (`r-xp`): it is never written, so dropping its pages loses nothing (they are read
/// again from the file on the next use). Writable and RELRO mappings hold relocated data
/// and must stay.
#[cfg(target_os = "linux")]
fn drop_code_pages() -> std::io::Result<()> {
    let exe = std::fs::read_link("/proc/self/exe")?;
    let maps = std::fs::read_to_string("/proc/self/maps")?;
    for line in maps.lines() {
        // start-end perms offset dev inode path (the path may contain spaces)
        let mut f = line.splitn(6, ' ');
        let (Some(range), Some(perms)) = (f.next(), f.next()) else {
            continue;
        };
        let path = f.nth(3).map(str::trim_start).unwrap_or_default();
        if perms != "r-xp" || std::path::Path::new(path) != exe {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) else {
            continue;
        };
        // SAFETY: a private, read-only, executable file mapping of our binary: after
        // MADV_DONTNEED its pages are read again from the (unchanged, executing) file,
        // so the contents are the same.
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
