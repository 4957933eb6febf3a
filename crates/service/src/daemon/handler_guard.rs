//! The desktop app's methods (`session.env`, `guard`, `unguard`), apart from the engine's
//! in `handler.rs`. The guarded app is an internal program: adopted by pid, relaunched
//! from the argv it gave, never written to the config file (so `list` does not show
//! it); the app calls `guard` again on every (re)connect, which is how a new daemon
//! learns about it.

use lifeguard_engine::{EngineError, Origin, ProcessInfo, ProgramId, ProgramSnapshot, ProgramSpec};
use serde_json::Value;

use super::handler::{out, params};
use super::state::Daemon;
use crate::protocol::desktop::{self as d, GuardParams, SessionEnvSet, DESKTOP_PROGRAM};
use crate::protocol::methods::{self as m, Removed};
use crate::protocol::{ErrorKind, Method, RpcError};

impl Daemon {
    /// Serves the desktop methods; any other name is not a method.
    pub(super) async fn dispatch_desktop(&self, method: &str, p: Value) -> Result<Value, RpcError> {
        match method {
            d::SessionEnv::NAME => {
                let p: d::SessionEnvParams = params(p)?;
                let vars = crate::session_env::keep_session_vars(p.vars);
                let names = vars.keys().cloned().collect();
                self.0.sup.set_session_env(vars);
                out(SessionEnvSet { vars: names })
            }
            d::Guard::NAME => out(self.guard(params(p)?).await?),
            d::Unguard::NAME => {
                let p: d::UnguardParams = params(p)?;
                out(self.unguard(p.origin).await?)
            }
            d::Missed::NAME => out(self.missed_list()),
            d::DismissMissed::NAME => {
                let p: d::DismissMissedParams = params(p)?;
                tracing::debug!(requested_by = ?p.origin.requested_by, "missed restarts dismissed");
                if let Some(missed) = self.missed() {
                    missed.dismiss();
                }
                out(self.missed_list())
            }
            other => Err(RpcError::new(
                ErrorKind::MethodNotFound,
                format!(
                    "no method {other:?}; methods: {}, {}",
                    m::ALL.join(", "),
                    d::ALL.join(", ")
                ),
            )),
        }
    }

    async fn guard(&self, p: GuardParams) -> Result<ProgramSnapshot, RpcError> {
        let sup = &self.0.sup;
        let id = desktop_id()?;
        let info =
            ProcessInfo::read(p.pid).map_err(|e| RpcError::invalid_params(format!("pid: {e}")))?;
        if let Ok(current) = sup.program(&id).await {
            // The same process again (a reconnect, or the app we relaunched saying hello).
            if current.instance.as_ref().map(|i| i.main) == Some(info.identity) {
                return Ok(current);
            }
            // Another instance of the app: let go of the old one, leaving it alone.
            match sup.release(&id, p.origin.clone()).await {
                Ok(_) | Err(EngineError::UnknownProgram(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut spec = ProgramSpec::new(id.clone(), p.argv);
        spec.name = "Lifeguard (tray)".into();
        spec.cwd = info.cwd.clone();
        spec.env = p.env.unwrap_or_else(|| info.env.clone());
        let spec = self.engine_spec(&spec);
        sup.adopt(spec, info.instance(), p.origin).await?;
        Ok(sup.program(&id).await?)
    }

    async fn unguard(&self, origin: Origin) -> Result<Removed, RpcError> {
        let program = desktop_id()?;
        let left_running = match self.0.sup.release(&program, origin).await {
            Ok(pid) => pid,
            Err(EngineError::UnknownProgram(_)) => None,
            Err(e) => return Err(e.into()),
        };
        Ok(Removed {
            program,
            left_running,
        })
    }
}

fn desktop_id() -> Result<ProgramId, RpcError> {
    ProgramId::new(DESKTOP_PROGRAM).map_err(|e| RpcError::internal(e.to_string()))
}
