//! The process table as the roulette sees it: the processes of its programs, found by the
//! unique `--tag` each program carries on its command line, and the daemon's zombies.

/// One live (or dying) process of a program's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    /// Process id.
    pub pid: i32,
    /// Parent's pid.
    pub ppid: i32,
    /// Index of the program whose tag it carries.
    pub program: usize,
    /// Threads: the serving instance has 2 (main + the socket's accept loop), helpers and
    /// a launcher's intermediate stages 1.
    pub threads: u32,
    /// State letter from `/proc/PID/stat` (`Z` for a zombie).
    pub state: char,
}

impl Proc {
    /// The instance that serves the program's socket (not a helper, not a launcher stage).
    pub fn is_instance(&self) -> bool {
        self.threads >= 2 && self.state != 'Z'
    }
}

/// `state`, `ppid` and thread count from `/proc/PID/stat`, if the process exists.
pub fn stat(pid: i32) -> Option<(char, i32, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = text.rsplit_once(')')?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields after the command: state (3), ppid (4) … num_threads (20), 1-based.
    let state = f.first()?.chars().next()?;
    let ppid = f.get(1)?.parse().ok()?;
    let threads = f.get(17)?.parse().ok()?;
    Some((state, ppid, threads))
}

/// True when SIGKILL is pending for `pid` (it is already dying) or it is gone.
pub fn dying(pid: i32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return true;
    };
    let kill_bit = 1u64 << (libc::SIGKILL - 1);
    status.lines().any(|l| {
        let v = l
            .strip_prefix("SigPnd:")
            .or_else(|| l.strip_prefix("ShdPnd:"));
        v.and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
            .is_some_and(|mask| mask & kill_bit != 0)
    })
}

/// Every process whose command line has an argument `PREFIX<index>`, with that index.
pub fn scan(prefix: &str) -> Vec<Proc> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let Some(program) = tagged(&cmdline, prefix) else {
            continue;
        };
        if let Some((state, ppid, threads)) = stat(pid) {
            out.push(Proc {
                pid,
                ppid,
                program,
                threads,
                state,
            });
        }
    }
    out
}

fn tagged(cmdline: &[u8], prefix: &str) -> Option<usize> {
    cmdline.split(|b| *b == 0).find_map(|arg| {
        std::str::from_utf8(arg)
            .ok()?
            .strip_prefix(prefix)?
            .parse()
            .ok()
    })
}

/// Children of `pid` that are zombies (exited, not reaped yet).
pub fn zombie_children(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let Ok(children) = std::fs::read_to_string(task.path().join("children")) else {
            continue;
        };
        for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            if stat(child).is_some_and(|(state, _, _)| state == 'Z') {
                out.push(child);
            }
        }
    }
    out
}

/// The live child of `keeper` started with `--kept-by`: the daemon proper under
/// `lifeguard daemon`'s keeper.
pub fn kept_daemon(keeper: i32) -> Option<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{keeper}/task")).ok()?;
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|c| c.parse::<i32>().ok())
                .collect::<Vec<_>>()
        })
        .find(|c| {
            stat(*c).is_some_and(|(state, _, _)| state != 'Z')
                && std::fs::read(format!("/proc/{c}/cmdline"))
                    .is_ok_and(|raw| raw.split(|b| *b == 0).any(|a| a == b"--kept-by"))
        })
}

/// Sends `sig` to `pid`; true when it was delivered (the process existed).
pub fn signal(pid: i32, sig: i32) -> bool {
    // SAFETY: kill(2) with plain integers.
    unsafe { libc::kill(pid, sig) == 0 }
}
