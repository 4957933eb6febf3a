//! The program task's hands: carrying out the machine's actions (spawn, signal the tree,
//! find a launcher's heir, emit), the health check task, snapshots.

use std::collections::VecDeque;

use crate::actor::Actor;
use crate::clock::{ms, now, to_wall_ms, wall_ms};
use crate::machine::{Action, Input, Note, State};
use crate::procfs::Identity;
use crate::snapshot::ProgramSnapshot;
use crate::spawner::Launch;
use crate::{Event, EventKind, Instance, Origin};

impl Actor {
    /// Steps the machine and carries out its actions; the outcome of a spawn or an heir
    /// search is fed straight back, so `Starting` and `Seeking` are never seen by another
    /// input.
    ///
    /// A dead instance's tree that is being replaced (the machine is `Starting`) gets only
    /// its group signal before the spawn; the scan of the rest of its tree (`/proc` reads)
    /// is done once the successor was spawned: the restart path is death → spawn, with
    /// nothing in between that can wait. The old tree's marker and group are its own, so
    /// the later scan never reaches the successor.
    pub(crate) fn feed(&mut self, input: Input, origin: Option<&Origin>) {
        self.account_sleep();
        let mut queue: VecDeque<Action> = self.machine.step(input, now()).into();
        let mut after_spawn: Vec<(Instance, crate::Signal)> = Vec::new();
        while let Some(action) = queue.pop_front() {
            match action {
                Action::Spawn => {
                    let outcome = self.spawn();
                    queue.extend(self.machine.step(outcome, now()));
                }
                Action::FindHeir => {
                    let outcome = self.find_heir();
                    queue.extend(self.machine.step(outcome, now()));
                }
                Action::SignalTree { signal, .. } => {
                    if signal == crate::Signal::KILL
                        && matches!(self.machine.state(), State::Stopping { killed: true, .. })
                    {
                        self.killed_after_grace = true;
                    }
                    // A failure here (EPERM: the group changed owner) leaves nothing better
                    // to do than carry on; the deadline still escalates to SIGKILL.
                    match &self.instance {
                        Some(old) if matches!(self.machine.state(), State::Starting { .. }) => {
                            let _ = self.spawner.signal_group(old, signal);
                            after_spawn.push((old.clone(), signal));
                        }
                        Some(instance) => {
                            let _ = self.spawner.signal_tree(instance, signal);
                        }
                        None => {}
                    }
                }
                Action::Emit(note) => self.emit(note, origin),
            }
        }
        for (old, signal) in after_spawn {
            let _ = self.spawner.signal_tree(&old, signal);
        }
    }

    fn spawn(&mut self) -> Input {
        let token = Instance::new_token();
        let mut session_env = self
            .shared
            .session_env
            .read()
            .map(|env| env.clone())
            .unwrap_or_else(|e| e.into_inner().clone());
        let spec = self.machine.spec();
        if spec.talks() {
            let dir = match self.shared.notify_dir.read() {
                Ok(d) => d.clone(),
                Err(e) => e.into_inner().clone(),
            };
            if let Some(dir) = dir {
                // Under the program's own `env`, over the session's.
                std::sync::Arc::make_mut(&mut session_env)
                    .extend(crate::talk_spec::env(spec, &dir));
            }
        }
        let launch = Launch {
            spec: self.machine.spec(),
            session_env: &session_env,
            token: &token,
        };
        match self.spawner.spawn(&launch) {
            Ok(child) => {
                let pid = child.pid();
                self.instance = Some(Instance {
                    main: Identity {
                        pid,
                        start_time: child.start_time(),
                    },
                    token: Some(token),
                    pgid: Some(pid),
                    session: None,
                    local: true,
                });
                self.child = Some(child);
                self.killed_after_grace = false;
                Input::Spawned { pid }
            }
            Err(e) => {
                let spec = self.machine.spec();
                let program = spec.argv.first().cloned().unwrap_or_default();
                Input::SpawnFailed {
                    reason: format!("cannot start {program:?}: {e}"),
                }
            }
        }
    }

    fn find_heir(&mut self) -> Input {
        let found = self
            .instance
            .as_ref()
            .and_then(|i| self.spawner.find_heir(i));
        match (found, &mut self.instance) {
            (Some((who, child)), Some(instance)) => {
                instance.main = who;
                if let Some(session) = crate::tree::own_session_of(who.pid, who.start_time) {
                    instance.session = Some(session);
                }
                self.child = Some(child);
                Input::Heir { pid: Some(who.pid) }
            }
            _ => self.find_copy(),
        }
    }

    /// Keeps the health check task in step with the state: running exactly while an
    /// instance runs and the spec has a check.
    pub(crate) fn sync_health(&mut self) {
        let running = match *self.machine.state() {
            State::Running { pid, .. } => Some(pid),
            _ => None,
        };
        let current = self.health.as_ref().map(|(pid, _)| *pid);
        if running == current {
            return;
        }
        self.stop_health();
        if let (Some(pid), Some(check)) = (running, self.machine.spec().health.clone()) {
            let task = crate::health::spawn(check, pid, self.health_sender());
            self.health = task.map(|t| (pid, t));
        }
    }

    /// Ends the health check task, if any.
    pub(crate) fn stop_health(&mut self) {
        if let Some((_, task)) = self.health.take() {
            task.abort();
        }
    }

    /// The program's state, with its instance while one runs.
    pub(crate) fn snapshot(&self) -> ProgramSnapshot {
        let mut snap = ProgramSnapshot::of(&self.machine);
        if matches!(
            self.machine.state(),
            State::Running { .. } | State::Stopping { .. }
        ) {
            snap.instance = self.instance.clone();
        }
        snap
    }

    pub(crate) fn emit(&mut self, note: Note, origin: Option<&Origin>) {
        let spec = self.machine.spec();
        let event = Event {
            ts: wall_ms(),
            kind: note.kind,
            program: spec.id.clone(),
            name: spec.display_name().to_owned(),
            pid: note.pid,
            attempt: note.attempt,
            exit: note.exit,
            uptime_ms: note.uptime.map(ms),
            delay_ms: note.delay.map(ms),
            until: note.until.map(to_wall_ms),
            requested_by: origin.map(|o| o.requested_by),
            reason: note
                .reason
                .or_else(|| origin.and_then(|o| o.reason.clone())),
        };
        let hooked = matches!(
            event.kind,
            EventKind::Exited
                | EventKind::SpawnFailed
                | EventKind::Started
                | EventKind::Stopped
                | EventKind::Restarted
                | EventKind::GaveUp
        );
        let kept = hooked.then(|| event.clone());
        // No subscribers is fine: events are offered, not queued for nobody.
        let _ = self.events.send(event);
        // After the send: a hook's failure event comes after the event that ran it.
        if let Some(event) = kept {
            self.after_event(&event);
        }
    }
}
