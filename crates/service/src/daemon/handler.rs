//! The socket's methods, each a few lines over the engine, the config store or the
//! history. Params are read with `serde_path_to_error`, so a bad field is named.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lifeguard_engine::{duration, EngineError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::edit;
use super::state::{Daemon, Stop};
use crate::protocol::methods::{self as m, *};
use crate::protocol::usage::UsageMethod;
use crate::protocol::{Method, RpcError, PROTOCOL_VERSION};
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
        if at == "." {
            return RpcError::invalid_params(e.inner().to_string());
        }
        let mut err = RpcError::invalid_params(format!("{at}: {}", e.inner()));
        err.data["field"] = Value::from(at);
        err
    })
}

/// `add` and `update` params. Their program is flattened into them, which hides the path
/// of a bad value from serde, so `spec` and `options` are read on their own first: a bad
/// value is named by its path (`spec.stop_grace: "5x" is not a duration; …`).
fn program_params(v: Value) -> Result<ProgramParams, RpcError> {
    let part = |key: &str| v.get(key).cloned().map(|part| (key.to_owned(), part));
    if let Some((key, spec)) = part("spec") {
        within::<lifeguard_engine::ProgramSpec>(&key, spec)?;
    }
    if let Some((key, options)) = part("options") {
        within::<crate::config::ProgramOptions>(&key, options)?;
    }
    params(v)
}

/// Reads `v` as a `T` only to name the field a bad value is in, as `key.path`.
fn within<T: DeserializeOwned>(key: &str, v: Value) -> Result<(), RpcError> {
    params::<T>(v).map(drop).map_err(|mut e| {
        let field = e
            .data
            .get("field")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let (field, sep) = match field {
            Some(field) => (format!("{key}.{field}"), "."),
            None => (key.to_owned(), ": "),
        };
        e.message = format!("{key}{sep}{}", e.message);
        e.data["field"] = Value::from(field);
        e
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
            m::Add::NAME => out(self.add(program_params(p)?).await?),
            m::Update::NAME => out(self.update(program_params(p)?).await?),
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
            UsageMethod::NAME => {
                params::<Empty>(p)?;
                out(self.usage().await?)
            }
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
