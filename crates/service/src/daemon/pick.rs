//! Protecting a process the person picked from the running ones (`add` with `adopt`):
//! it is adopted as it runs, never restarted by being picked, and relaunched under
//! Lifeguard from the program's argv, working directory and environment when it dies.

use std::collections::BTreeMap;

use lifeguard_engine::{EngineError, Origin, ProcessInfo, ProgramSpec};

use super::state::Daemon;
use crate::config::ProgramEntry;
use crate::protocol::RpcError;

/// Reads the process `pid` and fills what `spec` leaves unsaid: its working directory,
/// and those variables of the environment it runs with that a program needs in its
/// session ([`crate::adopt_env::keep`]: display, bus, locale, XDG…, never tokens or
/// passwords), less what any program started by the daemon gets anyway (so the config
/// file keeps only what is particular to it). Variables `spec` names are the caller's
/// choice and kept as given.
pub(super) fn read(pid: u32, spec: &mut ProgramSpec) -> Result<ProcessInfo, RpcError> {
    let info = ProcessInfo::read(pid).map_err(|e| {
        RpcError::invalid_params(format!(
            "adopt: {e}; pick a process that is running and belongs to you"
        ))
    })?;
    if spec.cwd.is_none() {
        spec.cwd = info.cwd.clone();
    }
    let mut env: BTreeMap<String, String> = info
        .env
        .iter()
        .filter(|(k, _)| crate::adopt_env::keep(k))
        .filter(|(k, v)| std::env::var(k).ok().as_ref() != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    env.append(&mut spec.env);
    spec.env = env;
    Ok(info)
}

impl Daemon {
    /// Adopts the picked process as `entry`'s instance; if it ended meanwhile, the program
    /// is started instead (the person asked for it to be kept running).
    pub(super) async fn adopt_picked(
        &self,
        entry: &ProgramEntry,
        process: ProcessInfo,
        origin: &Origin,
    ) -> Result<(), RpcError> {
        let spec = self.engine_spec(&entry.spec);
        let mut origin = origin.clone();
        if origin.reason.is_none() {
            origin.reason = Some(format!(
                "picked from the running programs (PID {})",
                process.identity.pid
            ));
        }
        match self
            .0
            .sup
            .adopt(spec, process.instance(), origin.clone())
            .await
        {
            Ok(()) => Ok(()),
            Err(EngineError::NotRunning { .. }) => {
                self.engine_add(entry, &origin).await;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
