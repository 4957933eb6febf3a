//! The program-editing methods: `list`, `config.get`, `add`, `update` (with its dry run),
//! `remove`, and the start/stop family's lookup of a listed program.

use std::future::Future;

use lifeguard_engine::{EngineError, ProgramSnapshot};
use serde_json::Value;

use super::edit;
use super::handler::out;
use super::state::Daemon;
use crate::config::ProgramEntry;
use crate::protocol::methods::*;
use crate::protocol::RpcError;

impl Daemon {
    pub(super) async fn on_target(
        &self,
        t: Target,
        f: impl for<'a> FnOnce(
            &'a lifeguard_engine::Supervisor,
            &'a Target,
        ) -> std::pin::Pin<
            Box<dyn Future<Output = Result<(), EngineError>> + Send + 'a>,
        >,
    ) -> Result<Value, RpcError> {
        f(&self.0.sup, &t).await?;
        out(self.0.sup.program(&t.program).await?)
    }

    /// `start` on a program that is in the config but was never started (not autostart).
    pub(super) async fn start_listed(&self, t: &Target) -> Result<(), RpcError> {
        let config = self.0.store.current();
        let entry = config
            .program(t.program.as_str())
            .ok_or_else(|| RpcError::from(EngineError::UnknownProgram(t.program.clone())))?;
        let spec = self.engine_spec(&entry.spec);
        Ok(self.0.sup.add(spec, t.origin.clone()).await?)
    }

    pub(super) fn list(&self) -> Vec<ProgramInfo> {
        let config = self.0.store.current();
        config
            .program
            .iter()
            .map(|e| ProgramInfo {
                spec: e.spec.clone(),
                options: e.options.clone(),
            })
            .collect()
    }

    pub(super) fn config_view(&self) -> ConfigView {
        ConfigView {
            path: self.0.store.path().to_owned(),
            settings: self.settings(),
            config_problem: self.config_problem(),
        }
    }

    pub(super) async fn add(&self, p: ProgramParams) -> Result<ProgramSnapshot, RpcError> {
        if p.dry_run {
            // Refused rather than ignored: a client expecting nothing written would add it.
            let mut err = RpcError::invalid_params("dry_run: only `update` has a dry run");
            err.data["field"] = Value::from("dry_run");
            return Err(err);
        }
        let id = p.program.spec.id.clone();
        let mut spec = p.program.spec;
        let mut origin = p.origin;
        let adopt = match p.adopt {
            Some(pid) => Some(pid),
            None => super::installed::running_copy(&spec, &p.program.options)
                .await
                .inspect(|pid| {
                    origin.reason.get_or_insert(format!(
                        "already running (PID {pid}): watching it instead of starting another"
                    ));
                }),
        };
        let picked = match adopt {
            Some(pid) => Some(super::pick::read(pid, &mut spec)?),
            None => None,
        };
        spec.validate().map_err(EngineError::from)?;
        if self.0.store.current().program(id.as_str()).is_some() {
            return Err(EngineError::DuplicateProgram(id).into());
        }
        let entry = ProgramEntry {
            spec,
            options: p.program.options,
        };
        let taken = self.take_over(&entry)?;
        let mut diff = match self.0.store.add_program(&entry) {
            Ok(diff) => diff,
            Err(e) => {
                if let Some(id) = &taken {
                    self.give_back(id);
                }
                return Err(edit::config_error(e));
            }
        };
        match picked {
            Some(process) => {
                // Adopted below rather than started by applying the diff.
                diff.added.retain(|e| e.spec.id != id);
                self.apply(diff, &origin, None).await;
                self.adopt_picked(&entry, process, &origin).await?;
            }
            None => self.apply(diff, &origin, Some(&id)).await,
        }
        Ok(self.0.sup.program(&id).await?)
    }

    pub(super) async fn update(&self, p: ProgramParams) -> Result<ProgramSnapshot, RpcError> {
        let id = p.program.spec.id.clone();
        p.program.spec.validate().map_err(EngineError::from)?;
        if self.0.store.current().program(id.as_str()).is_none() {
            return Err(EngineError::UnknownProgram(id).into());
        }
        let entry = ProgramEntry {
            spec: p.program.spec,
            options: p.program.options,
        };
        if p.dry_run {
            edit::check_replace_program(&self.0.store, &entry).map_err(edit::config_error)?;
            return Ok(self.0.sup.program(&id).await?);
        }
        let diff = edit::replace_program(&self.0.store, &entry).map_err(edit::config_error)?;
        self.apply(diff, &p.origin, None).await;
        Ok(self.0.sup.program(&id).await?)
    }

    pub(super) async fn remove(&self, p: RemoveParams) -> Result<Removed, RpcError> {
        let id = p.program.clone();
        let config = self.0.store.current();
        let listed = config.program(id.as_str()).is_some();
        let taken = config
            .program(id.as_str())
            .and_then(|e| e.options.autostart_entry.clone());
        // Taken out of the engine first when kept running, so applying the config diff
        // below finds nothing left to stop.
        let left_running = if p.keep_running {
            match self.0.sup.release(&id, p.origin.clone()).await {
                Ok(pid) => pid,
                Err(EngineError::UnknownProgram(_)) if listed => None,
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        if listed {
            let diff = self
                .0
                .store
                .remove_program(id.as_str())
                .map_err(edit::config_error)?;
            self.apply(diff, &p.origin, None).await;
            if let Some(entry) = &taken {
                self.give_back(entry);
            }
        } else if !p.keep_running {
            // Not in the file (e.g. removed from it by hand meanwhile): stop it anyway.
            self.0.sup.remove(&id, p.origin.clone()).await?;
        }
        Ok(Removed {
            program: id,
            left_running,
        })
    }
}
