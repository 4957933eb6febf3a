//! Start-up without duplicates: every configured program that still runs from before —
//! saved in the state file by the previous daemon (killed, or leaving its programs
//! running on purpose) — is adopted, not started again. An `autostart` program with no
//! saved instance that is already running outside Lifeguard (same user, executable and
//! argv: see `running.rs`) is adopted too. The rest of the `autostart` ones are started.

use std::path::Path;

use lifeguard_engine::{EngineError, Instance, Origin, ProcessInfo, ProgramSpec, RequestedBy};

use super::persist;
use super::state::Daemon;
use crate::config::ProgramEntry;

impl Daemon {
    /// Adopts or starts the configured programs: a program with a live saved instance is
    /// adopted (whether or not it is `autostart`: it was running); one whose saved instance
    /// is gone or whose pid was reused is started; the other `autostart` ones are started.
    pub(super) async fn start_programs(&self, state_file: &Path) {
        let config = self.0.store.current();
        let mut saved = persist::load(state_file).programs;
        let start = Origin::new(RequestedBy::Config).with_reason("daemon start");
        let fresh: Vec<&ProgramSpec> = config
            .program
            .iter()
            .filter(|e| e.options.autostart && !saved.contains_key(&e.spec.id))
            .map(|e| &e.spec)
            .collect();
        let mut running = super::running::find(&fresh);
        for entry in &config.program {
            match (saved.remove(&entry.spec.id), running.remove(&entry.spec.id)) {
                (Some(instance), _) => self.readopt(entry, instance, &start).await,
                (None, Some(info)) => self.adopt_running(entry, info, &start).await,
                (None, None) if entry.options.autostart => self.engine_add(entry, &start).await,
                (None, None) => {}
            }
        }
        for id in saved.keys() {
            tracing::info!(program = %id, "saved instance left alone: no longer in the config");
        }
    }

    /// Adopts `instance` for `entry`, or starts `entry` when that process is gone.
    async fn readopt(&self, entry: &ProgramEntry, instance: Instance, start: &Origin) {
        let id = &entry.spec.id;
        let spec = self.0.options.logs.prepare(entry.spec.clone());
        let origin = Origin::new(RequestedBy::Config).with_reason("re-adopted after restart");
        let pid = instance.main.pid;
        match self.0.sup.adopt(spec, instance, origin).await {
            Ok(()) => tracing::info!(program = %id, pid, "re-adopted"),
            Err(EngineError::NotRunning { .. }) => {
                tracing::info!(program = %id, pid, "saved instance is gone: starting it");
                self.engine_add(entry, start).await;
            }
            Err(e) => self.warn(format!("program {id}: {e}")),
        }
    }

    /// Adopts a copy of `entry` found running outside Lifeguard, or starts `entry` when
    /// it ended meanwhile.
    async fn adopt_running(&self, entry: &ProgramEntry, info: ProcessInfo, start: &Origin) {
        let id = &entry.spec.id;
        let spec = self.0.options.logs.prepare(entry.spec.clone());
        let origin = Origin::new(RequestedBy::Config).with_reason("already running at start-up");
        let pid = info.identity.pid;
        match self.0.sup.adopt(spec, info.instance(), origin).await {
            Ok(()) => tracing::info!(program = %id, pid, "adopted a copy already running"),
            Err(EngineError::NotRunning { .. }) => self.engine_add(entry, start).await,
            Err(e) => self.warn(format!("program {id}: {e}")),
        }
    }
}
