//! `lifeguard config check [FILE]`, `config show`, `config set`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use lifeguard_service::config;
use lifeguard_service::paths::Paths;

use crate::client_cmds::{block_on, connect, origin};
use crate::Global;

/// The `config` subcommands.
#[derive(Subcommand)]
pub enum ConfigVerb {
    /// Check a config file (default: the user's) without a daemon; exit 1 if invalid.
    Check {
        /// The file to check.
        file: Option<PathBuf>,
    },
    /// Show the settings in force (asks the daemon).
    Show,
    /// Change settings: a JSON object merged into them, e.g. '{"metrics":{"enabled":true}}'.
    Set {
        /// The partial settings, as JSON.
        settings: String,
    },
}

/// Runs a `config` subcommand.
pub fn main(verb: ConfigVerb, g: &Global) -> anyhow::Result<ExitCode> {
    match verb {
        ConfigVerb::Check { file } => check(file, g),
        ConfigVerb::Show => block_on(async {
            let view = connect(g).await?.config_get().await?;
            if g.json {
                // Only JSON: the file's name goes inside it, not on a comment line.
                let v = serde_json::json!({"file": view.path, "settings": view.settings});
                outln!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!("# {}", view.path.display());
                outln!("{}", serde_json::to_string_pretty(&view.settings)?);
            }
            Ok(ExitCode::SUCCESS)
        }),
        ConfigVerb::Set { settings } => block_on(async {
            let patch: serde_json::Value =
                serde_json::from_str(&settings).context("the settings must be JSON")?;
            let view = connect(g).await?.config_set(patch, origin(g)).await?;
            outln!("{}", serde_json::to_string_pretty(&view.settings)?);
            Ok(ExitCode::SUCCESS)
        }),
    }
}

fn check(file: Option<PathBuf>, g: &Global) -> anyhow::Result<ExitCode> {
    let path = match file {
        Some(f) => f,
        None => Paths::from_env()?.config_file(),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let problem = match config::parse(&text, &path) {
        Ok(c) if c.settings.metrics.enabled => {
            lifeguard_service::metrics::loopback_addr(&c.settings.metrics.bind)
                .err()
                .map(|e| e.to_string())
                .map(|e| (e, c.program.len()))
        }
        Ok(_) => None,
        Err(e) => Some((e.to_string(), 0)),
    };
    let programs = config::parse(&text, &path)
        .map(|c| c.program.len())
        .unwrap_or(0);
    match problem {
        None => {
            if g.json {
                outln!(
                    "{}",
                    serde_json::json!({"ok": true, "file": path, "programs": programs})
                );
            } else {
                outln!("{}: ok ({programs} programs)", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some((msg, _)) => {
            if g.json {
                outln!(
                    "{}",
                    serde_json::json!({"ok": false, "file": path, "error": msg})
                );
            } else {
                eprintln!("{msg}");
            }
            Ok(ExitCode::from(crate::exit::ERROR))
        }
    }
}
