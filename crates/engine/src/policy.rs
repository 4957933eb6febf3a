//! The restart policy's decision: is this death followed by a restart?

use crate::{Exit, RestartPolicy};

/// Whether a program that ended with `exit` is to be restarted under `policy`.
/// Under `on-failure`, any signal (SIGTERM included) is a failure: only the listed exit
/// codes are clean.
pub fn should_restart(policy: &RestartPolicy, exit: &Exit) -> bool {
    match policy {
        RestartPolicy::Always => true,
        RestartPolicy::OnFailure { clean_exit_codes } => !exit.is_clean(clean_exit_codes),
        RestartPolicy::Never => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Signal;

    #[test]
    fn decisions() {
        let on_failure = RestartPolicy::OnFailure {
            clean_exit_codes: vec![0, 3],
        };
        let term = Exit::Signal {
            signal: Signal::TERM,
            core_dumped: false,
        };
        let rows = [
            (&RestartPolicy::Always, Exit::Code(0), true),
            (&RestartPolicy::Always, term, true),
            (&on_failure, Exit::Code(0), false),
            (&on_failure, Exit::Code(3), false),
            (&on_failure, Exit::Code(1), true),
            (&on_failure, term, true),
            (&on_failure, Exit::Unknown, true),
            (&RestartPolicy::Never, Exit::Code(1), false),
            (&RestartPolicy::Never, term, false),
        ];
        for (policy, exit, want) in rows {
            assert_eq!(should_restart(policy, &exit), want, "{policy:?} {exit:?}");
        }
    }
}
