//! A program's task and its memory limit: the measuring task (`memory.rs`) runs exactly
//! while an instance runs and the spec has a limit; its report is fed to the machine.

use crate::actor::Actor;
use crate::machine::{Input, State};
use crate::MemoryAction;

impl Actor {
    /// Starts or ends the measuring task to match the state and the spec.
    pub(crate) fn sync_memory(&mut self) {
        let running = match self.machine.state() {
            State::Running { pid, .. } => Some(*pid),
            _ => None,
        };
        if running == self.memory.as_ref().map(|(pid, _)| *pid) {
            return;
        }
        self.stop_memory();
        let limit = self.machine.spec().memory_limit.clone();
        if let (Some(pid), Some(limit), Some(instance)) = (running, limit, self.instance.clone()) {
            let task = crate::memory::spawn(limit, instance, self.memory_chan.sender());
            self.memory = Some((pid, task));
        }
    }

    /// Ends the measuring task, if any.
    pub(crate) fn stop_memory(&mut self) {
        if let Some((_, task)) = self.memory.take() {
            task.abort();
        }
    }

    /// A report of the measuring task: fed to the machine if it is about this instance.
    pub(crate) fn over_memory(&mut self, over: Option<crate::memory::Over>) {
        let Some((pid, reason, action)) = over else {
            self.memory = None;
            return;
        };
        if matches!(self.machine.state(), State::Running { pid: p, .. } if *p == pid) {
            let restart = action == MemoryAction::Restart;
            self.feed(Input::OverMemory { reason, restart }, None);
        }
    }
}
