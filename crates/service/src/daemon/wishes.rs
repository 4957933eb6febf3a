//! What the person said, kept across a restart of the daemon (see `persist.rs`): a
//! program they stopped stays stopped, and a pause stays until its end.

use lifeguard_engine::{Origin, RequestedBy};

use super::persist::{Paused, Wishes};
use super::state::Daemon;
use crate::config::ProgramEntry;

fn kept() -> Origin {
    Origin::new(RequestedBy::Config).with_reason("kept across a daemon restart")
}

impl Daemon {
    /// Puts the global pause back, if one was in force and has not ended.
    pub(super) async fn keep_global_pause(&self, wishes: &Wishes) {
        let Some(end) = wishes.paused.and_then(|p| Paused::end(p).ok()) else {
            return;
        };
        if let Err(e) = self.0.sup.pause_all(end, kept()).await {
            self.warn(format!("the pause was not kept: {e}"));
        }
    }

    /// Puts `entry`'s own pause back, if it had one that has not ended.
    pub(super) async fn keep_program_pause(&self, entry: &ProgramEntry, wishes: &Wishes) {
        let Some(end) = wishes
            .paused_programs
            .get(&entry.spec.id)
            .and_then(|p| p.end().ok())
        else {
            return;
        };
        let id = &entry.spec.id;
        match self.0.sup.pause(id, end, kept()).await {
            Ok(()) | Err(lifeguard_engine::EngineError::UnknownProgram(_)) => {}
            Err(e) => self.warn(format!("program {id}: its pause was not kept: {e}")),
        }
    }

    /// Supervises `entry` without starting it: the person had stopped it.
    pub(super) async fn keep_stopped(&self, entry: &ProgramEntry) {
        let spec = self.engine_spec(&entry.spec);
        tracing::info!(program = %entry.spec.id, "stopped before the daemon restarted: stays stopped");
        if let Err(e) = self.0.sup.add_stopped(spec, kept()).await {
            self.warn(format!("program {}: {e}", entry.spec.id));
        }
    }
}
