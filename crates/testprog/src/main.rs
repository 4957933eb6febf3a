//! `lg-testprog`: a scriptable program used by Lifeguard's process tests and benchmarks.
//! Run `lg-testprog --help` for the script it understands.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

const HELP: &str = "\
lg-testprog: a scriptable program for Lifeguard's process tests.

Steps run in this order; every option is optional:
  --stamp FILE         first thing in main: write CLOCK_MONOTONIC now, in ns, to FILE
  --pid-file FILE      write the pid to FILE (helpers' pids follow, one per line)
  --ignore-term        ignore SIGTERM (helpers inherit this)
  --crash-first K      with --counter FILE: count starts in FILE; crash on the first K
  --counter FILE       the start counter for --crash-first
  --crash-signal SIG   crash by raising SIG instead of exiting with code 1
  --launcher           fork, setsid, fork: the started process exits 0 at once and the
                       grandchild (in a new session) carries on, like a desktop launcher
  --heir-crash-on N    with --launcher and --counter: on the Nth start, the launched
                       grandchild exits 1 at once and the launcher's last stage exits 0
                       after it (a launcher whose program died before it was found)
  --helpers N          fork N helper children that sleep until killed
  --print TEXT         write TEXT and a newline to stdout (repeatable, in order)
  --eprint TEXT        write TEXT and a newline to stderr (repeatable; both kinds are
                       written in the order given, each flushed at once)
  --listen-tcp ADDR    listen on a TCP address (e.g. 127.0.0.1:7001), accepting and closing
  --listen-unix PATH   listen on a Unix socket, accepting and closing
  --serve-http ADDR    answer HTTP GETs on ADDR: 200, or 500 while --fail-file exists
  --fail-file FILE     the file whose existence makes --serve-http answer 500
  --grow-mb N/s        allocate (and touch) N MB a second, in a thread, up to --grow-to
  --grow-to MB         where --grow-mb stops (default 2000 MB)
  --spin               keep one core busy, in a thread, until killed (CPU time grows)
  --sleep DUR          sleep DUR (\"500ms\", \"2s\", or a number of ms)
  --exit N             then exit with code N
  --signal SIG         then die by SIG (name like SIGKILL/KILL, or a number)
  --tag TEXT           does nothing: a mark in the command line so tests can find copies
Without --sleep, --exit or --signal it sleeps until killed. After --sleep alone it exits 0.
";

#[derive(Default)]
struct Script {
    pid_file: Option<PathBuf>,
    ignore_term: bool,
    crash_first: Option<u64>,
    counter: Option<PathBuf>,
    crash_signal: Option<i32>,
    launcher: bool,
    heir_crash_on: Option<u64>,
    helpers: u32,
    /// Lines to write, in order: `(to stderr, text)`.
    prints: Vec<(bool, String)>,
    listen_tcp: Option<String>,
    listen_unix: Option<PathBuf>,
    serve_http: Option<String>,
    fail_file: Option<PathBuf>,
    grow_mb: Option<u64>,
    grow_to: Option<u64>,
    spin: bool,
    sleep: Option<Duration>,
    exit: Option<i32>,
    signal: Option<i32>,
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // The stamp comes before parsing anything else: benchmarks measure up to this point.
    if let Some(i) = args.iter().position(|a| a == "--stamp") {
        if let Some(file) = args.get(i + 1) {
            write(&PathBuf::from(file), &format!("{}\n", monotonic_ns()));
        }
    }
    let script = parse(args).unwrap_or_else(|e| fail(&e));
    run(script);
}

fn run(s: Script) {
    if s.ignore_term {
        // SAFETY: installing SIG_IGN has no handler code to be unsafe in.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    }
    if let (Some(k), Some(counter)) = (s.crash_first, &s.counter) {
        if count_start(counter) <= k {
            match s.crash_signal {
                Some(sig) => die_by(sig),
                None => std::process::exit(1),
            }
        }
    }
    if s.launcher {
        let crash = match (s.heir_crash_on, &s.counter) {
            (Some(n), Some(counter)) => count_start(counter) == n,
            _ => false,
        };
        launch_away(crash);
        if crash {
            std::process::exit(1);
        }
    }
    let mut pids = vec![std::process::id().to_string()];
    for _ in 0..s.helpers {
        // SAFETY: single-threaded here; the child only calls async-signal-safe pause().
        match unsafe { libc::fork() } {
            0 => loop {
                // SAFETY: pause() just waits for a signal.
                unsafe { libc::pause() };
            },
            -1 => fail("fork failed"),
            pid => pids.push(pid.to_string()),
        }
    }
    if let Some(file) = &s.pid_file {
        write(file, &(pids.join("\n") + "\n"));
    }
    for (to_stderr, text) in &s.prints {
        print_line(*to_stderr, text);
    }
    if let Some(addr) = &s.listen_tcp {
        let l = std::net::TcpListener::bind(addr)
            .unwrap_or_else(|e| fail(&format!("listen {addr}: {e}")));
        std::thread::spawn(move || l.incoming().for_each(drop));
    }
    if let Some(path) = &s.listen_unix {
        let _ = std::fs::remove_file(path);
        let l = std::os::unix::net::UnixListener::bind(path)
            .unwrap_or_else(|e| fail(&format!("listen {}: {e}", path.display())));
        std::thread::spawn(move || l.incoming().for_each(drop));
    }
    if let Some(addr) = &s.serve_http {
        let l = std::net::TcpListener::bind(addr)
            .unwrap_or_else(|e| fail(&format!("listen {addr}: {e}")));
        let fail_file = s.fail_file.clone();
        std::thread::spawn(move || serve_http(l, fail_file));
    }
    if let Some(rate) = s.grow_mb {
        let cap = s.grow_to.unwrap_or(2000);
        std::thread::spawn(move || grow(rate, cap));
    }
    if s.spin {
        std::thread::spawn(|| loop {
            std::hint::black_box((0..1_000u64).sum::<u64>());
        });
    }
    match s.sleep {
        Some(d) => std::thread::sleep(d),
        None if s.exit.is_none() && s.signal.is_none() => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        None => {}
    }
    if let Some(sig) = s.signal {
        die_by(sig);
    }
    std::process::exit(s.exit.unwrap_or(0));
}

/// Allocates `rate` MB a second in tenths, touching every page so it is resident, until
/// `cap` MB are held; then holds them.
fn grow(rate: u64, cap: u64) {
    let mut held: Vec<Vec<u8>> = Vec::new();
    let step = (rate * 1_000_000 / 10).max(1) as usize;
    let mut total = 0u64;
    while total + step as u64 <= cap * 1_000_000 {
        held.push(vec![1u8; step]);
        total += step as u64;
        std::thread::sleep(Duration::from_millis(100));
    }
    loop {
        std::thread::sleep(Duration::from_secs(3600));
        std::hint::black_box(&held);
    }
}

/// Double fork with setsid in between: the started process exits 0, the grandchild goes on
/// in a new session, reparented to init (or the nearest subreaper).
/// Counts one more start in `counter` and returns the count (the first start is 1).
fn count_start(counter: &Path) -> u64 {
    let starts = std::fs::read_to_string(counter)
        .ok()
        .and_then(|t| t.trim().parse::<u64>().ok());
    let starts = starts.unwrap_or(0) + 1;
    write(counter, &format!("{starts}\n"));
    starts
}

/// Fork, setsid, fork: the caller goes on as the grandchild. With `heir_dies`, the
/// intermediate waits for the grandchild's end before its own clean exit, so the program is
/// gone before anything sees the launcher's last stage exit.
fn launch_away(heir_dies: bool) {
    // SAFETY: fork/setsid/waitpid/_exit in a single-threaded process.
    unsafe {
        match libc::fork() {
            -1 => fail("fork failed"),
            0 => {}
            _ => libc::_exit(0),
        }
        libc::setsid();
        match libc::fork() {
            -1 => fail("fork failed"),
            0 => {}
            pid => {
                if heir_dies {
                    libc::waitpid(pid, std::ptr::null_mut(), 0);
                }
                libc::_exit(0)
            }
        }
    }
}

/// A tiny HTTP/1.1 server: reads the request head, answers 200 (or 500 while `fail_file`
/// exists) and closes the connection.
fn serve_http(listener: std::net::TcpListener, fail_file: Option<PathBuf>) {
    use std::io::{Read, Write};
    for mut conn in listener.incoming().flatten() {
        let mut head = Vec::new();
        let mut buf = [0u8; 512];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let failing = fail_file.as_ref().is_some_and(|f| f.exists());
        let status = if failing {
            "500 Internal Server Error"
        } else {
            "200 OK"
        };
        let _ = write!(
            conn,
            "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }
}

fn die_by(sig: i32) -> ! {
    // SAFETY: restoring the default action and raising need no memory of ours.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    fail(&format!("survived signal {sig}"))
}

fn monotonic_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u128) * 1_000_000_000 + ts.tv_nsec as u128
}

/// One line to stdout or stderr, flushed, so a test sees it while the program sleeps.
fn print_line(to_stderr: bool, text: &str) {
    use std::io::Write;
    let done = if to_stderr {
        writeln!(std::io::stderr(), "{text}").and_then(|()| std::io::stderr().flush())
    } else {
        writeln!(std::io::stdout(), "{text}").and_then(|()| std::io::stdout().flush())
    };
    if let Err(e) = done {
        fail(&format!("cannot print {text:?}: {e}"));
    }
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        fail(&format!("cannot write {}: {e}", path.display()));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("lg-testprog: {msg}");
    std::process::exit(101)
}

fn parse(args: Vec<OsString>) -> Result<Script, String> {
    let mut s = Script::default();
    let mut it = args.into_iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            "--stamp" | "--tag" => drop(value()?),
            "--pid-file" => s.pid_file = Some(value()?.into()),
            "--ignore-term" => s.ignore_term = true,
            "--crash-first" => s.crash_first = Some(number(&value()?)?),
            "--counter" => s.counter = Some(value()?.into()),
            "--crash-signal" => s.crash_signal = Some(signal(&value()?)?),
            "--launcher" => s.launcher = true,
            "--heir-crash-on" => s.heir_crash_on = Some(number(&value()?)?),
            "--helpers" => s.helpers = number(&value()?)?,
            "--print" => s.prints.push((false, value()?)),
            "--eprint" => s.prints.push((true, value()?)),
            "--listen-tcp" => s.listen_tcp = Some(value()?),
            "--listen-unix" => s.listen_unix = Some(value()?.into()),
            "--serve-http" => s.serve_http = Some(value()?),
            "--fail-file" => s.fail_file = Some(value()?.into()),
            "--grow-mb" => {
                let v = value()?;
                let n = v.strip_suffix("/s").unwrap_or(&v);
                s.grow_mb = Some(number(n)?);
            }
            "--grow-to" => s.grow_to = Some(number(&value()?)?),
            "--spin" => s.spin = true,
            "--sleep" => s.sleep = Some(duration(&value()?)?),
            "--exit" => s.exit = Some(number(&value()?)?),
            "--signal" => s.signal = Some(signal(&value()?)?),
            other => return Err(format!("unknown option {other:?}; see --help")),
        }
    }
    Ok(s)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a number"))
}

fn duration(text: &str) -> Result<Duration, String> {
    let (digits, scale) = match text {
        t if t.ends_with("ms") => (&t[..t.len() - 2], 1),
        t if t.ends_with('s') => (&t[..t.len() - 1], 1000),
        t => (t, 1),
    };
    Ok(Duration::from_millis(number::<u64>(digits)? * scale))
}

fn signal(text: &str) -> Result<i32, String> {
    let upper = text.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    let named = [
        ("HUP", libc::SIGHUP),
        ("INT", libc::SIGINT),
        ("QUIT", libc::SIGQUIT),
        ("ABRT", libc::SIGABRT),
        ("KILL", libc::SIGKILL),
        ("SEGV", libc::SIGSEGV),
        ("TERM", libc::SIGTERM),
        ("USR1", libc::SIGUSR1),
        ("USR2", libc::SIGUSR2),
    ];
    match named.iter().find(|(n, _)| *n == bare) {
        Some((_, sig)) => Ok(*sig),
        None => number(bare),
    }
}
