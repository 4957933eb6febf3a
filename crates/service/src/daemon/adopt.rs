//! Start-up without duplicates: every configured program that still runs from before —
//! saved in the state file by the previous daemon (killed, or leaving its programs
//! running on purpose) — is adopted, not started again. An `autostart` program with no
//! saved instance that is already running outside Lifeguard (same user, executable and
//! argv: see `running.rs`) is adopted too. The rest of the `autostart` ones are started.

use std::path::Path;

use lifeguard_engine::{EngineError, Instance, Origin, ProgramSpec, RequestedBy};

use super::persist;
use super::running::Found;
use super::state::Daemon;
use crate::config::ProgramEntry;

impl Daemon {
    /// Adopts or starts the configured programs: a program with a live saved instance is
    /// adopted (whether or not it is `autostart`: it was running); one whose saved instance
    /// is gone or whose pid was reused is started; the other `autostart` ones are started.
    pub(super) async fn start_programs(&self, state_file: &Path) {
        let config = self.0.store.current();
        let state = persist::load(state_file);
        let sessions = persist::sessions(&state);
        let persist::Saved {
            programs: mut saved,
            wishes,
            ..
        } = state;
        let start = Origin::new(RequestedBy::Config).with_reason("daemon start");
        // The global pause first: nothing dies and restarts before it holds again.
        self.keep_global_pause(&wishes).await;
        let fresh: Vec<&ProgramSpec> = config
            .program
            .iter()
            .filter(|e| e.options.autostart && !saved.contains_key(&e.spec.id))
            .filter(|e| !wishes.stopped.contains(&e.spec.id))
            .map(|e| &e.spec)
            .collect();
        let super::running::Scan {
            found: mut running,
            stale,
        } = super::running::find(&fresh, &[], &sessions);
        for (id, leftovers) in &stale {
            super::running::stop_stale(id, leftovers);
        }
        let ids = config
            .program
            .iter()
            .map(|e| e.spec.id.to_string())
            .collect();
        let mut open = super::unseen::open_runs(&self.0.options.paths.history_db(), ids).await;
        for entry in &config.program {
            let at = crate::history::now_ms();
            let adopted = match (saved.remove(&entry.spec.id), running.remove(&entry.spec.id)) {
                (Some(instance), _) => self.readopt(entry, instance, &start, &sessions).await,
                (None, Some(found)) => self.adopt_running(entry, found, &start).await,
                (None, None) if wishes.stopped.contains(&entry.spec.id) => {
                    self.keep_stopped(entry).await;
                    None
                }
                (None, None) if entry.options.autostart => {
                    self.engine_add(entry, &start).await;
                    None
                }
                (None, None) => None,
            };
            self.keep_program_pause(entry, &wishes).await;
            match open.remove(entry.spec.id.as_str()) {
                Some(pid) if Some(pid) != adopted => self.record_unseen_exit(entry, pid, at),
                _ => {}
            }
        }
        for id in saved.keys() {
            tracing::info!(program = %id, "saved instance left alone: no longer in the config");
        }
    }

    /// Adopts `instance` for `entry`, or starts `entry` when that process is gone.
    async fn readopt(
        &self,
        entry: &ProgramEntry,
        instance: Instance,
        start: &Origin,
        sessions: &[u32],
    ) -> Option<u32> {
        let id = &entry.spec.id;
        let spec = self.engine_spec(&entry.spec);
        let origin = Origin::new(RequestedBy::Config).with_reason("re-adopted after restart");
        let pid = instance.main.pid;
        let (token, pgid, session) = (instance.token.clone(), instance.pgid, instance.session);
        match self.0.sup.adopt(spec, instance, origin).await {
            Ok(()) => {
                tracing::info!(program = %id, pid, "re-adopted");
                return Some(pid);
            }
            Err(EngineError::NotRunning { .. }) => {
                // The state file lags the engine by a moment: a daemon killed right after
                // restarting a program saved the instance before, and left the new one
                // orphaned. Its markers name it; adopting it is what avoids a duplicate.
                let dead: Vec<super::running::Dead<'_>> = token
                    .iter()
                    .map(|t| super::running::Dead {
                        token: t,
                        pgid,
                        session,
                    })
                    .collect();
                let mut scan = super::running::find(&[&entry.spec], &dead, sessions);
                // Its helpers may have outlived it: marked, but never adopted.
                if let Some(leftovers) = scan.stale.get(id) {
                    super::running::stop_stale(id, leftovers);
                }
                if let Some(found) = scan.found.remove(id) {
                    return self.adopt_running(entry, found, start).await;
                }
                tracing::info!(program = %id, pid, "saved instance is gone: starting it");
                self.engine_add(entry, start).await;
            }
            Err(e) => self.warn(format!("program {id}: {e}")),
        }
        None
    }

    /// Adopts a copy of `entry` found running outside Lifeguard, or starts `entry` when
    /// it ended meanwhile.
    async fn adopt_running(
        &self,
        entry: &ProgramEntry,
        found: Found,
        start: &Origin,
    ) -> Option<u32> {
        let id = &entry.spec.id;
        let spec = self.engine_spec(&entry.spec);
        let origin = Origin::new(RequestedBy::Config).with_reason("already running at start-up");
        let pid = found.info.identity.pid;
        match self.0.sup.adopt(spec, found.instance, origin).await {
            Ok(()) => {
                tracing::info!(program = %id, pid, "adopted a copy already running");
                return Some(pid);
            }
            Err(EngineError::NotRunning { .. }) => self.engine_add(entry, start).await,
            Err(e) => self.warn(format!("program {id}: {e}")),
        }
        None
    }
}
