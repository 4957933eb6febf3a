//! The socket's methods, each a few lines over the engine, the config store or the
//! history. Params are read with `serde_path_to_error`, so a bad field is named.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lifeguard_engine::{duration, EngineError, ProgramId, ProgramSnapshot};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::edit;
use super::state::{Daemon, Stop};
use crate::config::ProgramEntry;
use crate::protocol::methods::{self as m, *};
use crate::protocol::{ErrorKind, Method, RpcError, PROTOCOL_VERSION};
use crate::server::{Handler, Outbox};

/// The daemon as a [`Handler`].
pub(super) struct Dispatch(pub(super) Daemon);

impl Daemon {
    pub(super) fn handler(&self) -> Dispatch {
        Dispatch(self.clone())
    }
}

impl Handler for Dispatch {
    fn call(
        &self,
        method: String,
        params: Value,
        outbox: Outbox,
    ) -> impl Future<Output = Result<Value, RpcError>> + Send {
        let d = self.0.clone();
        async move { d.dispatch(&method, params, outbox).await }
    }
}

pub(super) fn params<T: DeserializeOwned>(v: Value) -> Result<T, RpcError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let at = e.path().to_string();
        RpcError::invalid_params(if at == "." {
            e.inner().to_string()
        } else {
            format!("{at}: {}", e.inner())
        })
    })
}

pub(super) fn out<T: Serialize>(v: T) -> Result<Value, RpcError> {
    serde_json::to_value(v).map_err(|e| RpcError::internal(e.to_string()))
}

impl Daemon {
    async fn dispatch(&self, method: &str, p: Value, outbox: Outbox) -> Result<Value, RpcError> {
        let sup = &self.0.sup;
        match method {
            m::Hello::NAME => out(HelloInfo {
                version: env!("CARGO_PKG_VERSION").to_owned(),
                protocol: PROTOCOL_VERSION,
                pid: std::process::id(),
                uid: crate::server::euid(),
                warnings: self.warnings(),
                config_problem: self.config_problem(),
            }),
            m::Status::NAME => out(sup.snapshot().await?),
            m::List::NAME => out(self.list()),
            m::Add::NAME => out(self.add(params(p)?).await?),
            m::Update::NAME => out(self.update(params(p)?).await?),
            m::Remove::NAME => out(self.remove(params(p)?).await?),
            m::Start::NAME => {
                let t: Target = params(p)?;
                match sup.start(&t.program, t.origin.clone()).await {
                    Err(EngineError::UnknownProgram(_)) => self.start_listed(&t).await?,
                    r => r?,
                }
                out(sup.program(&t.program).await?)
            }
            m::Stop::NAME => {
                self.on_target(params(p)?, |s, t| {
                    Box::pin(s.stop(&t.program, t.origin.clone()))
                })
                .await
            }
            m::Restart::NAME => {
                self.on_target(params(p)?, |s, t| {
                    Box::pin(s.restart(&t.program, t.origin.clone()))
                })
                .await
            }
            m::Retry::NAME => {
                self.on_target(params(p)?, |s, t| {
                    Box::pin(s.retry(&t.program, t.origin.clone()))
                })
                .await
            }
            m::Pause::NAME => {
                let p: PauseParams = params(p)?;
                let until = until(&p)?;
                match &p.program {
                    Some(id) => sup.pause(id, until, p.origin).await?,
                    None => sup.pause_all(until, p.origin).await?,
                }
                out(sup.snapshot().await?)
            }
            m::Resume::NAME => {
                let p: ResumeParams = params(p)?;
                match &p.program {
                    Some(id) => sup.resume(id, p.origin).await?,
                    None => sup.resume_all(p.origin).await?,
                }
                out(sup.snapshot().await?)
            }
            m::History::NAME => out(self.history(params(p)?).await?),
            m::Stats::NAME => out(self.stats(params(p)?).await?),
            m::Chart::NAME => out(self.chart(params(p)?).await?),
            m::Export::NAME => out(self.export(params(p)?).await?),
            m::Subscribe::NAME => {
                self.subscribe(params(p)?, outbox);
                out(Subscribed { subscribed: true })
            }
            m::Logs::NAME => out(self.logs(params(p)?, outbox).await?),
            m::ConfigGet::NAME => out(self.config_view()),
            m::ConfigSet::NAME => {
                let p: ConfigSetParams = params(p)?;
                let settings = edit::merge_settings(&self.settings(), &p.settings)?;
                if settings.metrics.enabled {
                    crate::metrics::loopback_addr(&settings.metrics.bind)
                        .map_err(|e| RpcError::invalid_params(e.to_string()))?;
                }
                let diff =
                    edit::write_settings(&self.0.store, &settings).map_err(edit::config_error)?;
                self.apply(diff, &p.origin, None).await;
                out(self.config_view())
            }
            m::Shutdown::NAME => {
                let p: ShutdownParams = params(p)?;
                let why =
                    format!("shutdown requested by {:?}", p.origin.requested_by).to_lowercase();
                let stop = Stop {
                    programs: p.stop_programs,
                    why,
                };
                // A full queue means a shutdown is already under way.
                let _ = self.0.stop.try_send(stop);
                out(ShuttingDown {
                    stop_programs: p.stop_programs,
                })
            }
            other => self.dispatch_desktop(other, p).await,
        }
    }

    async fn on_target(
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
    async fn start_listed(&self, t: &Target) -> Result<(), RpcError> {
        let config = self.0.store.current();
        let entry = config
            .program(t.program.as_str())
            .ok_or_else(|| RpcError::from(EngineError::UnknownProgram(t.program.clone())))?;
        let spec = self.0.options.logs.prepare(entry.spec.clone());
        Ok(self.0.sup.add(spec, t.origin.clone()).await?)
    }

    fn list(&self) -> Vec<ProgramInfo> {
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

    fn config_view(&self) -> ConfigView {
        ConfigView {
            path: self.0.store.path().to_owned(),
            settings: self.settings(),
            config_problem: self.config_problem(),
        }
    }

    async fn add(&self, p: ProgramParams) -> Result<ProgramSnapshot, RpcError> {
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

    async fn update(&self, p: ProgramParams) -> Result<ProgramSnapshot, RpcError> {
        let id = p.program.spec.id.clone();
        p.program.spec.validate().map_err(EngineError::from)?;
        if self.0.store.current().program(id.as_str()).is_none() {
            return Err(EngineError::UnknownProgram(id).into());
        }
        let entry = ProgramEntry {
            spec: p.program.spec,
            options: p.program.options,
        };
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

    async fn history(&self, p: HistoryParams) -> Result<crate::history::Page, RpcError> {
        let db = self.0.options.paths.history_db();
        let filter = crate::history::EventFilter {
            program_id: p.program,
            kinds: p.kinds,
            since_ms: p.since_ms,
            until_ms: p.until_ms,
        };
        let limit = p.limit.unwrap_or(100).clamp(1, 1000);
        // Committed events only: flush so a client sees what just happened.
        let _ = self.0.history.flush().await;
        blocking(move || crate::history::HistoryReader::open(&db)?.page(&filter, p.after, limit))
            .await
    }

    async fn stats(&self, p: StatsParams) -> Result<Vec<crate::history::ProgramStats>, RpcError> {
        let window = match &p.window {
            Some(w) => {
                let d = duration::parse(w)
                    .map_err(|e| RpcError::invalid_params(format!("window: {e}")))?;
                // No history is kept longer than this.
                let max = crate::config::MAX_HISTORY_AGE;
                lifeguard_engine::ranges::at_most("window", d, max).map_err(|e| {
                    RpcError::invalid_params(format!("window: {} — {}", e.problem, e.fix))
                })?;
                d
            }
            None => Duration::from_secs(7 * 86_400),
        };
        let ids: Vec<ProgramId> = match p.program {
            Some(id) => vec![id],
            None => self
                .0
                .store
                .current()
                .program
                .iter()
                .map(|e| e.spec.id.clone())
                .collect(),
        };
        let db = self.0.options.paths.history_db();
        let _ = self.0.history.flush().await;
        blocking(move || {
            let reader = crate::history::HistoryReader::open(&db)?;
            let now = crate::history::now_ms();
            ids.iter()
                .map(|id| reader.program_stats(id.as_str(), now, window))
                .collect()
        })
        .await
    }
}

pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::history::Result<T> + Send + 'static,
) -> Result<T, RpcError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| RpcError::internal(e.to_string()))?
        .map_err(|e| RpcError::new(ErrorKind::History, e.to_string()))
}

/// The pause's end: `until` (ms since the epoch) or now + `for`, at most
/// [`ranges::MAX_PAUSE`] ahead (a longer one is a typo, and past the clock's range).
fn until(p: &PauseParams) -> Result<Option<SystemTime>, RpcError> {
    use lifeguard_engine::ranges::{self, MAX_PAUSE};
    let now = SystemTime::now();
    let too_long = |field: &str, e: lifeguard_engine::SpecError| {
        RpcError::invalid_params(format!("{field}: {} — {}", e.problem, e.fix))
    };
    match (&p.until, &p.for_) {
        (Some(_), Some(_)) => Err(RpcError::invalid_params(
            "give either `until` or `for`, not both",
        )),
        (Some(ms), None) => {
            let at = UNIX_EPOCH + Duration::from_millis(*ms);
            let ahead = at.duration_since(now).unwrap_or_default();
            ranges::at_most("until", ahead, MAX_PAUSE).map_err(|e| too_long("until", e))?;
            Ok(Some(at))
        }
        (None, Some(text)) => {
            let d =
                duration::parse(text).map_err(|e| RpcError::invalid_params(format!("for: {e}")))?;
            ranges::at_most("for", d, MAX_PAUSE).map_err(|e| too_long("for", e))?;
            Ok(now.checked_add(d))
        }
        (None, None) => Ok(None),
    }
}
