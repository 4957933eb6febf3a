//! Stops, and the rest of the controls' transitions: the stop signal, SIGKILL after the
//! grace, the end of a stop (decided by what is wanted then), an update that relaunches,
//! a release that leaves the process running.

use std::time::Instant;

use super::inputs::emit;
use super::{Action, Cause, Machine, Next, Note, State, Wanted};
use crate::{EventKind, Exit, ProgramSpec, Signal};

impl Machine {
    /// Sends the stop signal to a running instance; what follows its end is decided then.
    pub(super) fn stopping(&mut self, cause: Cause, now: Instant) -> Vec<Action> {
        let State::Running {
            pid,
            since,
            attempt,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        let signal = self.spec.stop_signal;
        let deadline = crate::clock::later(now, self.spec.stop_grace);
        let killed = signal == Signal::KILL;
        self.state = State::Stopping {
            pid,
            since,
            deadline,
            killed,
            cause,
        };
        let note = Note {
            pid: Some(pid),
            attempt,
            ..Note::new(EventKind::Stopping)
        };
        vec![Action::SignalTree { pid, signal }, emit(note)]
    }

    pub(super) fn kill_after_grace(&mut self) -> Vec<Action> {
        let State::Stopping {
            pid,
            ref mut killed,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        *killed = true;
        let grace = crate::duration::words(self.spec.stop_grace);
        let reason = format!(
            "still running {grace} after {}: SIGKILL",
            self.spec.stop_signal
        );
        let note = Note {
            pid: Some(pid),
            reason: Some(reason),
            ..Note::new(EventKind::Stopping)
        };
        vec![
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
            emit(note),
        ]
    }

    /// A start or a stop while stopping: only what is wanted changes (a stop also makes an
    /// unhealthy instance's end a plain stop).
    pub(super) fn retarget(&mut self, wanted: Wanted) -> Vec<Action> {
        if let (Wanted::Down, State::Stopping { cause, .. }) = (wanted, &mut self.state) {
            *cause = Cause::Asked;
        }
        self.want(wanted);
        Vec::new()
    }

    /// The stopped instance is down: wanted down it stays down, wanted up it starts afresh
    /// (or, stopped for failing its health check, is restarted as a failure).
    pub(super) fn stopped(&mut self, exit: Exit, now: Instant) -> Vec<Action> {
        let State::Stopping {
            pid, since, cause, ..
        } = self.state
        else {
            return Vec::new();
        };
        if self.wanted == Wanted::Up
            && matches!(
                cause,
                Cause::Unhealthy | Cause::OverMemory | Cause::NotResponding | Cause::Watchdog
            )
        {
            return self.recovered(exit, now);
        }
        self.last_exit = Some(exit);
        let uptime = Some(now.saturating_duration_since(since));
        let note = Note {
            pid: Some(pid),
            exit: Some(exit),
            uptime,
            ..Note::new(EventKind::Stopped)
        };
        // The leader is gone; whatever it left in its group goes too, so a stop leaves nothing.
        let mut out = vec![
            Action::SignalTree {
                pid,
                signal: Signal::KILL,
            },
            emit(note),
        ];
        out.extend(self.settle(Next::Fresh, now));
        out
    }

    /// A stop while down: wanted down, it stays down.
    pub(super) fn down(&mut self, now: Instant) -> Vec<Action> {
        self.want(Wanted::Down);
        let mut out = self.settle(Next::Fresh, now);
        out.push(emit(Note::new(EventKind::Stopped)));
        out
    }

    /// New rules; a running instance whose launch changed is restarted with them.
    pub(super) fn update(&mut self, spec: ProgramSpec, now: Instant) -> Vec<Action> {
        let changed = self.spec.launch_differs(&spec);
        let relaunch = changed && matches!(self.state, State::Running { .. });
        if changed {
            // Another command line: whether it is a launcher is to be seen again.
            self.launcher = false;
        }
        self.spec = spec;
        let mut out = vec![emit(Note::new(EventKind::Updated))];
        if relaunch {
            out.extend(self.stopping(Cause::Asked, now));
        }
        out
    }

    /// Supervision ends; the process, if one runs, is left running and no longer watched.
    pub(super) fn release(&mut self) -> Vec<Action> {
        let pid = self.state.live_pid();
        self.state = State::Stopped;
        vec![emit(Note {
            pid,
            reason: pid.map(|p| format!("no longer protected; pid {p} left running")),
            ..Note::new(EventKind::Removed)
        })]
    }
}
