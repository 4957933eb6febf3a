//! The program task's side of single-instance apps: after a quick exit 0 that left
//! nothing, ask the embedder's [`FindCopy`](crate::FindCopy) hook for the copy already
//! running, and watch it.

use crate::actor::Actor;
use crate::machine::{Input, State};
use crate::{Exit, Instance};

impl Actor {
    /// The answer to a search that found no heir: the copy the start handed its request
    /// to, when the hook names one that can be watched, otherwise "nothing left".
    pub(crate) fn find_copy(&mut self) -> Input {
        let nothing = Input::Heir { pid: None };
        if !matches!(
            self.machine.state(),
            State::Seeking {
                exit: Exit::Code(0),
                ..
            }
        ) {
            return nothing;
        }
        let finder = match self.shared.copy_finder.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let Some(who) = finder.and_then(|f| f.find_copy(self.machine.spec())) else {
            return nothing;
        };
        if who.pid == std::process::id() {
            return nothing;
        }
        // A pidfd checked against the start time: a copy that ended meanwhile, or a pid
        // already reused, is not watched.
        let Ok(child) = self.spawner.watch(who) else {
            return nothing;
        };
        self.instance = Some(Instance::foreign(who));
        self.child = Some(child);
        Input::Copy { pid: who.pid }
    }
}
