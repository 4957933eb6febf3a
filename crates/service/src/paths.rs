//! Where Lifeguard keeps its files, from the `directories` crate (XDG on Linux:
//! `$XDG_CONFIG_HOME/lifeguard`, `$XDG_DATA_HOME/lifeguard`, `$XDG_STATE_HOME/lifeguard`,
//! `$XDG_RUNTIME_DIR/lifeguard`), with per-directory overrides for tests and flags.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The directories Lifeguard uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `config.toml` lives here.
    pub config_dir: PathBuf,
    /// The history database lives here.
    pub data_dir: PathBuf,
    /// Telemetry and logs live here.
    pub state_dir: PathBuf,
    /// The control socket lives here (falls back to `state_dir/run` without
    /// `XDG_RUNTIME_DIR`).
    pub runtime_dir: PathBuf,
}

/// Replacements for some or all of the directories; `None` keeps the platform default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathOverrides {
    /// Replaces [`Paths::config_dir`].
    pub config_dir: Option<PathBuf>,
    /// Replaces [`Paths::data_dir`].
    pub data_dir: Option<PathBuf>,
    /// Replaces [`Paths::state_dir`].
    pub state_dir: Option<PathBuf>,
    /// Replaces [`Paths::runtime_dir`].
    pub runtime_dir: Option<PathBuf>,
}

/// The platform could not say where the user's directories are.
#[derive(Debug, thiserror::Error)]
#[error("cannot find the user's home directory (is $HOME set?); set XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_STATE_HOME or pass explicit paths")]
pub struct NoHomeDir;

impl Paths {
    /// The platform's directories for Lifeguard.
    pub fn from_env() -> Result<Self, NoHomeDir> {
        Self::resolve(&PathOverrides::default())
    }

    /// The platform's directories with `overrides` applied. Needs a home directory only
    /// for the directories not overridden.
    pub fn resolve(overrides: &PathOverrides) -> Result<Self, NoHomeDir> {
        let dirs = ProjectDirs::from("", "", "lifeguard");
        let pick = |o: &Option<PathBuf>, f: fn(&ProjectDirs) -> Option<PathBuf>| {
            o.clone()
                .or_else(|| dirs.as_ref().and_then(f))
                .ok_or(NoHomeDir)
        };
        let config_dir = pick(&overrides.config_dir, |d| Some(d.config_dir().to_owned()))?;
        let data_dir = pick(&overrides.data_dir, |d| Some(d.data_dir().to_owned()))?;
        // state_dir() is Linux-only in `directories`; elsewhere use the data directory.
        let state_dir = pick(&overrides.state_dir, |d| {
            Some(d.state_dir().unwrap_or(d.data_local_dir()).to_owned())
        })?;
        let runtime_dir = overrides
            .runtime_dir
            .clone()
            .or_else(|| {
                dirs.as_ref()
                    .and_then(|d| d.runtime_dir().map(Path::to_owned))
            })
            .unwrap_or_else(|| state_dir.join("run"));
        Ok(Self {
            config_dir,
            data_dir,
            state_dir,
            runtime_dir,
        })
    }

    /// Every directory under `root` (`root/config`, `root/data`…): for tests.
    pub fn under(root: &Path) -> Self {
        Self {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
            state_dir: root.join("state"),
            runtime_dir: root.join("run"),
        }
    }

    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The history database.
    pub fn history_db(&self) -> PathBuf {
        self.data_dir.join("history.sqlite3")
    }

    /// The current telemetry file (rotated ones get `.1`, `.2`… appended).
    pub fn telemetry_file(&self) -> PathBuf {
        self.state_dir.join("telemetry.jsonl")
    }

    /// The daemon's own log, written when the desktop app starts the daemon
    /// (`lifeguard daemon --log-file`; rotated ones get `.1`, `.2`… appended).
    pub fn daemon_log(&self) -> PathBuf {
        self.state_dir.join("daemon.log")
    }

    /// The directory for the application's own rotating logs.
    pub fn log_dir(&self) -> PathBuf {
        self.state_dir.join("logs")
    }
}
