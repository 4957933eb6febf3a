//! The Tauri commands the web UI may call: one-liners into the daemon client. Each is
//! listed in `build.rs` and granted in `src-tauri/capabilities/`, so the webview can call
//! nothing else. `docs/desktop-api.md` is the contract with `ui/src/api.ts`.

use lifeguard_engine::{Origin, ProgramId, RequestedBy};
use lifeguard_service::client::ClientError;
use lifeguard_service::config::ProgramOptions;
use lifeguard_service::protocol::methods::{HistoryParams, ProgramInfo, StatsParams};
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, Runtime, State};

use crate::daemon_link::DaemonLink;

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
    fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        CommandError {
            kind: "invalid_input".into(),
            message: format!("{field}: {problem}"),
        }
    }
}

type Reply<T> = Result<T, CommandError>;

fn ui() -> Origin {
    Origin::new(RequestedBy::Ui)
}

fn program_id(id: &str) -> Reply<ProgramId> {
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

/// The daemon's snapshot: global pause and every program's state.
#[tauri::command]
pub async fn status(link: State<'_, DaemonLink>) -> Reply<Value> {
    to_value(link.client().await?.status().await?)
}

/// Adds a program (one config `[[program]]` entry as JSON) and starts it.
#[tauri::command]
pub async fn add_program(link: State<'_, DaemonLink>, program: Value) -> Reply<Value> {
    let program: ProgramInfo = program_info(program)?;
    to_value(link.client().await?.add(program, ui()).await?)
}

/// Replaces a program's settings.
#[tauri::command]
pub async fn update_program(link: State<'_, DaemonLink>, program: Value) -> Reply<Value> {
    let program: ProgramInfo = program_info(program)?;
    to_value(link.client().await?.update(program, ui()).await?)
}

/// Stops protecting a program; `keep_running` leaves it running, else it is stopped.
#[tauri::command]
pub async fn remove_program(
    link: State<'_, DaemonLink>,
    id: String,
    keep_running: bool,
) -> Reply<Value> {
    let id = program_id(&id)?;
    to_value(link.client().await?.remove(&id, keep_running, ui()).await?)
}

/// Start, stop, restart or retry one program.
#[tauri::command]
pub async fn control(link: State<'_, DaemonLink>, id: String, action: String) -> Reply<Value> {
    let id = program_id(&id)?;
    let client = link.client().await?;
    let snapshot = match action.as_str() {
        "start" => client.start(&id, ui()).await?,
        "stop" => client.stop(&id, ui()).await?,
        "restart" => client.restart(&id, ui()).await?,
        "retry" => client.retry(&id, ui()).await?,
        other => {
            return Err(CommandError::invalid(
                "action",
                format!("{other:?} is not one of start, stop, restart, retry"),
            ))
        }
    };
    to_value(snapshot)
}

/// Pauses one program (`id`) or all (`id` null), for `minutes` or until resumed.
#[tauri::command]
pub async fn pause(
    link: State<'_, DaemonLink>,
    id: Option<String>,
    minutes: Option<u64>,
) -> Reply<Value> {
    let id = id.as_deref().map(program_id).transpose()?;
    let length = minutes.map(|m| format!("{m}m"));
    to_value(
        link.client()
            .await?
            .pause(id.as_ref(), None, length, ui())
            .await?,
    )
}

/// Resumes one program (`id`) or all (`id` null).
#[tauri::command]
pub async fn resume(link: State<'_, DaemonLink>, id: Option<String>) -> Reply<Value> {
    let id = id.as_deref().map(program_id).transpose()?;
    to_value(link.client().await?.resume(id.as_ref(), ui()).await?)
}

/// A page of the restart history (filters + keyset cursor).
#[tauri::command]
pub async fn history(link: State<'_, DaemonLink>, query: Value) -> Reply<Value> {
    let params: HistoryParams =
        serde_json::from_value(query).map_err(|e| CommandError::invalid("query", e))?;
    to_value(link.client().await?.history(params).await?)
}

/// Per-program statistics (one program, or all with `program` null).
#[tauri::command]
pub async fn stats(link: State<'_, DaemonLink>, program: Option<String>) -> Reply<Value> {
    let program = program.as_deref().map(program_id).transpose()?;
    to_value(
        link.client()
            .await?
            .stats(StatsParams {
                program,
                window: None,
            })
            .await?,
    )
}

/// The last `lines` lines of a program's captured output.
#[tauri::command]
pub async fn logs(link: State<'_, DaemonLink>, id: String, lines: usize) -> Reply<Value> {
    let id = program_id(&id)?;
    to_value(link.client().await?.logs(&id, lines).await?)
}

/// The global settings and the config file's path.
#[tauri::command]
pub async fn settings_get(link: State<'_, DaemonLink>) -> Reply<Value> {
    to_value(link.client().await?.config_get().await?)
}

/// Changes global settings (a partial object merged into the current ones).
#[tauri::command]
pub async fn settings_set(link: State<'_, DaemonLink>, settings: Value) -> Reply<Value> {
    to_value(link.client().await?.config_set(settings, ui()).await?)
}

/// Accepts a program as the config file has it, flat (`id`, `argv`, …, `autostart`,
/// `notify`), or already split into `{spec, options}`.
fn program_info(program: Value) -> Reply<ProgramInfo> {
    let invalid = |e: serde_json::Error| CommandError {
        kind: "invalid_spec".into(),
        message: format!("program: {e}"),
    };
    let Value::Object(mut fields) = program else {
        return Err(CommandError::invalid("program", "must be an object"));
    };
    if fields.contains_key("spec") {
        return serde_json::from_value(Value::Object(fields)).map_err(invalid);
    }
    let mut options = serde_json::Map::new();
    for key in ProgramOptions::KEYS {
        if let Some(value) = fields.remove(key) {
            options.insert(key.to_string(), value);
        }
    }
    Ok(ProgramInfo {
        spec: serde_json::from_value(Value::Object(fields)).map_err(invalid)?,
        options: serde_json::from_value(Value::Object(options)).map_err(invalid)?,
    })
}

fn to_value(value: impl Serialize) -> Reply<Value> {
    serde_json::to_value(value).map_err(|e| CommandError {
        kind: "protocol".into(),
        message: e.to_string(),
    })
}
