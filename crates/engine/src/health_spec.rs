//! The optional health check of a program: exactly one probe (HTTP GET, TCP connect or a
//! command), how often, how long each may take, a grace after the start, and how many
//! failures in a row make the engine restart the program.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::SpecError;

/// A health check. Only `interval`, `timeout`, `start_grace` and `failures` have defaults;
/// one of `http`, `tcp` or `command` must be given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthCheck {
    /// `http://host:port/path`: healthy when a GET answers 2xx or 3xx (plain HTTP only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// `host:port`: healthy when a TCP connection is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    /// A command (argv, no shell): healthy when it exits 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Time between checks.
    #[serde(default = "defaults::interval", with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub interval: Duration,
    /// How long one check may take before it counts as failed.
    #[serde(default = "defaults::timeout", with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub timeout: Duration,
    /// No checks this long after a start (the program is still coming up).
    #[serde(default = "defaults::start_grace", with = "crate::duration")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub start_grace: Duration,
    /// Failures in a row that restart the program.
    #[serde(default = "defaults::failures")]
    pub failures: u32,
}

/// What a health check probes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// HTTP GET on `host:port` (the address) with this path and Host header.
    Http {
        /// `host:port` to connect to.
        addr: String,
        /// The `Host` header.
        host: String,
        /// The request path, starting with `/`.
        path: String,
    },
    /// TCP connect to `host:port`.
    Tcp(String),
    /// Run this argv.
    Command(Vec<String>),
}

mod defaults {
    use std::time::Duration;
    pub fn interval() -> Duration {
        Duration::from_secs(10)
    }
    pub fn timeout() -> Duration {
        Duration::from_secs(2)
    }
    pub fn start_grace() -> Duration {
        Duration::from_secs(5)
    }
    pub fn failures() -> u32 {
        3
    }
}

impl HealthCheck {
    /// A check of `probe`-kind with the defaults (`http`, `tcp` or `command` set by caller).
    pub fn new() -> Self {
        Self {
            http: None,
            tcp: None,
            command: None,
            interval: defaults::interval(),
            timeout: defaults::timeout(),
            start_grace: defaults::start_grace(),
            failures: defaults::failures(),
        }
    }

    /// The probe, checked: exactly one kind, and a usable URL, address or command.
    pub fn probe(&self) -> Result<Probe, SpecError> {
        let err = |field: &str, problem: &str, fix: &str| {
            SpecError::new(format!("health.{field}"), problem, fix)
        };
        let probe = match (&self.http, &self.tcp, &self.command) {
            (Some(url), None, None) => {
                let rest = url.strip_prefix("http://").ok_or_else(|| {
                    err(
                        "http",
                        "must start with http://",
                        "give e.g. \"http://127.0.0.1:8080/health\" (https is not supported)",
                    )
                })?;
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if authority.is_empty() {
                    return Err(err(
                        "http",
                        "has no host",
                        "give e.g. \"http://127.0.0.1:8080/health\"",
                    ));
                }
                let addr = if authority.contains(':') {
                    authority.to_owned()
                } else {
                    format!("{authority}:80")
                };
                let path = if path.is_empty() { "/" } else { path };
                Probe::Http {
                    addr,
                    host: authority.to_owned(),
                    path: path.to_owned(),
                }
            }
            (None, Some(addr), None) if addr.contains(':') => Probe::Tcp(addr.clone()),
            (None, Some(_), None) => {
                return Err(err(
                    "tcp",
                    "has no port",
                    "give host:port, e.g. \"127.0.0.1:7001\"",
                ))
            }
            (None, None, Some(argv)) if argv.first().is_some_and(|p| !p.is_empty()) => {
                Probe::Command(argv.clone())
            }
            (None, None, Some(_)) => {
                return Err(err(
                    "command",
                    "is empty",
                    "give the program to run, then its arguments",
                ))
            }
            _ => {
                return Err(SpecError::new(
                    "health",
                    "needs exactly one of http, tcp or command",
                    "keep one probe per health check",
                ))
            }
        };
        Ok(probe)
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), SpecError> {
        self.probe()?;
        let zero = |field: &str| {
            SpecError::new(
                format!("health.{field}"),
                "must be more than zero",
                "use e.g. \"5s\"",
            )
        };
        if self.interval.is_zero() {
            return Err(zero("interval"));
        }
        if self.timeout.is_zero() {
            return Err(zero("timeout"));
        }
        if self.failures == 0 {
            return Err(SpecError::new(
                "health.failures",
                "must be at least 1",
                "use e.g. 3 (failures in a row before a restart)",
            ));
        }
        Ok(())
    }
}

impl Default for HealthCheck {
    fn default() -> Self {
        Self::new()
    }
}
