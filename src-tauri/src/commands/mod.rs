//! The Tauri commands the web UI may call: one-liners into the daemon client. Each is
//! listed in `build.rs` and granted in `src-tauri/capabilities/`, so the webview can call
//! nothing else. `docs/desktop-api.md` is the contract with `ui/src/api.ts`.

mod history;
mod output;
mod pickers;
mod programs;
mod settings;
mod shell;

pub use history::*;
pub use output::*;
pub use pickers::*;
pub use programs::*;
pub use settings::*;
pub use shell::*;

use lifeguard_engine::{Origin, ProgramId, RequestedBy};
use lifeguard_service::client::ClientError;
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, Runtime};

/// Every command's error as the UI sees it: branch on `kind`, show `message`.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    /// Stable machine-readable kind, e.g. `no_daemon`, `invalid_spec`, `unknown_program`.
    pub kind: String,
    /// A sentence for people.
    pub message: String,
}

impl From<ClientError> for CommandError {
    fn from(error: ClientError) -> Self {
        let kind = match &error {
            ClientError::NoDaemon { .. } | ClientError::NoHome(_) => "no_daemon".to_string(),
            ClientError::Rpc(rpc) => serde_json::to_value(rpc.kind())
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "internal".into()),
            ClientError::Io { .. } => "io".to_string(),
            ClientError::Protocol(_) => "protocol".to_string(),
        };
        CommandError {
            kind,
            message: error.to_string(),
        }
    }
}

impl CommandError {
    pub(crate) fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        CommandError {
            kind: "invalid_input".into(),
            message: format!("{field}: {problem}"),
        }
    }
}

pub(crate) type Reply<T> = Result<T, CommandError>;

pub(crate) fn ui() -> Origin {
    Origin::new(RequestedBy::Ui)
}

pub(crate) fn program_id(id: &str) -> Reply<ProgramId> {
    ProgramId::new(id).map_err(|e| CommandError::invalid("id", e))
}

/// What the window shows about the app itself.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The product name, "Lifeguard".
    pub name: String,
    /// The app's version, from Cargo.toml.
    pub version: String,
}

/// Returns the app's name and version.
#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
    }
}

pub(crate) fn to_value(value: impl Serialize) -> Reply<Value> {
    serde_json::to_value(value).map_err(|e| CommandError {
        kind: "protocol".into(),
        message: e.to_string(),
    })
}
