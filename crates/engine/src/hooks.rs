//! A program's hooks: `on_restart` (after a restart, once the new instance runs) and
//! `on_give_up` (after the breaker gave up) run a command (an argv, no shell unless the
//! user wrote one) with the cause in `LIFEGUARD_*` variables. Each runs in a task of its
//! own, off the restart path, in its own process group, killed with that group after
//! `hook_timeout`; a failure becomes a `hook_failed` event.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::SpecError;

/// The longest `hook_timeout`.
pub const MAX_HOOK_TIMEOUT: Duration = Duration::from_secs(600);
/// The shortest `hook_timeout`.
pub const MIN_HOOK_TIMEOUT: Duration = Duration::from_millis(100);

pub(crate) fn default_timeout() -> Duration {
    Duration::from_secs(10)
}

/// Checks the hooks of a spec: argvs not empty, the timeout in range.
pub(crate) fn validate(spec: &crate::ProgramSpec) -> Result<(), SpecError> {
    for (field, argv) in [
        ("on_restart", &spec.on_restart),
        ("on_give_up", &spec.on_give_up),
    ] {
        if argv
            .as_ref()
            .is_some_and(|a| a.first().is_none_or(|p| p.trim().is_empty()))
        {
            return Err(SpecError::new(
                field,
                "is empty",
                "give the command and its arguments, e.g. [\"notify-send\", \"restarted\"], or leave it out",
            ));
        }
    }
    if !(MIN_HOOK_TIMEOUT..=MAX_HOOK_TIMEOUT).contains(&spec.hook_timeout) {
        let f = crate::duration::format;
        return Err(SpecError::new(
            "hook_timeout",
            format!(
                "{} is outside the range {} to {}",
                f(spec.hook_timeout),
                f(MIN_HOOK_TIMEOUT),
                f(MAX_HOOK_TIMEOUT)
            ),
            "use e.g. \"10s\"",
        ));
    }
    Ok(())
}

/// One hook to run: which, the argv, its variables, and how long it may take.
pub(crate) struct Run {
    /// `on_restart` or `on_give_up`, for the failure's words.
    pub which: &'static str,
    pub argv: Vec<String>,
    /// The session environment, then the `LIFEGUARD_*` variables.
    pub env: BTreeMap<String, String>,
    pub timeout: Duration,
}

/// Runs the hook to its end or its timeout; `Err` says what went wrong, for the history.
pub(crate) async fn run(hook: Run) -> Result<(), String> {
    let Run {
        which,
        argv,
        env,
        timeout,
    } = hook;
    let (program, args) = argv.split_first().ok_or("empty command")?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .envs(&env)
        .env_remove("LIFEGUARD_INSTANCE")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = crate::own_children::spawn(&mut cmd)
        .map_err(|e| format!("{which} hook: cannot run {program:?}: {e}"))?;
    let pgid = child.id();
    match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!(
            "{which} hook {program:?} failed: {}",
            crate::Exit::from_status(status)
        )),
        Ok(Err(e)) => Err(format!("{which} hook {program:?}: {e}")),
        Err(_) => {
            // Its whole group, so what it started in the background goes too.
            if let Some(pgid) = pgid {
                // The group is the hook's own; gone already is fine.
                let _ = crate::kill::signal_group(pgid, crate::Signal::KILL);
            }
            Err(format!(
                "{which} hook {program:?} ran longer than {}: killed",
                crate::duration::words(timeout)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ProgramId, ProgramSpec};

    #[test]
    fn empty_hooks_and_timeouts_out_of_range_are_refused_by_name() {
        let mut spec = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
        assert_eq!(validate(&spec), Ok(()));
        spec.on_give_up = Some(vec![" ".into()]);
        assert_eq!(validate(&spec).unwrap_err().field, "on_give_up");
        spec.on_give_up = None;
        spec.hook_timeout = Duration::from_secs(3600);
        let e = validate(&spec).unwrap_err();
        assert_eq!(e.field, "hook_timeout");
        assert!(e.problem.contains("10m"), "{e}");
    }
}
