//! A program's task and its hooks: the death a restart or a give-up answers is kept from
//! its `exited` (or `spawn_failed`) event; the hook is started after the event that calls
//! for it (`restarted`: the new instance already runs; `gave_up`), in a task of its own,
//! so nothing waits for it. Its failure comes back as a `hook_failed` event.

use std::collections::BTreeMap;

use crate::actor::Actor;
use crate::{Event, EventKind, Exit};

impl Actor {
    /// Called with every event the task emits.
    pub(crate) fn after_event(&mut self, e: &Event) {
        match e.kind {
            EventKind::Exited | EventKind::SpawnFailed => self.cause = Some(e.clone()),
            EventKind::Started | EventKind::Stopped => self.cause = None,
            EventKind::Restarted => {
                if let Some(cause) = self.cause.take() {
                    let argv = self.machine.spec().on_restart.clone();
                    self.run_hook("on_restart", argv, e, Some(&cause));
                }
            }
            EventKind::GaveUp => {
                let cause = self.cause.take();
                let argv = self.machine.spec().on_give_up.clone();
                self.run_hook("on_give_up", argv, e, cause.as_ref());
            }
            _ => {}
        }
    }

    fn run_hook(
        &self,
        which: &'static str,
        argv: Option<Vec<String>>,
        e: &Event,
        cause: Option<&Event>,
    ) {
        let Some(argv) = argv else {
            return;
        };
        let mut env: BTreeMap<String, String> = self
            .shared
            .session_env
            .read()
            .map(|env| (**env).clone())
            .unwrap_or_else(|p| (**p.into_inner()).clone());
        env.extend(variables(which, e, cause));
        let hook = crate::hooks::Run {
            which,
            argv,
            env,
            timeout: self.machine.spec().hook_timeout,
        };
        let events = self.events.clone();
        let (program, name) = (e.program.clone(), e.name.clone());
        tokio::spawn(async move {
            if let Err(reason) = crate::hooks::run(hook).await {
                let _ = events.send(Event {
                    ts: crate::clock::wall_ms(),
                    kind: EventKind::HookFailed,
                    program,
                    name,
                    pid: None,
                    attempt: 0,
                    exit: None,
                    uptime_ms: None,
                    delay_ms: None,
                    until: None,
                    requested_by: None,
                    reason: Some(reason),
                });
            }
        });
    }
}

/// The `LIFEGUARD_*` variables of a hook: what happened (`e`) and the death it answers.
pub(crate) fn variables(which: &str, e: &Event, cause: Option<&Event>) -> Vec<(String, String)> {
    let mut vars = vec![
        ("LIFEGUARD_HOOK", which.to_owned()),
        ("LIFEGUARD_EVENT", kind_name(e.kind)),
        ("LIFEGUARD_PROGRAM", e.program.to_string()),
        ("LIFEGUARD_PROGRAM_NAME", e.name.clone()),
        ("LIFEGUARD_ATTEMPT", e.attempt.to_string()),
        ("LIFEGUARD_TIME_MS", e.ts.to_string()),
    ];
    if let Some(pid) = e.pid {
        vars.push(("LIFEGUARD_PID", pid.to_string()));
    }
    if let Some(reason) = e
        .reason
        .clone()
        .or_else(|| cause.and_then(|c| c.reason.clone()))
    {
        vars.push(("LIFEGUARD_REASON", reason));
    }
    if let Some(c) = cause {
        if let Some(pid) = c.pid {
            vars.push(("LIFEGUARD_OLD_PID", pid.to_string()));
        }
        match c.exit {
            Some(Exit::Code(code)) => vars.push(("LIFEGUARD_EXIT_CODE", code.to_string())),
            Some(Exit::Signal { signal, .. }) => vars.push(("LIFEGUARD_SIGNAL", signal.name())),
            Some(Exit::Unknown) | None => {}
        }
        if let Some(ms) = c.uptime_ms {
            vars.push(("LIFEGUARD_UPTIME_MS", ms.to_string()));
        }
    }
    vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn kind_name(kind: EventKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
