//! Taking over programs that are already running, and the session environment: the
//! [`Supervisor`] methods for desktop life.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::actor::First;
use crate::{EngineError, Instance, Origin, ProgramSpec, Supervisor};

impl Supervisor {
    /// Puts `spec` under supervision with `instance` — a process that is already running —
    /// as its running instance, without restarting it (an `added`, then an `adopted` event).
    /// The process is watched through a pidfd; when it dies, the program is restarted by its
    /// policy as a normal child (an adopted process that is not our child ends with an
    /// unknown status, which `on-failure` counts as a failure).
    ///
    /// `instance` comes from a state file (a snapshot's
    /// [`instance`](crate::ProgramSnapshot::instance), to re-adopt after a restart of the
    /// supervisor: its token finds the rest of the tree) or from
    /// [`ProcessInfo::instance`](crate::ProcessInfo::instance) for a process the user picked.
    ///
    /// Fails with [`EngineError::NotRunning`] when the pid no longer names that process (it
    /// ended, or the pid was reused: the start time differs); start the program with
    /// [`Supervisor::add`] then.
    pub async fn adopt(
        &self,
        spec: ProgramSpec,
        instance: Instance,
        origin: Origin,
    ) -> Result<(), EngineError> {
        spec.validate()?;
        let child =
            self.inner
                .spawner
                .watch(instance.main)
                .map_err(|source| EngineError::NotRunning {
                    pid: instance.main.pid,
                    source,
                })?;
        let instance = Instance {
            local: false,
            ..instance
        };
        self.launch(spec, origin, First::Adopt(instance, child))
            .await
    }

    /// Sets the hook that finds the copy already running a single-instance app handed its
    /// request to (see [`FindCopy`](crate::FindCopy)), for every program from now on.
    /// Without one, such a start is recorded as `nothing_left` and left unprotected.
    pub fn set_copy_finder(&self, finder: impl crate::FindCopy) {
        let finder: crate::copy::CopyFinder = Arc::new(finder);
        match self.inner.shared.copy_finder.write() {
            Ok(mut slot) => *slot = Some(finder),
            Err(poisoned) => *poisoned.into_inner() = Some(finder),
        }
    }

    /// Sets the directory of the programs' `NOTIFY_SOCKET`s (see [`crate::talk_spec`]):
    /// a program that notifies or has a watchdog is started with its socket's path there.
    /// Without one, such programs get no socket.
    pub fn set_notify_dir(&self, dir: std::path::PathBuf) {
        match self.inner.shared.notify_dir.write() {
            Ok(mut slot) => *slot = Some(dir),
            Err(poisoned) => *poisoned.into_inner() = Some(dir),
        }
    }

    /// Sets the session environment (DISPLAY, WAYLAND_DISPLAY, DBUS_SESSION_BUS_ADDRESS…)
    /// that programs get from their next start on: layered over the supervisor's own
    /// environment and under each program's `env` overrides. Replaces the previous one.
    pub fn set_session_env(&self, env: BTreeMap<String, String>) {
        let env = Arc::new(env);
        match self.inner.shared.session_env.write() {
            Ok(mut slot) => *slot = env,
            Err(poisoned) => *poisoned.into_inner() = env,
        }
    }
}
