//! Availability from outside: a thread connects to every program's Unix socket every
//! ~20 ms. A connection that succeeds (or finds the backlog full: a listener exists) means
//! the program is up. Connects are non-blocking, so a probe never waits on a program.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Per-program probe counts.
#[derive(Debug, Clone, Default)]
pub struct Availability {
    /// Probes that found the program up.
    pub up: Vec<u64>,
    /// Probes made.
    pub total: Vec<u64>,
    /// Longest run of consecutive failed probes, as time (first failure to next success).
    pub longest_outage: Vec<Duration>,
    /// Every outage of every program (first failed probe to the next success), to see
    /// which kind of outage the downtime is made of.
    pub outages: Vec<Duration>,
}

/// Probes `sockets` every `every` until `stop` is set; returns the counts.
pub fn spawn(
    sockets: Vec<PathBuf>,
    every: Duration,
    stop: Arc<AtomicBool>,
) -> JoinHandle<Availability> {
    std::thread::spawn(move || {
        let n = sockets.len();
        let mut a = Availability {
            up: vec![0; n],
            total: vec![0; n],
            longest_outage: vec![Duration::ZERO; n],
            outages: Vec::new(),
        };
        let mut down_since: Vec<Option<Instant>> = vec![None; n];
        let mut next = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            for (i, path) in sockets.iter().enumerate() {
                let now = Instant::now();
                a.total[i] += 1;
                if up(path) {
                    a.up[i] += 1;
                    if let Some(since) = down_since[i].take() {
                        a.longest_outage[i] = a.longest_outage[i].max(now - since);
                        a.outages.push(now - since);
                    }
                } else if down_since[i].is_none() {
                    down_since[i] = Some(now);
                }
            }
            next += every;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            } else {
                next = now;
            }
        }
        let end = Instant::now();
        for (i, since) in down_since.iter().enumerate() {
            if let Some(since) = since {
                a.longest_outage[i] = a.longest_outage[i].max(end - *since);
                a.outages.push(end - *since);
            }
        }
        a
    })
}

/// One non-blocking connect to a Unix socket.
pub fn up(path: &Path) -> bool {
    let bytes = path.as_os_str().as_bytes();
    // SAFETY: a zeroed sockaddr_un is valid; we copy at most sun_path.len() - 1 bytes.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    if bytes.len() >= addr.sun_path.len() {
        return false;
    }
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (dst, src) in addr.sun_path.iter_mut().zip(bytes) {
        *dst = *src as libc::c_char;
    }
    // SAFETY: plain socket/connect/close calls on a descriptor we own.
    unsafe {
        let fd = libc::socket(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        );
        if fd < 0 {
            return false;
        }
        let rc = libc::connect(
            fd,
            (&addr as *const libc::sockaddr_un).cast(),
            std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t,
        );
        let err = std::io::Error::last_os_error().raw_os_error();
        libc::close(fd);
        rc == 0 || err == Some(libc::EAGAIN)
    }
}
