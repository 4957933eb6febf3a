use super::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A real child process, killed and reaped on drop.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a copy of `sleep` under a unique name in `dir`, so no other process on the machine
/// shares its executable (programs are grouped by executable).
fn sleep_in(dir: &Path) -> Child {
    let exe = dir.join(format!("lg-sleep-{}", std::process::id()));
    std::fs::copy("/bin/sleep", &exe).unwrap();
    Child(
        Command::new(&exe)
            .arg("321")
            .current_dir(dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

/// The program holding `pid` in `running_programs()`, waiting up to `patience` because
/// reading /proc races with the child's exec.
fn find(pid: u32, patience: Duration) -> Option<RunningProgram> {
    let deadline = Instant::now() + patience;
    loop {
        let found = running_programs()
            .into_iter()
            .find(|p| p.pids.contains(&pid) && p.argv.get(1).map(String::as_str) == Some("321"));
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn lists_a_running_program_with_its_command_line_cwd_memory_and_start() {
    let dir = tempfile::tempdir().unwrap();
    let child = sleep_in(dir.path());
    let pid = child.0.id();
    // Our own test process is excluded as Lifeguard's, and so are its descendants: look at
    // the child from a scan that does not treat this process as Lifeguard.
    let boot = boot_time_s(Path::new("/proc/stat")).unwrap() * 1000;
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    let deadline = Instant::now() + Duration::from_secs(5);
    let program = loop {
        let found = scan(Path::new("/proc"), uid, 0, boot, 100)
            .into_iter()
            .find(|p| p.pids.contains(&pid) && p.argv.get(1).map(String::as_str) == Some("321"));
        if let Some(found) = found {
            break found;
        }
        assert!(Instant::now() < deadline, "the child never showed up");
        std::thread::sleep(Duration::from_millis(20));
    };
    let name = format!("lg-sleep-{}", std::process::id());
    assert_eq!(program.name, name);
    assert!(program.exe.ends_with(&name), "{}", program.exe);
    assert_eq!(program.pids, [pid]);
    assert_eq!(program.argv.len(), 2, "{:?}", program.argv);
    let cwd = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(program.cwd.as_deref(), cwd.to_str());
    assert!(program.memory_bytes > 0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(
        program.started_at <= now + 1000 && program.started_at + 120_000 > now,
        "started_at {} vs now {now}",
        program.started_at
    );
}

#[test]
fn leaves_out_lifeguards_own_process_and_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let child = sleep_in(dir.path());
    // running_programs() treats this test process as Lifeguard: its child must not show.
    // A positive control first, so the absence below cannot come from a slow exec.
    let deadline = Instant::now() + Duration::from_secs(5);
    let exe_link = format!("/proc/{}/exe", child.0.id());
    while !std::fs::read_link(&exe_link)
        .is_ok_and(|exe| exe.to_string_lossy().contains("lg-sleep-"))
    {
        assert!(Instant::now() < deadline, "the child never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(find(child.0.id(), Duration::from_millis(300)), None);
    assert!(running_programs()
        .iter()
        .all(|p| !p.pids.contains(&std::process::id())));
}

#[test]
fn skips_kernel_threads() {
    // pid 2 is kthreadd on Linux (no exe link, empty command line), unless a pid
    // namespace hides the kernel's threads.
    let stat = std::fs::read_to_string("/proc/2/stat").unwrap_or_default();
    if stat.contains("(kthreadd)") {
        assert!(read_proc(Path::new("/proc/2"), 2).is_none());
    }
}
