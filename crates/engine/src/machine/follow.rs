//! Transitions for real desktop programs: following a launcher's heir, adoption, and
//! restarts asked for by a failing health check. Part of the pure machine (no I/O).

use std::time::{Duration, Instant};

use super::inputs::emit;
use super::{Action, Cause, Machine, Note, State, Wanted};
use crate::{EventKind, Exit};

/// The launcher window: a main process that exits 0 this soon after its start may be a
/// launcher, and the process it leaves is followed as the program (`handed_off`). Desktop launchers
/// (`gtk-launch`, wrapper scripts, a single-instance app's second copy) exit within
/// milliseconds; a terminal or an editor the user closes after this long is a quit, and
/// whatever it leaves running (a tmux server, a `setsid -f` job) is the user's.
pub const LAUNCHER_WINDOW: Duration = Duration::from_secs(2);

impl Machine {
    /// A launcher exited 0 and left `pid` running: follow it, no restart.
    pub(super) fn handed_off(&mut self, pid: u32, now: Instant) -> Vec<Action> {
        let State::Seeking {
            pid: old,
            uptime,
            attempt,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        self.launcher = true;
        self.state = State::Running {
            pid,
            since: now,
            attempt,
            heir: true,
            adopted: false,
        };
        let took = crate::duration::words(uptime);
        vec![emit(Note {
            pid: Some(pid),
            attempt,
            reason: Some(format!(
                "PID {old} exited 0 after {took} and left PID {pid} running: handed off to PID {pid}"
            )),
            ..Note::new(EventKind::HandedOff)
        })]
    }

    /// A quick clean exit with nothing of the tree left: recorded, never restart-looped.
    pub(super) fn nothing_left(&mut self, now: Instant) -> Vec<Action> {
        let State::Seeking {
            pid,
            uptime,
            attempt,
            exit,
        } = self.state
        else {
            return Vec::new();
        };
        if exit == Exit::Unknown || self.launcher {
            // A launcher's clean exit is not its program's: how the program ended is unknown.
            let exit = if self.launcher { Exit::Unknown } else { exit };
            // Only an heir that is not our child ends with an unknown status: it may have
            // been one more launcher stage, or it may have been killed. With nothing of the
            // tree left to follow, it cannot have handed off: a death, answered by the policy.
            // Likewise for a program seen handing off before (a launcher): its clean exit
            // with nothing left means its program died before the heir search saw it (the
            // roulette found such a launcher left down for 39 s), not a hand-off to a copy.
            return self.death(pid, attempt, uptime, exit, now);
        }
        self.last_exit = Some(exit);
        self.state = State::Exited { exit, at: now };
        let took = crate::duration::words(uptime);
        vec![emit(Note {
            pid: Some(pid),
            attempt,
            exit: Some(exit),
            uptime: Some(uptime),
            reason: Some(format!(
                "PID {pid} exited 0 after {took} and left nothing running (a single-instance \
                 app that passed its request to a copy already running, or a launcher whose \
                 program did not stay up): not restarted"
            )),
            ..Note::new(EventKind::NothingLeft)
        })]
    }

    /// An already running process becomes this program's instance, without a restart.
    pub(super) fn adopted(&mut self, pid: u32, now: Instant) -> Vec<Action> {
        self.want(Wanted::Up);
        self.backoff.reset();
        self.state = State::Running {
            pid,
            since: now,
            attempt: 0,
            heir: false,
            adopted: true,
        };
        vec![emit(Note {
            pid: Some(pid),
            ..Note::new(EventKind::Adopted)
        })]
    }

    /// The health check gave up on a running instance: stop it, then restart by the policy.
    pub(super) fn unhealthy(&mut self, reason: String, now: Instant) -> Vec<Action> {
        self.failing(EventKind::HealthFailed, reason, Some(Cause::Unhealthy), now)
    }

    /// A running instance is failing (its health check, its memory limit): the event
    /// `kind` with the cause in words, then, with `cause`, a stop restarted as a failure.
    pub(super) fn failing(
        &mut self,
        kind: EventKind,
        reason: String,
        cause: Option<Cause>,
        now: Instant,
    ) -> Vec<Action> {
        let State::Running { pid, attempt, .. } = self.state else {
            return Vec::new();
        };
        let note = Note {
            pid: Some(pid),
            attempt,
            reason: Some(reason),
            ..Note::new(kind)
        };
        let mut out = vec![emit(note)];
        if let Some(cause) = cause {
            out.extend(self.stopping(cause, now));
        }
        out
    }

    /// The unhealthy instance is down: a failure for the backoff and the breaker, restarted
    /// with the health check named as the cause.
    pub(super) fn recovered(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Stopping {
            pid, since, cause, ..
        } = self.state
        else {
            return Vec::new();
        };
        self.last_exit = Some(exit);
        let uptime = now.saturating_duration_since(since);
        let cause = match cause {
            Cause::OverMemory => "restarted because it was over its memory limit",
            Cause::NotResponding => "restarted because its windows stopped responding",
            Cause::Watchdog => "restarted because its watchdog fell silent",
            _ => "restarted because its health check failed",
        }
        .to_owned();
        let note = Note {
            pid: Some(pid),
            exit: Some(exit),
            uptime: Some(uptime),
            reason: Some(cause.clone()),
            ..Note::new(EventKind::Exited)
        };
        let out = vec![
            Action::SignalTree {
                pid,
                signal: crate::Signal::KILL,
            },
            emit(note),
        ];
        // Counted by the breaker however long it ran, so a program that keeps failing its
        // check ends up given up instead of being restarted forever.
        let mut out = self.after_unhealthy_death(out, uptime, now);
        for action in &mut out {
            if let Action::Emit(n) = action {
                if n.kind == EventKind::RestartScheduled {
                    n.reason = Some(cause.clone());
                }
            }
        }
        out
    }
}
