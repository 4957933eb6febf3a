//! The sd_notify protocol's words and limits: the variables a program that talks back is
//! given, the watchdog's range, and the parsing of one datagram into [`Talk`]s. The socket
//! itself is the embedder's (the engine opens no sockets): it binds one per program in
//! the directory given to [`Supervisor::set_notify_dir`](crate::Supervisor::set_notify_dir),
//! checks the sender is of the program's tree, and feeds what it heard to
//! [`Supervisor::talk`](crate::Supervisor::talk).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::{ProgramId, ProgramSpec, SpecError, Talk};

/// The variable naming the program's socket.
pub const NOTIFY_SOCKET_VAR: &str = "NOTIFY_SOCKET";
/// The variable giving the watchdog interval in microseconds.
pub const WATCHDOG_USEC_VAR: &str = "WATCHDOG_USEC";
/// The shortest watchdog interval.
pub const MIN_WATCHDOG: Duration = Duration::from_secs(1);
/// The longest watchdog interval.
pub const MAX_WATCHDOG: Duration = Duration::from_secs(3600);

/// The program's socket in `dir`.
pub fn socket_path(dir: &Path, id: &ProgramId) -> std::path::PathBuf {
    dir.join(format!("{id}.sock"))
}

/// Checks the watchdog's range (`0s` is "none").
pub(crate) fn validate(spec: &ProgramSpec) -> Result<(), SpecError> {
    let w = spec.watchdog;
    if !w.is_zero() && !(MIN_WATCHDOG..=MAX_WATCHDOG).contains(&w) {
        let f = crate::duration::format;
        return Err(SpecError::new(
            "watchdog",
            format!(
                "{} is outside the range {} to {}",
                f(w),
                f(MIN_WATCHDOG),
                f(MAX_WATCHDOG)
            ),
            "use e.g. \"30s\", or \"0s\" for no watchdog",
        ));
    }
    Ok(())
}

/// The variables a spawn of `spec` gets when its socket is in `dir`.
pub(crate) fn env(spec: &ProgramSpec, dir: &Path) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    if spec.talks() {
        let path = socket_path(dir, &spec.id);
        env.insert(NOTIFY_SOCKET_VAR.into(), path.display().to_string());
    }
    if !spec.watchdog.is_zero() {
        env.insert(
            WATCHDOG_USEC_VAR.into(),
            spec.watchdog.as_micros().to_string(),
        );
    }
    env
}

/// The messages in one datagram (newline-separated `KEY=VALUE` lines). Unknown keys and
/// `WATCHDOG=1` of a program without a watchdog are ignored, as systemd does, and so is a
/// `MAINPID=` that is not a process id (0, 1, or not a number).
pub fn parse(datagram: &[u8], watchdog: Duration) -> Vec<Talk> {
    let text = String::from_utf8_lossy(datagram);
    text.lines()
        .filter_map(|line| match line.split_once('=')? {
            ("READY", "1") => Some(Talk::Ready),
            ("STOPPING", "1") => Some(Talk::Stopping),
            ("WATCHDOG", "1") if !watchdog.is_zero() => Some(Talk::Watchdog { every: watchdog }),
            // A status is one line of the program's words, kept short for a menu.
            ("STATUS", status) => Some(Talk::Status(status.chars().take(200).collect())),
            ("MAINPID", pid) => pid.parse().ok().filter(|p| *p > 1).map(Talk::MainPid),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_messages_it_follows_and_skips_the_rest() {
        let w = Duration::from_secs(10);
        let talk = parse(
            b"READY=1\nSTATUS=serving 3 clients\nMAINPID=42\nWATCHDOG=1\nX=y",
            w,
        );
        assert_eq!(
            talk,
            vec![
                Talk::Ready,
                Talk::Status("serving 3 clients".into()),
                Talk::MainPid(42),
                Talk::Watchdog { every: w }
            ]
        );
        assert_eq!(parse(b"MAINPID=0\nMAINPID=1\nMAINPID=x", w), vec![]);
        assert_eq!(parse(b"WATCHDOG=1", Duration::ZERO), vec![]);
        assert_eq!(parse(b"STOPPING=1\n", w), vec![Talk::Stopping]);
    }

    #[test]
    fn a_watchdog_outside_its_range_names_the_field_the_limit_and_the_fix() {
        let mut spec = ProgramSpec::new(
            ProgramId::new("p").unwrap_or_else(|_| unreachable!()),
            ["x"],
        );
        spec.watchdog = Duration::from_millis(200);
        let e = spec.validate().unwrap_err();
        assert_eq!(e.field, "watchdog");
        assert!(e.to_string().contains("1s"), "{e}");
        spec.watchdog = Duration::ZERO;
        assert!(spec.validate().is_ok());
        spec.watchdog = Duration::from_secs(30);
        let env = env(&spec, Path::new("/run/x"));
        assert_eq!(env[NOTIFY_SOCKET_VAR], "/run/x/p.sock");
        assert_eq!(env[WATCHDOG_USEC_VAR], "30000000");
    }
}
