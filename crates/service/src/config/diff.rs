//! What changed between two configs, in the terms the daemon applies to the engine.

use lifeguard_engine::ProgramId;
use serde::Serialize;

use super::model::{Config, ProgramEntry};

/// The difference between the config in force and a new one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ConfigDiff {
    /// Programs to add (and start, if `autostart`).
    pub added: Vec<ProgramEntry>,
    /// Programs to stop and remove.
    pub removed: Vec<ProgramId>,
    /// Programs whose entry changed.
    pub changed: Vec<ProgramChange>,
    /// Whether `[settings]` changed.
    pub settings_changed: bool,
}

/// One changed program.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramChange {
    /// The new entry.
    pub entry: ProgramEntry,
    /// Whether the running process must be restarted: something it was launched with
    /// (argv, cwd, env, output) changed. Otherwise (name, policy, backoff, options) the
    /// spec is updated in place.
    pub restart: bool,
}

impl ConfigDiff {
    /// The changes that turn `old` into `new`.
    pub fn between(old: &Config, new: &Config) -> Self {
        let added = new
            .program
            .iter()
            .filter(|p| old.program(p.spec.id.as_str()).is_none())
            .cloned()
            .collect();
        let removed = old
            .program
            .iter()
            .filter(|p| new.program(p.spec.id.as_str()).is_none())
            .map(|p| p.spec.id.clone())
            .collect();
        let changed = new
            .program
            .iter()
            .filter_map(|p| {
                let before = old.program(p.spec.id.as_str())?;
                (before != p).then(|| ProgramChange {
                    entry: p.clone(),
                    restart: before.spec.launch_differs(&p.spec),
                })
            })
            .collect();
        Self {
            added,
            removed,
            changed,
            settings_changed: old.settings != new.settings,
        }
    }

    /// True when nothing the daemon applies changed (e.g. only comments were edited).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.settings_changed
    }
}
