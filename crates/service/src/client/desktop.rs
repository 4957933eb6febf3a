//! The desktop app's methods: the session environment, the guard of the app itself,
//! and the missed restarts.

use std::collections::BTreeMap;

use lifeguard_engine::{Origin, ProgramSnapshot};

use super::{Client, ClientError};
use crate::protocol::desktop::{
    self as d, GuardParams, MissedRestart, SessionEnvParams, UnguardParams,
};
use crate::protocol::methods::{Empty, Removed};

impl Client {
    /// `session.env`: the graphical session's variables for programs started from now on;
    /// returns the names kept.
    pub async fn set_session_env(
        &self,
        vars: BTreeMap<String, String>,
    ) -> Result<Vec<String>, ClientError> {
        Ok(self
            .call::<d::SessionEnv>(SessionEnvParams { vars })
            .await?
            .vars)
    }

    /// `guard`: asks the daemon to protect the process `pid` (the desktop app) and to
    /// relaunch it with `argv` (and `env`, else its current environment) when it dies.
    pub async fn guard(
        &self,
        pid: u32,
        argv: Vec<String>,
        env: Option<BTreeMap<String, String>>,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<d::Guard>(GuardParams {
            pid,
            argv,
            env,
            origin,
        })
        .await
    }

    /// `unguard`: stop protecting the desktop app and leave it running (call it before a
    /// deliberate quit, so the quit is not undone).
    pub async fn unguard(&self, origin: Origin) -> Result<Removed, ClientError> {
        self.call::<d::Unguard>(UnguardParams { origin }).await
    }

    /// `missed`: the restarts no notification showed, oldest first.
    pub async fn missed(&self) -> Result<Vec<MissedRestart>, ClientError> {
        Ok(self.call::<d::Missed>(Empty {}).await?.missed)
    }

    /// `dismiss_missed`: forget them (the person saw the list).
    pub async fn dismiss_missed(&self, origin: Origin) -> Result<(), ClientError> {
        self.call::<d::DismissMissed>(d::DismissMissedParams { origin })
            .await
            .map(drop)
    }
}
