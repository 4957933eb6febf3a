//! The Tauri commands the web UI may call: one-liners into the daemon client. Each is
//! listed in `build.rs` and granted in `src-tauri/capabilities/`, so the webview can call
//! nothing else. `docs/desktop-api.md` is the contract with `ui/src/api.ts`.

mod history;
mod icons;
mod output;
mod pickers;
mod programs;
mod settings;
mod shell;
mod usage;

pub use history::*;
pub use icons::*;
pub use output::*;
pub use pickers::*;
pub use programs::*;
pub use settings::*;
pub use shell::*;
pub use usage::*;

use lifeguard_engine::{Origin, ProgramId, RequestedBy};
use lifeguard_service::client::ClientError;
use serde::Serialize;
use tauri::{AppHandle, Runtime};

/// Every command's error as the UI sees it: branch on `kind`, show `message`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ApiError"))]
pub struct CommandError {
    /// Stable machine-readable kind, e.g. `no_daemon`, `invalid_spec`, `unknown_program`.
    pub kind: String,
    /// A sentence for people.
    pub message: String,
    /// The field a bad value is in, when the error is about one: the daemon's spec path
    /// (`stop_grace`, `backoff.initial`, `argv`), or the command's own parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub field: Option<String>,
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
        let field = match &error {
            ClientError::Rpc(rpc) => rpc.data.get("field").and_then(|f| f.as_str()),
            _ => None,
        };
        CommandError {
            kind,
            field: field.map(spec_path),
            message: error.to_string(),
        }
    }
}

impl CommandError {
    pub(crate) fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        CommandError {
            kind: "invalid_input".into(),
            message: format!("{field}: {problem}"),
            field: Some(field.to_owned()),
        }
    }
}

/// A daemon field path as a path in the program's spec: `update`'s params carry the spec
/// under `spec` (`spec.stop_grace` → `stop_grace`), its own checks name it bare.
fn spec_path(path: &str) -> String {
    path.strip_prefix("spec.").unwrap_or(path).to_owned()
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
#[cfg_attr(test, derive(ts_rs::TS))]
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
