//! An instance's life: started, or failed to start; died, recorded, and answered by the
//! restart policy, the crash-loop breaker and the backoff (rules in `policy.rs`,
//! `breaker.rs`, `backoff.rs`) before the one decision of [`Machine::settle`].

use std::time::{Duration, Instant};

use super::inputs::emit;
use super::{Action, Machine, Next, Note, State, LAUNCHER_WINDOW};
use crate::{EventKind, Exit, Signal};

impl Machine {
    pub(super) fn running(&mut self, pid: u32, now: Instant) -> Vec<Action> {
        let State::Starting { attempt, restart } = self.state else {
            return Vec::new();
        };
        self.state = State::Running {
            pid,
            since: now,
            attempt,
            heir: false,
            adopted: false,
        };
        self.restarts += u64::from(restart);
        let kind = if restart {
            EventKind::Restarted
        } else {
            EventKind::Started
        };
        vec![emit(Note {
            pid: Some(pid),
            attempt,
            ..Note::new(kind)
        })]
    }

    pub(super) fn spawn_failed(&mut self, reason: String, now: Instant) -> Vec<Action> {
        let attempt = self.backoff.streak();
        let note = Note {
            attempt,
            reason: Some(reason),
            ..Note::new(EventKind::SpawnFailed)
        };
        self.after_death(vec![emit(note)], None, now)
    }

    pub(super) fn died(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Running {
            pid,
            since,
            attempt,
            heir,
            adopted,
        } = self.state
        else {
            return Vec::new();
        };
        let uptime = now.saturating_duration_since(since);
        // An heir that is not our child ends with an unknown status: a launcher's
        // intermediate process looks just like that.
        let clean = exit == Exit::Code(0) || (heir && exit == Exit::Unknown);
        if clean && uptime < LAUNCHER_WINDOW && !adopted {
            // Launchers exit 0 at once and leave the program running: look before restarting.
            // Later, a clean exit is the user's quit: what the program leaves is theirs.
            self.state = State::Seeking {
                pid,
                uptime,
                attempt,
                exit,
            };
            return vec![Action::FindHeir];
        }
        self.death(pid, attempt, uptime, exit, now)
    }

    /// The main process is gone for good: recorded, its tree stopped, restarted by the policy.
    pub(super) fn death(
        &mut self,
        pid: u32,
        attempt: u32,
        uptime: Duration,
        exit: Exit,
        now: Instant,
    ) -> Vec<Action> {
        self.last_exit = Some(exit);
        self.deaths.record(now);
        let note = Note {
            pid: Some(pid),
            attempt,
            exit: Some(exit),
            uptime: Some(uptime),
            ..Note::new(EventKind::Exited)
        };
        // Liveness follows the main process: whatever it left behind goes with it.
        let out = vec![
            emit(note),
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
        ];
        if !crate::policy::should_restart(&self.spec.restart, &exit) {
            self.state = State::Exited { exit, at: now };
            return out;
        }
        self.after_death(out, Some(uptime), now)
    }

    /// A death (or failed start, `uptime: None`) that the policy wants answered by a restart.
    fn after_death(
        &mut self,
        out: Vec<Action>,
        uptime: Option<Duration>,
        now: Instant,
    ) -> Vec<Action> {
        let real_run = uptime.is_some_and(|up| up >= self.spec.backoff.min_uptime);
        self.answer_death(out, uptime, real_run, now)
    }

    /// Like [`Machine::after_death`], for an instance stopped because its health check
    /// failed: however long it ran, it was not working, so the breaker counts it (a program
    /// that keeps failing its check is given up on rather than restarted forever).
    pub(super) fn after_unhealthy_death(
        &mut self,
        out: Vec<Action>,
        uptime: Duration,
        now: Instant,
    ) -> Vec<Action> {
        self.answer_death(out, Some(uptime), false, now)
    }

    /// The breaker, then the backoff's delay, then the one decision.
    fn answer_death(
        &mut self,
        mut out: Vec<Action>,
        uptime: Option<Duration>,
        real_run: bool,
        now: Instant,
    ) -> Vec<Action> {
        // Only quick deaths (and failed starts) are a crash loop; a real run clears the
        // tally, so a program that keeps being killed after running is never given up on.
        if real_run {
            self.breaker.reset();
        } else if self.breaker.record(&self.spec.breaker, now) {
            let deaths = self.breaker.count();
            let window = crate::duration::words(self.spec.breaker.window);
            let min = crate::duration::words(self.spec.backoff.min_uptime);
            self.state = State::GaveUp { at: now, deaths };
            let reason = format!(
                "{deaths} deaths within {window}, each within {min} of its start: \
                 gave up until retried"
            );
            let attempt = self.backoff.streak();
            out.push(emit(Note {
                attempt,
                reason: Some(reason),
                ..Note::new(EventKind::GaveUp)
            }));
            return out;
        }
        let delay = self.backoff.on_death(&self.spec.backoff, uptime);
        let attempt = self.backoff.streak();
        out.extend(self.settle(Next::After { attempt, delay }, now));
        out
    }
}
